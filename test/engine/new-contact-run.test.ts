import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../core/store/db';
import { commandCounter } from '../bench/store-ops';
import { call, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

// A run whose trigger created its contact starts from that new contact instead of reading it back: one store read
// fewer on the path of a first message (most mentions and comments come from people the brand has not met yet).
describe('the first run of a contact its trigger created', () => {
  let stack: TestStack;
  let journeyId: string;
  /** The test's own reads go through a client of their own: the counted one sees only the engine's commands. */
  let reader: Store;
  beforeAll(async () => {
    const before = process.env.JOURNEYS_MONITOR_COMMANDS;
    process.env.JOURNEYS_MONITOR_COMMANDS = '1';
    try {
      stack = await startStack();
    } finally {
      if (before === undefined) delete process.env.JOURNEYS_MONITOR_COMMANDS; else process.env.JOURNEYS_MONITOR_COMMANDS = before;
    }
    journeyId = await publishJourney(stack.app, {
      name: 'welcome the newcomer',
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.comment'] } },
        { id: 'new', type: 'filter.condition', version: 1, config: { conditions: { groups: [{ rules: [{ field: 'contact.tags', op: 'not_includes', value: 'vip' }] }] } } },
        { id: 'score', type: 'scoring.points', version: 1, config: { score: 'interest', points: 3, reason: 'commented' } },
        { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['welcomed'] } },
      ],
      edges: [{ from: 't', port: 'next', to: 'new' }, { from: 'new', port: 'yes', to: 'score' }, { from: 'score', port: 'next', to: 'tag' }],
      settings: { reentry: 'always' },
    });
    await stack.startWorker();
    reader = await openStore(stack.mongoUri, stack.dbName);
  });
  afterAll(async () => {
    await reader?.close();
    await stack?.close();
  });

  const ended = (contactId: string, n: number) => eventually(async () => {
    const done = await reader.enrollments.countDocuments({ contactId, journeyId, status: 'completed' });
    return done >= n ? done : undefined;
  });

  it('reads no contact back for a new contact, and reads it for a known one; both runs decide on the same data', async () => {
    const counter = commandCounter(stack.store.client);
    counter.start();
    const first = await call(stack.app, 'POST', '/api/v1/events', { id: 'c-1', type: 'social.comment', channel: 'instagram', handle: 'newcomer.1', text: 'love it', occurredAt: new Date().toISOString() });
    expect(first.body).toMatchObject({ contactCreated: true });
    const contactId = first.body.contactId as string;
    await ended(contactId, 1);
    const afterFirst = counter.stop();
    expect(afterFirst.byCommand.find?.contacts ?? 0).toBe(0);

    counter.start();
    const second = await call(stack.app, 'POST', '/api/v1/events', { id: 'c-2', type: 'social.comment', channel: 'instagram', handle: 'newcomer.1', text: 'again', occurredAt: new Date().toISOString() });
    expect(second.body).toMatchObject({ contactCreated: false, contactId });
    await ended(contactId, 2);
    expect(counter.stop().byCommand.find?.contacts ?? 0).toBeGreaterThanOrEqual(1);

    // Same decisions and effects: both runs passed the filter, scored and tagged (the snapshot carried the identity).
    const runs = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`)).body.enrollments;
    expect(runs).toHaveLength(2);
    for (const r of runs as { steps: { nodeId: string; port: string }[] }[]) {
      expect(r.steps.map((s) => `${s.nodeId}:${s.port}`)).toEqual(['t:next', 'new:yes', 'score:next', 'tag:next']);
    }
    const contact = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}`)).body;
    expect(contact.scores.interest).toBe(6);
    expect(contact.tags).toEqual(['welcomed']);
    expect(contact.identities).toEqual([{ channel: 'instagram', handle: 'newcomer.1' }]);
  });
});
