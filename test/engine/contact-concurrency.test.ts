import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

describe('concurrent changes to one contact', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  it('three journeys scoring the same contact at once lose no points', async () => {
    for (const n of [1, 2, 3]) {
      await publishJourney(stack.app, {
        name: `scorer ${n}`,
        nodes: [
          { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
          { id: 's', type: 'scoring.points', version: 1, config: { score: 'engagement', points: n, reason: `journey ${n}` } },
        ],
        edges: [{ from: 't', port: 'next', to: 's' }],
        settings: { reentry: 'always' },
      });
    }
    const events = Array.from({ length: 5 }, (_, i) => mention('@busy', `post ${i}`));
    const results = await Promise.all(events.map((e) => call(stack.app, 'POST', '/api/v1/events', e)));
    expect(results.every((r) => r.body.enrolled.length === 3)).toBe(true);
    const contactId = results[0].body.contactId;
    // 15 runs take turns on one contact's lock: slow on a loaded 2-core CI machine, so wait generously.
    await eventually(async () => (await stack.store.enrollments.countDocuments({ contactId, status: 'completed' })) === 15, { timeoutMs: 150_000, intervalMs: 500 });
    // 5 events × (1 + 2 + 3) points, every change on the timeline.
    expect((await call(stack.app, 'GET', `/api/v1/contacts/${contactId}`)).body.scores.engagement).toBe(30);
    expect(await stack.store.interactions.countDocuments({ contactId, type: 'score.changed' })).toBe(15);
  }, 200_000);
});
