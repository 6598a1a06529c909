/**
 * Resolving a handle to its contact: one upsert of the identity finds it or claims it, so first events of one
 * handle that race end as one contact reported created once, and an identity whose contact was never written (a
 * crash between the two writes) is healed by the next event instead of pointing nowhere.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveContact } from '../../core/store/contacts';
import { openStore, type Store } from '../../core/store/db';
import { timeline } from '../../core/store/interactions';

describe('contacts resolved from their identities', () => {
  let store: Store;
  const ws = 'ws-contacts';
  beforeAll(async () => { store = await openStore(inject('mongoUri'), `jt_contacts_${randomUUID().slice(0, 8)}`); });
  afterAll(async () => {
    await store?.db.dropDatabase().catch(() => undefined);
    await store?.close();
  });

  it('20 first events of one handle at once: one contact, created once, one identity', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, () => resolveContact(store, ws, { channel: 'weibo', handle: '@racer' })));
    expect(new Set(all.map((r) => r.contact._id)).size).toBe(1);
    expect(all.filter((r) => r.created)).toHaveLength(1);
    expect(await store.identities.countDocuments({ workspaceId: ws, handle: '@racer' })).toBe(1);
    expect(await store.contacts.countDocuments({ _id: all[0].contact._id })).toBe(1);
  });

  it('an existing handle costs two round trips and creates nothing', async () => {
    const first = await resolveContact(store, ws, { channel: 'Email', handle: 'Ann@Example.com ' });
    const again = await resolveContact(store, ws, { channel: 'email', handle: 'ann@example.com' });
    expect(again).toMatchObject({ created: false, contact: { _id: first.contact._id } });
  });

  it('an identity left without its contact (crash between the writes) gets that contact on the next event', async () => {
    const { contact } = await resolveContact(store, ws, { channel: 'wechat', handle: 'oAbc123' });
    await store.contacts.deleteOne({ _id: contact._id }); // as if the process died after the identity's upsert
    const healed = await resolveContact(store, ws, { channel: 'wechat', handle: 'oAbc123' });
    expect(healed).toMatchObject({ created: true, contact: { _id: contact._id, identities: [{ channel: 'wechat', handle: 'oAbc123' }] } });
    expect(await store.contacts.countDocuments({ _id: contact._id })).toBe(1);
  });

  it("the timeline shows journey-made changes from the steps that made them, merged with events and paged by time", async () => {
    const { contact } = await resolveContact(store, ws, { channel: 'x', handle: '@paged' });
    const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
    await store.interactions.insertMany([1, 3].map((m) => ({
      _id: `${ws}|event|e${m}`, workspaceId: ws, contactId: contact._id, kind: 'event' as const, eventId: `e${m}`, type: 'social.mention', occurredAt: at(m), receivedAt: at(m),
    })));
    await store.steps.insertMany([2, 4].map((m) => ({
      _id: `run|${m}`, workspaceId: ws, enrollmentId: 'run', journeyId: 'j', version: 1, contactId: contact._id, seq: m, nodeId: 'points', nodeType: 'scoring.points',
      outcome: 'done' as const, port: 'next', at: at(m),
      effects: [{ key: `run:points:${m}:e0`, kind: 'score' as const, type: 'score.changed', data: { score: 'lead', delta: m } }],
    })));
    const page = await timeline(store, ws, contact._id, { limit: 3 });
    expect(page.map((e) => [e.type, e.occurredAt.getUTCMinutes()])).toEqual([['score.changed', 4], ['social.mention', 3], ['score.changed', 2]]);
    expect(page[0]).toMatchObject({ kind: 'score', data: { delta: 4 }, source: { journeyId: 'j', version: 1, nodeId: 'points', enrollmentId: 'run' } });
    const older = await timeline(store, ws, contact._id, { limit: 3, before: at(2) });
    expect(older.map((e) => e.eventId)).toEqual(['e1']);
  });
});
