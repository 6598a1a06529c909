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
    // 15 runs change one contact at once (each change one guarded atomic update): wait generously on a loaded CI machine.
    await eventually(async () => (await stack.store.enrollments.countDocuments({ contactId, status: 'completed' })) === 15, { timeoutMs: 150_000, intervalMs: 500 });
    // 5 events × (1 + 2 + 3) points, every change on the timeline.
    expect((await call(stack.app, 'GET', `/api/v1/contacts/${contactId}`)).body.scores.engagement).toBe(30);
    const entries = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/timeline?limit=100`)).body.items as { type: string }[];
    expect(entries.filter((i) => i.type === 'score.changed')).toHaveLength(15);
  }, 200_000);

  // Issue 13, item 17: the segment API lost 1–4 of 20 updates against a running journey when the store overwrote
  // documents; with single-document atomicity none is lost.
  it('20 segment memberships added through the API while 20 runs change the same contact: nothing lost', async () => {
    for (const k of [1, 2, 3, 4]) {
      await publishJourney(stack.app, {
        name: `field writer ${k}`,
        nodes: [
          { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.comment'] } },
          { id: 'u', type: 'response.update-contact', version: 1, config: { set: { [`field${k}`]: `value ${k}` }, addTags: [`tag${k}`] } },
          { id: 's', type: 'scoring.points', version: 1, config: { score: 'activity', points: 1, reason: `writer ${k}` } },
        ],
        edges: [{ from: 't', port: 'next', to: 'u' }, { from: 'u', port: 'next', to: 's' }],
        settings: { reentry: 'always' },
      });
    }
    const first = await call(stack.app, 'POST', '/api/v1/events', { ...mention('@segmented', 'hello'), type: 'social.dm' });
    const contactId = first.body.contactId as string;
    const comments = Array.from({ length: 5 }, (_, i) => call(stack.app, 'POST', '/api/v1/events', { ...mention('@segmented', `comment ${i}`), type: 'social.comment' }));
    const memberships = Array.from({ length: 20 }, (_, i) => call(stack.app, 'PUT', `/api/v1/segments/seg-${i}/contacts/${contactId}`));
    const answers = await Promise.all([...comments, ...memberships]);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await eventually(async () => (await stack.store.enrollments.countDocuments({ contactId, status: 'completed' })) === 20, { timeoutMs: 150_000, intervalMs: 500 });
    const c = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}`)).body;
    expect([...c.segments].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `seg-${i}`).sort());
    expect(c.profile).toMatchObject({ field1: 'value 1', field2: 'value 2', field3: 'value 3', field4: 'value 4' });
    expect([...c.tags].sort()).toEqual(['tag1', 'tag2', 'tag3', 'tag4']);
    expect(c.scores.activity).toBe(20);
  }, 200_000);
});
