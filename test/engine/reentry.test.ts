import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

const waitThenTag = (reentry: string, seconds = 1) => ({
  name: `re-entry ${reentry}`,
  nodes: [
    { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: [`test.${reentry.replace('_', '-')}`] } },
    { id: 'w', type: 'flow.wait', version: 1, config: { duration: { amount: seconds, unit: 'seconds' } } },
    { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['done'] } },
  ],
  edges: [{ from: 't', port: 'next', to: 'w' }, { from: 'w', port: 'next', to: 'tag' }],
  settings: { reentry },
});

describe('entry rules, splits and long runs', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  const ev = (type: string, handle: string) => ({ ...mention(handle, ''), type });

  it('never: a contact enters once; after_exit: again only after leaving', async () => {
    const never = await publishJourney(stack.app, waitThenTag('never'));
    const a = await call(stack.app, 'POST', '/api/v1/events', ev('test.never', '@n'));
    expect(a.body.enrolled).toHaveLength(1);
    await eventually(async () => (await stack.store.enrollments.countDocuments({ journeyId: never, status: 'completed' })) === 1);
    const b = await call(stack.app, 'POST', '/api/v1/events', ev('test.never', '@n'));
    expect(b.body.skipped).toEqual([{ journeyId: never, reason: 'entered_before' }]);

    const afterExit = await publishJourney(stack.app, waitThenTag('after_exit'));
    const c = await call(stack.app, 'POST', '/api/v1/events', ev('test.after-exit', '@x'));
    const d = await call(stack.app, 'POST', '/api/v1/events', ev('test.after-exit', '@x'));
    expect(c.body.enrolled).toHaveLength(1);
    expect(d.body.skipped).toEqual([{ journeyId: afterExit, reason: 'already_in_journey' }]);
    await eventually(async () => (await stack.store.enrollments.countDocuments({ journeyId: afterExit, status: 'completed' })) === 1);
    const e = await call(stack.app, 'POST', '/api/v1/events', ev('test.after-exit', '@x'));
    expect(e.body.enrolled).toHaveLength(1);
  });

  it('a weighted split sends each contact down exactly one recorded path', async () => {
    const journeyId = await publishJourney(stack.app, {
      name: 'A/B',
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['test.split'] } },
        { id: 'ab', type: 'flow.split', version: 1, config: { branches: [{ id: 'a', label: 'A', weight: 1 }, { id: 'b', label: 'B', weight: 1 }] } },
        { id: 'tag-a', type: 'response.update-contact', version: 1, config: { addTags: ['got-a'] } },
        { id: 'tag-b', type: 'response.update-contact', version: 1, config: { addTags: ['got-b'] } },
      ],
      edges: [{ from: 't', port: 'next', to: 'ab' }, { from: 'ab', port: 'a', to: 'tag-a' }, { from: 'ab', port: 'b', to: 'tag-b' }],
    });
    for (let i = 0; i < 20; i++) await call(stack.app, 'POST', '/api/v1/events', ev('test.split', `@ab${i}`));
    await eventually(async () => (await stack.store.enrollments.countDocuments({ journeyId, status: 'completed' })) === 20);
    // A run's counters land just after its status (one more write): wait for the last run's, then compare exactly.
    const stats = await eventually(async () => {
      const nodes = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body.nodes;
      return (nodes['tag-a']?.entered ?? 0) + (nodes['tag-b']?.entered ?? 0) === 20 ? nodes : undefined;
    });
    expect(stats.ab.ports.a + stats.ab.ports.b).toBe(20);
    expect(stats.ab.ports.a).toBeGreaterThan(0); // 20 fair coin flips all landing one side: p ≈ 2e-6
    expect(stats.ab.ports.b).toBeGreaterThan(0);
    expect(stats['tag-a'].entered).toBe(stats.ab.ports.a);
  });

  it('a looping run continues as new and keeps counting where it left off', async () => {
    const journeyId = await publishJourney(stack.app, {
      name: 'Loop five times',
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['test.loop'] } },
        { id: 'add', type: 'scoring.points', version: 1, config: { score: 'loops', points: 1, reason: 'lap' } },
        { id: 'enough', type: 'filter.condition', version: 1, config: { conditions: { groups: [{ rules: [{ field: 'contact.scores.loops', op: 'gte', value: 5 }] }] } } },
        { id: 'pause', type: 'flow.wait', version: 1, config: { duration: { amount: 0.2, unit: 'seconds' } } },
        { id: 'end', type: 'flow.end', version: 1, config: {} },
      ],
      edges: [
        { from: 't', port: 'next', to: 'add' }, { from: 'add', port: 'next', to: 'enough' },
        { from: 'enough', port: 'yes', to: 'end' }, { from: 'enough', port: 'no', to: 'pause' }, { from: 'pause', port: 'next', to: 'add' },
      ],
    });
    // Started directly with a small step budget so the loop crosses several continue-as-new boundaries.
    const version = await stack.store.versions.findOne({ journeyId });
    const contact = await call(stack.app, 'POST', '/api/v1/events', ev('test.other', '@looper'));
    const workflowId = `journey:${journeyId}:contact:${contact.body.contactId}:manual`;
    await stack.store.enrollments.insertOne({ _id: workflowId, workspaceId: 'default', journeyId, version: 1, contactId: contact.body.contactId, triggerEventId: 'manual', entryKey: 'manual', status: 'active', startedAt: new Date() });
    const handle = await stack.rt.temporal.workflow.start('journeyRun', {
      workflowId, taskQueue: stack.taskQueue,
      args: [{ ref: { workspaceId: 'default', journeyId, version: 1, enrollmentId: workflowId, contactId: contact.body.contactId }, journey: version!.compiled, triggerNodeId: 't', trigger: { id: 'manual', type: 'test.loop', channel: 'weibo', handle: '@looper', occurredAt: new Date().toISOString() }, maxStepsPerRun: 4 }],
    });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'completed', outcome: 'end:end' });
    expect((await call(stack.app, 'GET', `/api/v1/contacts/${contact.body.contactId}`)).body.scores.loops).toBe(5);
    const first = await stack.rt.temporal.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const steps = await stack.store.steps.find({ enrollmentId: workflowId }).sort({ seq: 1 }).toArray();
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1)); // no step lost or repeated across runs
    expect(steps.filter((s) => s.nodeId === 'add')).toHaveLength(5);
  });
});
