import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { replyOrTimeout } from './fixtures';

async function runOf(stack: TestStack, contactId: string, done = true) {
  return eventually(async () => {
    const e = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`)).body.enrollments[0];
    return e && (!done || e.status !== 'active') ? e : undefined;
  });
}

describe('waits on the real Temporal server', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  it('wait-for-event: a DM reply takes the received branch, silence takes timed_out', async () => {
    await publishJourney(stack.app, replyOrTimeout({ amount: 4, unit: 'seconds' }));
    const talker = await call(stack.app, 'POST', '/api/v1/events', mention('@talker', 'hello'));
    const silent = await call(stack.app, 'POST', '/api/v1/events', mention('@silent', 'hello'));
    // Wait until the talker's run is really waiting, then reply by DM.
    await eventually(async () => (await runOf(stack, talker.body.contactId, false)).currentNodeId === 'wait');
    const dm = await call(stack.app, 'POST', '/api/v1/events', { ...mention('@talker', 'order 123'), type: 'social.dm' });
    expect(dm.body.signalled).toHaveLength(1);

    const replied = await runOf(stack, talker.body.contactId);
    expect(replied.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual(['mention:next', 'ask:sent', 'wait:received', 'got-it:next']);
    const timedOut = await runOf(stack, silent.body.contactId);
    expect(timedOut.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual(['mention:next', 'ask:sent', 'wait:timed_out', 'nudge:next']);
    const tags = async (id: string) => (await call(stack.app, 'GET', `/api/v1/contacts/${id}`)).body.tags;
    expect(await tags(talker.body.contactId)).toEqual(['replied']);
    expect(await tags(silent.body.contactId)).toEqual(['silent']);
  });

  it('a drip\'s entry is one local activity: the trigger\'s stretch records the wait\'s step, the timer ends at its resume time', async () => {
    const journeyId = await publishJourney(stack.app, {
      name: 'Drip entry',
      nodes: [
        { id: 'signup', type: 'trigger.event', version: 1, config: { eventTypes: ['drip.entered'] } },
        { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 2, unit: 'seconds' } } },
        { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['nudged'] } },
      ],
      edges: [{ from: 'signup', port: 'next', to: 'wait' }, { from: 'wait', port: 'next', to: 'tag' }],
      settings: { reentry: 'always' },
    });
    const entered = await call(stack.app, 'POST', '/api/v1/events', { id: `drip-entry-${Date.now()}`, type: 'drip.entered', channel: 'email', handle: 'drip-entry@example.com', occurredAt: new Date().toISOString() });
    const [{ enrollmentId }] = entered.body.enrolled;
    const run = await runOf(stack, entered.body.contactId);
    expect(run.steps.map((st: { nodeId: string; port?: string }) => `${st.nodeId}:${st.port}`)).toEqual(['signup:next', 'wait:next', 'tag:next']);
    const history = await stack.rt.temporal.workflow.getHandle(enrollmentId).fetchHistory();
    const events = history.events ?? [];
    const timerAt = events.findIndex((e) => e.timerStartedEventAttributes);
    const markers = (upTo: number) => events.slice(0, upTo).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
    // Before the timer: the stretch only (the wait's step is in it); after it: the stretch of the tag.
    expect(markers(timerAt)).toBe(1);
    const timeout = Number(events[timerAt].timerStartedEventAttributes!.startToFireTimeout!.seconds ?? 0);
    expect(timeout).toBeGreaterThanOrEqual(1);
    expect(timeout).toBeLessThanOrEqual(2);
    const stats = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body;
    expect(stats.nodes.wait).toMatchObject({ entered: 1, waiting: 0 });
  });

  it('a three-day wait is scheduled for three days and fast-forwarded in a test run without waiting', async () => {
    const created = await call(stack.app, 'POST', '/api/v1/journeys', {
      name: 'Drip',
      nodes: [
        { id: 'form', type: 'trigger.event', version: 1, config: { eventTypes: ['form.submitted'] } },
        { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 3, unit: 'days' } } },
        { id: 'hello', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Still interested?' } },
      ],
      edges: [{ from: 'form', port: 'next', to: 'wait' }, { from: 'wait', port: 'next', to: 'hello' }],
    });
    const started = Date.now();
    const run = await call(stack.app, 'POST', `/api/v1/journeys/${created.body.id}/test-runs`, {
      contact: { channel: 'web', handle: 'tester@example.com', profile: { name: 'Tess' } },
      event: { type: 'form.submitted' },
    });
    expect(run.status).toBe(201);
    const id = encodeURIComponent(run.body.enrollmentId);
    const waiting = await eventually(async () => {
      const r = (await call(stack.app, 'GET', `/api/v1/enrollments/${id}`)).body;
      return r.waitingUntil ? r : undefined;
    });
    const resumeIn = Date.parse(waiting.waitingUntil) - started;
    expect(resumeIn).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(resumeIn).toBeLessThan(3 * 86_400_000 + 60_000);
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${created.body.id}/stats?version=0`)).body.nodes.wait.waiting).toBe(1);

    expect((await call(stack.app, 'POST', `/api/v1/enrollments/${id}/fast-forward`)).status).toBe(202);
    const done = await eventually(async () => {
      const r = (await call(stack.app, 'GET', `/api/v1/enrollments/${id}`)).body;
      return r.status === 'completed' ? r : undefined;
    });
    expect(done.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['form', 'wait', 'hello']);
    // Dry run: recorded, not delivered.
    expect(done.steps[2].output).toMatchObject({ status: 'sent', providerId: 'dry-run' });
    const stats = (await call(stack.app, 'GET', `/api/v1/journeys/${created.body.id}/stats?version=0`)).body;
    expect(stats.nodes.wait).toMatchObject({ entered: 1, waiting: 0, exited: 1 });
    // A live run cannot be fast-forwarded by hand.
    const live = await call(stack.app, 'POST', `/api/v1/enrollments/${encodeURIComponent('journey:x:contact:y:once')}/fast-forward`);
    expect(live.status).toBe(404);
  });

  it('a goal event ends a waiting run as converted', async () => {
    await publishJourney(stack.app, {
      name: 'Nurture until purchase',
      nodes: [
        { id: 'signup', type: 'trigger.event', version: 1, config: { eventTypes: ['form.submitted'] } },
        { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 2, unit: 'weeks' } } },
        { id: 'pitch', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Buy now' } },
      ],
      edges: [{ from: 'signup', port: 'next', to: 'wait' }, { from: 'wait', port: 'next', to: 'pitch' }],
      settings: { goal: { eventTypes: ['order.placed'] } },
    });
    const signup = await call(stack.app, 'POST', '/api/v1/events', { ...mention('@buyer', ''), type: 'form.submitted' });
    expect(signup.body.enrolled).toHaveLength(1);
    await eventually(async () => (await runOf(stack, signup.body.contactId, false)).currentNodeId === 'wait');
    await call(stack.app, 'POST', '/api/v1/events', { ...mention('@buyer', ''), type: 'order.placed' });
    const run = await runOf(stack, signup.body.contactId);
    expect(run.status).toBe('converted');
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'wait', outcome: 'exited' });
    expect(await stack.store.outbox.countDocuments({ contactId: signup.body.contactId })).toBe(0);
  });
});
