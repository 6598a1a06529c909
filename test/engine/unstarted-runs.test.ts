/**
 * An enrollment whose run was never started (the process died between writing the enrollment and starting its
 * run) is not lost: the client's retry of the same event starts it, and so does the sweeper for clients that gave up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollmentId } from '../../core/engine/ingest';
import { startUnstartedRuns } from '../../core/engine/unstarted-runs';
import { resolveContact } from '../../core/store/contacts';
import { storeEvent } from '../../core/store/interactions';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

const journey = {
  name: 'Tag on mention',
  nodes: [
    { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
    { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['seen'] } },
  ],
  edges: [{ from: 'mention', port: 'next', to: 'tag' }],
};

describe('enrollments whose run never started', () => {
  let stack: TestStack;
  let journeyId: string;
  beforeAll(async () => {
    stack = await startStack();
    journeyId = await publishJourney(stack.app, journey);
  });
  afterAll(async () => { await stack?.close(); });

  /** What ingestion had written when the process died: the contact, the event, the enrollment; no run. (Earlier
   * versions also listed the enrollment on the contact, which made a retry end it as `workflow_not_found`.) */
  async function strand(handle: string, startedAt = new Date()) {
    const event = mention(handle, 'hello');
    const { contact } = await resolveContact(stack.store, 'default', { channel: event.channel, handle });
    await storeEvent(stack.store, 'default', contact._id, event);
    const id = enrollmentId(journeyId, contact._id, `event:${event.id}`);
    await stack.store.enrollments.insertOne({
      _id: id, workspaceId: 'default', journeyId, version: 1, contactId: contact._id, triggerEventId: event.id, entryKey: `event:${event.id}`, status: 'active', startedAt,
    });
    await stack.store.contacts.updateOne({ _id: contact._id }, { $addToSet: { activeRuns: id } });
    return { event, id, contactId: contact._id };
  }

  const enrollment = (id: string) => stack.store.enrollments.findOne({ _id: id });

  it('the retried event starts the missing run instead of ending the enrollment', async () => {
    const { event, id, contactId } = await strand('@stranded-retry');
    const retry = await call(stack.app, 'POST', '/api/v1/events', event);
    expect(retry.status).toBe(200);
    const done = await eventually(async () => { const e = await enrollment(id); return e?.status !== 'active' && e; });
    expect(done).toMatchObject({ status: 'completed', outcome: 'tag:next' });
    expect((await call(stack.app, 'GET', `/api/v1/contacts/${contactId}`)).body.tags).toEqual(['seen']);
    expect(await stack.store.enrollments.countDocuments({ contactId })).toBe(1);
  });

  it('the sweeper starts runs missing past the grace period, and leaves younger ones and started ones alone', async () => {
    const old = await strand('@stranded-old', new Date(Date.now() - 120_000));
    const young = await strand('@stranded-young');
    const d = { store: stack.store, temporal: stack.rt.temporal, taskQueue: stack.taskQueue };
    expect(await startUnstartedRuns(d, { graceMs: 60_000 })).toEqual([old.id]);
    expect(await eventually(async () => { const e = await enrollment(old.id); return e?.status === 'completed' && e; })).toBeTruthy();
    expect((await enrollment(young.id))?.status).toBe('active');
    // Once started, a second sweep finds nothing to do.
    expect(await startUnstartedRuns(d, { graceMs: 60_000 })).toEqual([]);
  });
});
