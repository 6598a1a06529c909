/**
 * Live counters are kept incrementally; after a concurrent run they must equal a recount from the steps exactly,
 * and a version marked for a recount (a retry found its records written) is answered from the steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markRecountNeeded, readStats, recountStats } from '../../core/store/journey-stats';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

const journey = {
  name: 'Counted',
  nodes: [
    { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
    { id: 'broken', type: 'filter.condition', version: 1, config: { conditions: { groups: [{ rules: [{ field: 'event.text', op: 'contains', value: 'broken' }] }] } } },
    { id: 'ab', type: 'flow.split', version: 1, config: { branches: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }] } },
    { id: 'pause', type: 'flow.wait', version: 1, config: { duration: { amount: 1, unit: 'seconds' } } },
    { id: 'points', type: 'scoring.points', version: 1, config: { score: 'risk', points: 3, reason: 'complaint' } },
    { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'On it' } },
    { id: 'thanks', type: 'response.update-contact', version: 1, config: { addTags: ['fan'] } },
  ],
  edges: [
    { from: 'mention', port: 'next', to: 'broken' }, { from: 'broken', port: 'yes', to: 'ab' }, { from: 'broken', port: 'no', to: 'thanks' },
    { from: 'ab', port: 'a', to: 'pause' }, { from: 'ab', port: 'b', to: 'points' }, { from: 'pause', port: 'next', to: 'points' },
    { from: 'points', port: 'next', to: 'reply' },
  ],
  settings: { reentry: 'always' as const },
};

describe('live journey counters', () => {
  let stack: TestStack;
  let journeyId: string;
  beforeAll(async () => {
    stack = await startStack();
    journeyId = await publishJourney(stack.app, journey);
  });
  afterAll(async () => { await stack?.close(); });

  it('equal a recount from the steps after 60 concurrent enrollments, some of the same contacts', async () => {
    const N = 60;
    await Promise.all(Array.from({ length: N }, (_, i) => call(stack.app, 'POST', '/api/v1/events', mention(`@count${i % 20}`, i % 3 ? 'my phone is broken' : 'love it'))));
    await eventually(async () => (await stack.store.enrollments.countDocuments({ journeyId, status: { $ne: 'active' } })) === N, { timeoutMs: 60_000, intervalMs: 250 });
    const live = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body;
    const recount = await recountStats(stack.store, 'default', journeyId, 1);
    expect(live.nodes).toEqual(recount.nodes);
    expect(live.enrollments).toEqual(recount.enrollments);
    expect(live.enrollments.completed).toBe(N);
    expect(live.nodes.mention.entered).toBe(N);
    expect(live.nodes.broken.ports.yes + live.nodes.broken.ports.no).toBe(N);
    // Read from the counters themselves, not from a recount.
    expect((await readStats(stack.store, 'default', journeyId, 1)).recountNeeded).toBe(false);
  });

  it('a version marked for a recount is answered from the steps, and the counters are replaced once no run is active', async () => {
    const before = await recountStats(stack.store, 'default', journeyId, 1);
    // What a crash between a record and its counters leaves: counters short of the steps, and the retry's mark.
    await stack.store.db.collection('journey_stats').updateMany({ journeyId }, { $inc: { 'nodes.mention.entered': -1 } });
    await markRecountNeeded(stack.store, { workspaceId: 'default', journeyId, version: 1 });
    const answered = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body;
    expect(answered.nodes).toEqual(before.nodes);
    const after = await readStats(stack.store, 'default', journeyId, 1);
    expect(after.recountNeeded).toBe(false);
    expect(after.nodes).toEqual(before.nodes);
  });
});
