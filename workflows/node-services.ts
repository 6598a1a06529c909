/**
 * What a node's `run` may call: sends and HTTP calls made exactly-once-per-key through the outbox ledger.
 * The ledger row is written before the call (pending) and completed after it; a retry finds a completed row and
 * replays its result, or a pending one and calls again with the same Idempotency-Key for the receiver to dedupe.
 */
import { Context } from '@temporalio/activity';
import type { HttpCallResult, NodeServices, OutboundMessage, SendResult } from '../nodes/contract';
import { durationMs, type Duration } from '../nodes/duration';
import type { ChannelRegistry } from '../server/channels/channel-adapter';
import type { Store } from '../server/store/db';
import type { ContactDoc, OutboxDoc } from '../server/store/documents';
import { withContactLock } from '../server/store/contact-lock';
import { isDuplicateKey } from '../server/store/errors';
import { getCredential } from '../server/store/credentials';
import { chooseArm } from '../server/store/experiments';
import type { EnrollmentRef } from './activities.types';

export interface NodeServicesDeps {
  store: Store;
  channels: ChannelRegistry;
  ref: EnrollmentRef;
  nodeId: string;
  contact: ContactDoc;
  idempotencyKey: string;
  frequencyCap?: { max: number; per: Duration };
  dryRun?: boolean;
  /** Final attempt of the activity: a failing HTTP call is reported instead of retried. */
  lastAttempt: () => boolean;
}

export class RetryableHttpError extends Error {
  override name = 'RetryableHttpError';
}

export function createNodeServices(d: NodeServicesDeps): NodeServices {
  const { store, ref } = d;
  let calls = 0;

  async function claim(kind: OutboxDoc['kind'], channel: string | undefined, request: Record<string, unknown>): Promise<{ id: string; existing?: OutboxDoc }> {
    const id = `${ref.workspaceId}|${d.idempotencyKey}:${kind}${calls++}`;
    const now = new Date();
    const doc: OutboxDoc = {
      _id: id, workspaceId: ref.workspaceId, contactId: ref.contactId, enrollmentId: ref.enrollmentId, nodeId: d.nodeId,
      kind, channel, status: 'pending', request, attempts: 1, createdAt: now, updatedAt: now,
    };
    try {
      await store.outbox.insertOne(doc);
      return { id };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await store.outbox.findOneAndUpdate({ _id: id }, { $inc: { attempts: 1 } }, { returnDocument: 'after' });
      return { id, existing: existing ?? undefined };
    }
  }

  async function complete(id: string, status: OutboxDoc['status'], result: Record<string, unknown>) {
    await store.outbox.updateOne({ _id: id }, { $set: { status, result, updatedAt: new Date() } });
  }

  return {
    async send(message: OutboundMessage): Promise<SendResult> {
      const { id, existing } = await claim('message', message.channel, { ...message, dryRun: d.dryRun ?? false });
      if (existing && existing.status !== 'pending') {
        return { status: existing.status === 'sent' ? 'sent' : 'skipped', reason: existing.result?.reason as string | undefined, providerId: existing.result?.providerId as string | undefined, replayed: true };
      }
      const skip = async (reason: string): Promise<SendResult> => {
        await complete(id, 'skipped', { reason });
        return { status: 'skipped', reason, replayed: false };
      };
      // Tickets and team alerts go to staff, not to the contact: consent and the contact's cap don't apply.
      const toContact = message.kind !== 'ticket' && message.kind !== 'alert';
      if (toContact && d.contact.consent?.[message.channel]?.status === 'opted_out') return skip('no_consent');
      if (toContact && !d.dryRun && !(await reserveSendSlot(store, ref, message.channel, d.frequencyCap))) return skip('frequency_cap');
      if (d.dryRun) {
        await complete(id, 'sent', { providerId: 'dry-run', dryRun: true });
        return { status: 'sent', providerId: 'dry-run', replayed: false };
      }
      const { providerId } = await d.channels.for(message.channel).send(message, id);
      await complete(id, 'sent', { providerId });
      return { status: 'sent', providerId, replayed: false };
    },

    async secret(name: string): Promise<string | undefined> {
      return getCredential(store, ref.workspaceId, name);
    },

    async experiment(req) {
      return chooseArm(store, ref, d.nodeId, req);
    },

    async http(req): Promise<HttpCallResult> {
      const { id, existing } = await claim('http', undefined, { url: req.url, method: req.method });
      if (existing && existing.status !== 'pending') {
        return { status: Number(existing.result?.status ?? 0), body: String(existing.result?.body ?? ''), replayed: true };
      }
      if (d.dryRun) {
        await complete(id, 'sent', { status: 200, body: '', dryRun: true });
        return { status: 200, body: '', replayed: false };
      }
      let status = 0;
      let body = '';
      try {
        const res = await fetch(req.url, {
          method: req.method, body: req.body, signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
          headers: { ...req.headers, 'idempotency-key': id },
        });
        status = res.status;
        body = (await res.text()).slice(0, 4000);
      } catch (err) {
        if (!d.lastAttempt()) throw new RetryableHttpError(`${req.method} ${req.url} failed: ${(err as Error).message}`);
        body = (err as Error).message;
      }
      if ((status >= 500 || status === 429) && !d.lastAttempt()) throw new RetryableHttpError(`${req.method} ${req.url} answered ${status}`);
      await complete(id, status >= 200 && status < 300 ? 'sent' : 'failed', { status, body });
      return { status, body, replayed: false };
    },
  };
}

export function isLastAttempt(maximumAttempts: number | undefined): boolean {
  if (!maximumAttempts) return false;
  return Context.current().info.attempt >= maximumAttempts;
}

const SEND_LOG_KEPT = 200;

/**
 * Counts this send against the contact's cross-journey frequency cap and logs it, under the contact lock so two
 * journeys sending at once cannot both take the last slot. Every journey's sends are logged, capped or not.
 */
async function reserveSendSlot(store: Store, ref: EnrollmentRef, channel: string, cap?: { max: number; per: Duration }): Promise<boolean> {
  return withContactLock(store, ref.workspaceId, ref.contactId, async () => {
    const c = await store.contacts.findOne({ _id: ref.contactId, workspaceId: ref.workspaceId }, { projection: { sendLog: 1 } });
    const now = Date.now();
    const log = c?.sendLog?.[channel] ?? [];
    if (cap && log.filter((t) => t > now - durationMs(cap.per)).length >= cap.max) return false;
    await store.contacts.updateOne({ _id: ref.contactId, workspaceId: ref.workspaceId }, { $set: { [`sendLog.${channel}`]: [...log, now].slice(-SEND_LOG_KEPT) } });
    return true;
  });
}
