import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ChannelRegistry, type ChannelAdapter } from '../../core/channels/channel-adapter';
import { ChannelSendError } from '../../core/channels/http-adapter';
import { openStore, type Store } from '../../core/store/db';
import type { ContactDoc } from '../../core/store/documents';
import { createNodeServices, outboxLease } from '../../workflows/node-services';

// Found by the kill-all chaos run: after a Temporal restart, a local activity whose workflow task the server had given
// up on still ran beside its re-execution, and both found the send's row pending and delivered the reply (same
// Idempotency-Key, twice at the platform). A pending row is now leased to the attempt making the call.
describe('two live attempts of one send deliver it once', () => {
  let store: Store;
  const lease = outboxLease.ms;
  beforeAll(async () => {
    store = await openStore(inject('mongoUri'), `jt_${randomUUID().slice(0, 8)}`);
  });
  afterEach(() => { outboxLease.ms = lease; });
  afterAll(async () => {
    await store?.db.dropDatabase().catch(() => {});
    await store?.close();
  });

  const setup = (platform: ChannelAdapter) => {
    const contactId = randomUUID();
    const enrollmentId = randomUUID();
    const contact = { _id: contactId, workspaceId: 'default' } as unknown as ContactDoc;
    const services = () => createNodeServices({
      store, channels: new ChannelRegistry([platform]), contact, nodeId: 'reply', idempotencyKey: `journey:j:contact:${contactId}:reply:1`,
      ref: { workspaceId: 'default', journeyId: 'j', version: 1, enrollmentId, contactId }, lastAttempt: () => false,
    });
    return { services, contactId };
  };
  const message = { channel: 'weibo', kind: 'reply' as const, to: '@fan', text: 'Thanks!' };

  it('the second attempt waits for the first one\'s outcome and replays it', async () => {
    const delivered: string[] = [];
    let release!: () => void;
    let started!: () => void;
    const inCall = new Promise<void>((r) => { started = r; });
    const platform: ChannelAdapter = {
      channels: ['weibo'],
      async send(_m, key) {
        delivered.push(key);
        started();
        await new Promise<void>((r) => { release = r; });
        return { providerId: `p-${delivered.length}` };
      },
    };
    const ctx = setup(platform);
    const first = ctx.services().send(message);
    await inCall;
    const second = ctx.services().send(message);
    // The second attempt is waiting, not calling: still one delivery while the first one is in its call.
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered).toHaveLength(1);
    release();
    expect(await first).toMatchObject({ status: 'sent', providerId: 'p-1', replayed: false });
    expect(await second).toMatchObject({ status: 'sent', providerId: 'p-1', replayed: true });
    expect(delivered).toHaveLength(1);
    const rows = await store.outbox.find({ contactId: ctx.contactId }).toArray();
    // Two attempts reached the row; one made the call.
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([['sent', 2]]);
  });

  it('an attempt that died is called again once its lease runs out; one that failed gives the lease back at once', async () => {
    outboxLease.ms = 400;
    const delivered: string[] = [];
    let failNext = false;
    const platform: ChannelAdapter = {
      channels: ['weibo'],
      async send(_m, key) {
        delivered.push(key);
        if (failNext) { failNext = false; throw new ChannelSendError('weibo answered 503', 503); }
        return { providerId: `p-${delivered.length}` };
      },
    };
    const { services, contactId } = setup(platform);
    // An attempt killed after its claim (nothing ever completes the row).
    const id = `default|journey:j:contact:${contactId}:reply:1:message0`;
    const now = new Date();
    await store.outbox.insertOne({ _id: id, workspaceId: 'default', contactId, enrollmentId: 'e', nodeId: 'reply', kind: 'message', channel: 'weibo', status: 'pending', request: {}, attempts: 1, leaseUntil: new Date(now.getTime() + 400), createdAt: now, updatedAt: now });
    const t0 = Date.now();
    expect(await services().send(message)).toMatchObject({ status: 'sent', replayed: false });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(delivered).toHaveLength(1);

    // A failing call releases its lease: the activity's retry calls again without waiting for it.
    outboxLease.ms = 60_000;
    const other = setup(platform);
    failNext = true;
    await expect(other.services().send(message)).rejects.toThrow('503');
    const t1 = Date.now();
    expect(await other.services().send(message)).toMatchObject({ status: 'sent', replayed: false });
    expect(Date.now() - t1).toBeLessThan(5_000);
    expect(delivered).toHaveLength(3);
  });
});
