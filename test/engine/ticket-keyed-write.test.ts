import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ChannelRegistry } from '../../core/channels/channel-adapter';
import { helpdeskAdapter } from '../../core/channels/helpdesk-adapter';
import { openStore, type Store } from '../../core/store/db';
import type { ContactDoc } from '../../core/store/documents';
import { tickets } from '../../core/store/tickets';
import { createNodeServices } from '../../workflows/node-services';

// Engine v2, store operations per run: a ticket is one upsert keyed by the send's key, exactly once by itself; the
// outbox rows written around it (insert before, update after) bought nothing and cost two store operations.
describe('tickets are one keyed write', () => {
  let store: Store;
  beforeAll(async () => { store = await openStore(inject('mongoUri'), `jt_${randomUUID().slice(0, 8)}`); });
  afterAll(async () => {
    await store?.db.dropDatabase().catch(() => {});
    await store?.close();
  });

  const services = (contactId: string, enrollmentId: string, dryRun = false) => createNodeServices({
    store, channels: new ChannelRegistry([helpdeskAdapter(store)]), contact: { _id: contactId, workspaceId: 'default' } as unknown as ContactDoc,
    nodeId: 'ticket', idempotencyKey: `${enrollmentId}:ticket`, dryRun,
    ref: { workspaceId: 'default', journeyId: 'j', version: 1, enrollmentId, contactId }, lastAttempt: () => false,
  });
  const message = (contactId: string) => ({ channel: 'helpdesk', kind: 'ticket' as const, to: 'care-team', subject: 'Complaint', text: 'broken', data: { contactId, slaMinutes: 30 } });

  it('a retried ticket send finds the ticket it made: one ticket, no outbox row, the retry replayed', async () => {
    const contactId = randomUUID();
    const enrollmentId = randomUUID();
    const first = await services(contactId, enrollmentId).send(message(contactId));
    expect(first).toMatchObject({ status: 'sent', replayed: false });
    const again = await services(contactId, enrollmentId).send(message(contactId));
    expect(again).toEqual({ ...first, replayed: true });
    expect(await tickets(store).countDocuments({ contactId })).toBe(1);
    expect((await tickets(store).findOne({ contactId }))?._id).toBe(first.providerId);
    expect(await store.outbox.countDocuments({ contactId })).toBe(0);
  });

  it('a test run still only records the ticket', async () => {
    const contactId = randomUUID();
    const r = await services(contactId, randomUUID(), true).send(message(contactId));
    expect(r).toMatchObject({ status: 'sent', providerId: 'dry-run' });
    expect(await tickets(store).countDocuments({ contactId })).toBe(0);
    expect(await store.outbox.countDocuments({ contactId, status: 'sent' })).toBe(1);
  });
});
