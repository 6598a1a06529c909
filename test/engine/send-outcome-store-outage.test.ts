import { randomUUID } from 'node:crypto';
import { MongoNetworkError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ChannelRegistry, type ChannelAdapter } from '../../core/channels/channel-adapter';
import { openStore, type Store } from '../../core/store/db';
import type { ContactDoc } from '../../core/store/documents';
import { createNodeServices } from '../../workflows/node-services';

// Issue 13 item 5 (the replies delivered twice after a FerretDB kill): a message that went out while the store was
// going down must not stay "pending" — the activity's retry would deliver it again. The outcome is written once the
// store answers again, and a later retry replays it.
describe('the outcome of a send survives a store outage right after the call', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(inject('mongoUri'), `jt_${randomUUID().slice(0, 8)}`);
  });
  afterAll(async () => {
    await store?.db.dropDatabase().catch(() => {});
    await store?.close();
  });

  it('one delivery, the row ends sent, and a retry of the activity replays it', async () => {
    const delivered: string[] = [];
    const platform: ChannelAdapter = { channels: ['weibo'], async send(_m, key) { delivered.push(key); return { providerId: `p-${delivered.length}` }; } };
    // The store drops the first two outcome writes, as a FerretDB killed between the call and its record would.
    let dropped = 0;
    const outbox = new Proxy(store.outbox, {
      get(target, prop) {
        if (prop === 'updateOne' && dropped < 2) return async () => { dropped++; throw new MongoNetworkError('connection 3 to 127.0.0.1:47311 closed'); };
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const faulty = { ...store, outbox } as Store;
    const contactId = randomUUID();
    const contact = { _id: contactId, workspaceId: 'default' } as unknown as ContactDoc;
    const services = (s: Store) => createNodeServices({
      store: s, channels: new ChannelRegistry([platform]), contact, nodeId: 'reply', idempotencyKey: `journey:j:contact:${contactId}:reply:1`,
      ref: { workspaceId: 'default', journeyId: 'j', version: 1, enrollmentId: randomUUID(), contactId }, lastAttempt: () => false,
    });
    const message = { channel: 'weibo', kind: 'reply' as const, to: '@fan', text: 'Thanks!' };

    const first = await services(faulty).send(message);
    expect(first).toMatchObject({ status: 'sent', providerId: 'p-1', replayed: false });
    expect(dropped).toBe(2);
    const rows = await store.outbox.find({ contactId }).toArray();
    expect(rows.map((r) => [r.status, r.result?.providerId])).toEqual([['sent', 'p-1']]);

    const retried = await services(store).send(message);
    expect(retried).toMatchObject({ status: 'sent', providerId: 'p-1', replayed: true });
    expect(delivered).toHaveLength(1);
  });
});
