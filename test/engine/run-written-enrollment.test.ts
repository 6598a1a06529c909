/**
 * A journey whose runs are one stretch (no waits, no flow nodes, no quiet hours) gets its enrollment from the run:
 * the API starts the run and writes nothing, and the run's one stretch inserts the row as it ends (one write
 * instead of the API's insert and the run's update). Each way a run can end must still leave exactly one row,
 * counted once: a normal end, a redelivered event whose insert came first, a run that fails before its stretch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStats } from '../../core/store/journey-stats';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { scoreAndTag } from './fixtures';

describe('a run that writes its own enrollment', () => {
  let stack: TestStack;
  let journeyId: string;
  beforeAll(async () => {
    stack = await startStack({ worker: false });
    journeyId = await publishJourney(stack.app, scoreAndTag());
  });
  afterAll(async () => { await stack?.close(); });

  const ended = (id: string) => eventually(async () => (await stack.store.enrollments.findOne({ _id: id }))?.status !== undefined
    && (await stack.store.enrollments.findOne({ _id: id }))!.status !== 'active', { timeoutMs: 30_000, intervalMs: 100 });

  it('is written once, by the run, whether the event came once, twice, or its run failed before its stretch', async () => {
    // 1. Once: the API answers with the enrollment it started; the row is the run's to write.
    const once = mention('@once', 'hello');
    const first = (await call(stack.app, 'POST', '/api/v1/events', once)).body;
    expect(first.enrolled).toHaveLength(1);
    const onceId = first.enrolled[0].enrollmentId;
    expect(await stack.store.enrollments.findOne({ _id: onceId })).toBeNull();

    // 2. Twice before the run ran: the redelivery finds its event stored and takes the insert path (the row
    // exists, active, its run already started), so the run's insert meets that row and ends it instead.
    const twice = mention('@twice', 'hello');
    const a = (await call(stack.app, 'POST', '/api/v1/events', twice)).body;
    const b = (await call(stack.app, 'POST', '/api/v1/events', twice)).body;
    expect(b.skipped).toEqual([{ journeyId, reason: 'already_enrolled_by_this_event' }]);
    const twiceId = a.enrolled[0].enrollmentId;
    expect((await stack.store.enrollments.findOne({ _id: twiceId }))?.status).toBe('active');

    // 3. Failed before its stretch could write: a known contact deleted before the run reads it.
    await call(stack.app, 'POST', '/api/v1/events', mention('@gone', 'first'));
    const gone = (await call(stack.app, 'POST', '/api/v1/events', mention('@gone', 'second'))).body;
    const goneId = gone.enrolled[0].enrollmentId;
    await stack.store.contacts.deleteOne({ _id: gone.contactId });

    await stack.startWorker();
    await Promise.all([ended(onceId), ended(twiceId), ended(goneId)]);
    const row = await stack.store.enrollments.findOne({ _id: onceId });
    expect(row).toMatchObject({ journeyId, version: 1, contactId: first.contactId, triggerEventId: once.id, entryKey: `event:${once.id}`, status: 'completed', outcome: 'tag:next' });
    expect(row!.startedAt.getTime()).toBeLessThanOrEqual(row!.endedAt!.getTime());
    expect((await stack.store.enrollments.findOne({ _id: twiceId }))?.status).toBe('completed');
    expect((await stack.store.enrollments.findOne({ _id: goneId }))).toMatchObject({ status: 'failed', outcome: 'mention:activity_failed' });
    expect(await stack.store.enrollments.countDocuments({ journeyId })).toBe(4);

    // Each counted once, from the counters themselves (no recount was needed).
    const stats = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body;
    expect(stats.enrollments).toEqual({ completed: 3, failed: 1 });
    expect((await readStats(stack.store, 'default', journeyId, 1)).recountNeeded).toBe(false);
  });
});
