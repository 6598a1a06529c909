/**
 * The bulk paths of ingestion: a broadcast enrolls its segment a page at a time (one insert of the page's events,
 * one of its enrollments, its runs started side by side), and a batch of events resolves its new contacts in bulk.
 * Exactly once still holds where it is hard: two runners of one broadcast, a runner killed in the middle of a page,
 * two overlapping batches creating the same contacts. And the bulk paths really are bulk: the store commands of a
 * broadcast or a batch grow with its pages, not with its members.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEvent, ingestMany, type EngineDeps } from '../../core/engine/ingest';
import { broadcastStates, runDueBroadcasts } from '../../core/engine/broadcasts';
import { openStore, type Store } from '../../core/store/db';
import { call, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { commandCounter } from '../bench/store-ops';

const WS = 'default';

/** A broadcast into a 3-day wait, then a tag (never reached here). */
const broadcastJourney = (segment: string, batchSize: number) => ({
  name: `broadcast to ${segment}`,
  nodes: [
    { id: 'cron', type: 'trigger.scheduled-broadcast', version: 1, config: { cron: '0 10 * * 1', timezone: 'Asia/Shanghai', segment, batchSize } },
    { id: 'w', type: 'flow.wait', version: 1, config: { duration: { amount: 3, unit: 'days' } } },
    { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['day-3'] } },
  ],
  edges: [{ from: 'cron', port: 'next', to: 'w' }, { from: 'w', port: 'next', to: 'tag' }],
  settings: { reentry: 'always' },
});

describe('bulk enrollment of broadcasts and batches', () => {
  let stack: TestStack;
  let d: EngineDeps;
  let monitored: Store;
  beforeAll(async () => {
    stack = await startStack();
    d = { store: stack.store, temporal: stack.rt.temporal, taskQueue: stack.taskQueue };
    process.env.JOURNEYS_MONITOR_COMMANDS = '1';
    try {
      monitored = await openStore(stack.mongoUri, stack.dbName);
    } finally {
      delete process.env.JOURNEYS_MONITOR_COMMANDS;
    }
  });
  afterAll(async () => {
    await monitored?.close();
    await stack?.close();
  });

  /** `n` members of `segment` (contacts and identities written directly), plus a test contact and a non-member. */
  async function segmentOf(segment: string, n: number): Promise<string[]> {
    const at = new Date();
    const members = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), handle: `${segment}-${i}@example.com` }));
    await stack.store.identities.insertMany(members.map((m) => ({ _id: `${WS}|email|${m.handle}`, workspaceId: WS, channel: 'email', handle: m.handle, contactId: m.id, createdAt: at })));
    const base = { workspaceId: WS, profile: {}, tags: [], scores: {}, consent: {}, createdAt: at, updatedAt: at, appliedEffects: [] };
    await stack.store.contacts.insertMany([
      ...members.map((m) => ({ ...base, _id: m.id, identities: [{ channel: 'email', handle: m.handle }], segments: [segment] })),
      { ...base, _id: randomUUID(), identities: [{ channel: 'email', handle: `${segment}-test@example.com` }], segments: [segment], test: true as const },
      { ...base, _id: randomUUID(), identities: [{ channel: 'email', handle: `${segment}-other@example.com` }], segments: ['someone-else'] },
    ]);
    return members.map((m) => m.id);
  }

  /** Last Monday's 10:00 is due: the journey counts as published before it. */
  const makeDue = (journeyId: string) => broadcastStates(stack.store).updateOne({ journeyId }, { $set: { lastFireAt: new Date(Date.now() - 8 * 86_400_000) } });

  /** Every member has exactly one enrollment, one run (started in Temporal) and its two steps, the second waiting. */
  async function expectEachOnce(journeyId: string, members: string[]) {
    const enrollments = await stack.store.enrollments.find({ workspaceId: WS, journeyId }).toArray();
    expect(enrollments.map((e) => e.contactId).sort()).toEqual([...members].sort());
    for (const e of enrollments) expect((await stack.rt.temporal.workflow.getHandle(e._id).describe()).status.name).toBe('RUNNING');
    await eventually(async () => (await stack.store.steps.countDocuments({ workspaceId: WS, journeyId, nodeId: 'w', outcome: 'waiting' })) === members.length, { timeoutMs: 60_000 });
    const steps = await stack.store.steps.find({ workspaceId: WS, journeyId }).toArray();
    expect(steps).toHaveLength(2 * members.length);
    expect(new Set(steps.map((s) => s._id)).size).toBe(steps.length);
    const events = await stack.store.interactions.find({ workspaceId: WS, type: 'broadcast.due', 'data.journeyId': journeyId }).toArray();
    expect(events.map((e) => e.contactId).sort()).toEqual([...members].sort());
  }

  it('two runners of one broadcast enroll each member once, and between them count each once', async () => {
    const members = await segmentOf('two-runners', 23);
    const journeyId = await publishJourney(stack.app, broadcastJourney('two-runners', 5));
    await runDueBroadcasts(d, new Date(), WS); // first sight: nothing due since publishing
    await makeDue(journeyId);
    const [a, b] = await Promise.all([runDueBroadcasts(d, new Date(), WS), runDueBroadcasts(d, new Date(), WS)]);
    const enrolled = [...a, ...b].filter((f) => f.journeyId === journeyId).reduce((n, f) => n + f.enrolled, 0);
    expect(enrolled).toBe(23);
    await expectEachOnce(journeyId, members);
    const state = await broadcastStates(stack.store).findOne({ journeyId });
    expect(state?.firing).toBeUndefined();
    expect((await runDueBroadcasts(d, new Date(), WS)).filter((f) => f.journeyId === journeyId)).toEqual([]);
  });

  it('a runner killed in the middle of a page resumes from its cursor, and the total is exact', async () => {
    const members = await segmentOf('killed', 20);
    const journeyId = await publishJourney(stack.app, broadcastJourney('killed', 6));
    await runDueBroadcasts(d, new Date(), WS);
    await makeDue(journeyId);
    // Dies at the 10th run start: the first page (6) is done and saved, the second has its events and enrollments
    // written and some runs started, and its cursor is not saved.
    let starts = 0;
    const real = stack.rt.temporal;
    const dying = {
      ...d,
      temporal: {
        workflow: {
          start: (...args: Parameters<Client['workflow']['start']>) => (++starts >= 10 ? Promise.reject(new Error('killed')) : real.workflow.start(...args)),
          getHandle: (id: string) => real.workflow.getHandle(id),
        },
      } as unknown as Client,
    };
    await expect(runDueBroadcasts(dying, new Date(), WS)).rejects.toThrow('killed');
    const state = await broadcastStates(stack.store).findOne({ journeyId });
    expect(state?.firing?.enrolled).toBe(6);
    const written = await stack.store.enrollments.countDocuments({ workspaceId: WS, journeyId });
    expect(written).toBeGreaterThan(6); // the second page's enrollments, some without their run
    const resumed = (await runDueBroadcasts(d, new Date(), WS)).find((f) => f.journeyId === journeyId);
    expect(resumed?.enrolled).toBeGreaterThanOrEqual(20 - 3); // runs started before the kill count for the dead runner
    await expectEachOnce(journeyId, members);
    expect((await broadcastStates(stack.store).findOne({ journeyId }))?.firing).toBeUndefined();
  });

  it('issues a few store commands per page, not per member', async () => {
    const members = await segmentOf('commands', 40);
    const journeyId = await publishJourney(stack.app, broadcastJourney('commands', 10));
    await runDueBroadcasts(d, new Date(), WS);
    await makeDue(journeyId);
    const counter = commandCounter(monitored.client);
    counter.start();
    const fired = await runDueBroadcasts({ ...d, store: monitored }, new Date(), WS);
    const tally = counter.stop();
    expect(fired.find((f) => f.journeyId === journeyId)?.enrolled).toBe(40);
    // 4 pages: per page an insert of the events, one of the enrollments and the cursor; the cursor's reads; the
    // broadcast state. One by one it was at least 4 per member (identity, contact, event, enrollment): 160.
    expect(tally.total).toBeLessThan(40);
    await expectEachOnce(journeyId, members);
  });

  it('a batch of events resolves, stores and enrolls like one event at a time', async () => {
    const journeyId = await publishJourney(stack.app, {
      name: 'signup drip',
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['bulk.signup'] } },
        { id: 'w', type: 'flow.wait', version: 1, config: { duration: { amount: 3, unit: 'days' } } },
      ],
      edges: [{ from: 't', port: 'next', to: 'w' }],
      settings: { reentry: 'always' },
    });
    const ev = (id: string, handle: string, extra: Record<string, unknown> = {}) => ({ id, type: 'bulk.signup', channel: 'email', handle, occurredAt: new Date().toISOString(), ...extra });
    const known = await ingestEvent(d, WS, ev('bulk-known-0', 'known@example.com'));
    const batch = [
      ev('bulk-1', 'New1@Example.com', { text: 'hello 你好' }), ev('bulk-2', 'known@example.com'), ev('bulk-3', 'new2@example.com'),
      ev('bulk-4', 'new1@example.com', { data: { second: true } }), // the same contact as bulk-1 (emails compare case-insensitively), after it
    ];
    const counter = commandCounter(monitored.client);
    counter.start();
    const results = await ingestMany({ ...d, store: monitored }, WS, batch);
    const commands = counter.stop().total;
    expect(results.map((r) => r.eventId)).toEqual(['bulk-1', 'bulk-2', 'bulk-3', 'bulk-4']);
    expect(results.map((r) => r.contactCreated)).toEqual([true, false, true, false]);
    expect(results[1].contactId).toBe(known.contactId);
    expect(results[3].contactId).toBe(results[0].contactId);
    expect(results.every((r) => r.enrolled.length === 1 && !r.duplicate)).toBe(true);
    expect(commands).toBeLessThan(4 * batch.length); // two rounds of bulk writes; one by one it was ≥ 5 per event
    // What was stored is what one event at a time stores.
    const single = await stack.store.interactions.findOne({ _id: `${WS}|event|bulk-known-0` });
    const bulk = await stack.store.interactions.findOne({ _id: `${WS}|event|bulk-1` });
    const shape = (x: object | null) => Object.keys(x ?? {}).filter((k) => k !== 'text' && k !== 'analysis').sort();
    expect(shape(bulk)).toEqual(shape(single));
    expect(bulk).toMatchObject({ contactId: results[0].contactId, kind: 'event', eventId: 'bulk-1', type: 'bulk.signup', channel: 'email', handle: 'New1@Example.com', text: 'hello 你好' });
    expect(bulk?.analysis?.sentiment).toBeDefined();
    const contact = await stack.store.contacts.findOne({ _id: results[0].contactId });
    expect(contact?.identities).toEqual([{ channel: 'email', handle: 'new1@example.com' }]);
    expect((await call(stack.app, 'GET', `/api/v1/contacts/${results[0].contactId}`)).status).toBe(200);
    // A later single event of that handle finds the contact the batch created.
    expect((await ingestEvent(d, WS, ev('bulk-5', 'NEW1@example.com'))).contactId).toBe(results[0].contactId);
    // The batch again: nothing stored, created or enrolled twice.
    const again = await ingestMany(d, WS, batch);
    expect(again.every((r) => r.duplicate && !r.contactCreated && r.enrolled.length === 0)).toBe(true);
    expect(again.map((r) => r.skipped.map((s) => s.reason))).toEqual(batch.map(() => ['already_enrolled_by_this_event']));
    expect(await stack.store.enrollments.countDocuments({ workspaceId: WS, journeyId })).toBe(6);
  });

  it('two overlapping batches create each new contact once', async () => {
    const handles = Array.from({ length: 30 }, (_, i) => `overlap-${i}@example.com`);
    const batch = (tag: string, hs: string[]) => hs.map((h) => ({ id: `${tag}-${h}`, type: 'overlap.seen', channel: 'email', handle: h, occurredAt: new Date().toISOString() }));
    const [a, b] = await Promise.all([ingestMany(d, WS, batch('a', handles)), ingestMany(d, WS, batch('b', handles.slice(10)))]);
    const created = [...a, ...b].filter((r) => r.contactCreated).map((r) => r.contactId);
    expect(new Set(created).size).toBe(created.length);
    expect(created).toHaveLength(30);
    for (const [i, r] of b.entries()) expect(r.contactId).toBe(a[i + 10].contactId);
    expect(await stack.store.contacts.countDocuments({ workspaceId: WS, 'identities.handle': { $in: handles } })).toBe(30);
    expect(await stack.store.identities.countDocuments({ workspaceId: WS, handle: { $in: handles } })).toBe(30);
  });
});
