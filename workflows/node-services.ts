/**
 * What a node's `run` may call: sends and HTTP calls made exactly-once-per-key through the outbox ledger.
 * The ledger row is written before the call (pending) and completed after it; a retry finds a completed row and
 * replays its result, or a pending one and calls again with the same Idempotency-Key for the receiver to dedupe.
 * A pending row is leased to the attempt making the call: two live executions of one stretch (a local activity
 * Temporal gave up on after a server restart, still running beside its re-execution) must not both call, so the
 * second waits for the first one's outcome and replays it. Only an attempt that died (its lease ran out) is called
 * again; one that failed gives its lease back at once, so its retry does not wait.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { DELIVERY_REFUSED, NodeError, SendBlockedError, type HttpCallResult, type NodeServices, type OutboundMessage, type SendResult, type TagSyncOutcome } from '../nodes/contract';
import { durationMs, type Duration } from '../nodes/duration';
import type { ChannelRegistry } from '../core/channels/channel-adapter';
import type { Store } from '../core/store/db';
import type { ContactDoc, OutboxDoc } from '../core/store/documents';
import { insertNew } from '../core/store/errors';
import { getCredential } from '../core/store/credentials';
import { chooseArm } from '../core/store/experiments';
import { DestinationRefusedError, outboundHttp, requestFailure, resolveHttpUrl } from '../core/outbound/destination-policy';
import { redactText, redactUrl } from '../core/logging/redact';
import type { EnrollmentRef } from './activities.types';
import type { FollowUpEvent } from '../core/store/internal-events';

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
  /** Events a send gives rise to (a refused email becomes message.failed), ingested after the activity's writes. */
  followUps?: FollowUpEvent[];
}

export class RetryableHttpError extends Error {
  override name = 'RetryableHttpError';
}

export function createNodeServices(d: NodeServicesDeps): NodeServices {
  const { store, ref } = d;
  let calls = 0;

  /** The key of the node's n-th call: its outbox row's id, and the idempotency key the receiver sees. */
  const outboxId = (kind: OutboxDoc['kind'], n: number) => `${ref.workspaceId}|${d.idempotencyKey}:${kind}${n}`;

  /**
   * The call's row, and whether this attempt makes the call: a new row (pending, leased to this attempt), a pending
   * row whose lease ran out (taken over: `existing` pending), or a finished row to replay (`existing` finished).
   * While another live attempt holds the lease, this one waits for its outcome.
   */
  async function claim(kind: OutboxDoc['kind'], channel: string | undefined, request: Record<string, unknown>, leaseMs = outboxLease.ms): Promise<{ id: string; at: Date; existing?: OutboxDoc }> {
    const id = outboxId(kind, calls++);
    const now = new Date();
    const doc: OutboxDoc = {
      _id: id, workspaceId: ref.workspaceId, contactId: ref.contactId, enrollmentId: ref.enrollmentId, nodeId: d.nodeId,
      kind, channel, status: 'pending', request, attempts: 1, leaseUntil: new Date(now.getTime() + leaseMs), createdAt: now, updatedAt: now,
    };
    if (await insertNew(store.outbox, doc)) return { id, at: now };
    for (;;) {
      const t = new Date();
      const taken = await store.outbox.findOneAndUpdate(
        { _id: id, status: 'pending', $or: [{ leaseUntil: { $lte: t } }, { leaseUntil: { $exists: false } }] },
        { $inc: { attempts: 1 }, $set: { leaseUntil: new Date(t.getTime() + leaseMs), updatedAt: t } },
        { returnDocument: 'after' },
      );
      if (taken) return { id, at: taken.createdAt, existing: taken };
      // Finished: replayed (and counted as an attempt that reached the row, as the row's history shows).
      const done = await store.outbox.findOneAndUpdate({ _id: id, status: { $ne: 'pending' } }, { $inc: { attempts: 1 } }, { returnDocument: 'after' });
      if (done) return { id, at: done.createdAt, existing: done };
      const row = await store.outbox.findOne({ _id: id }, { projection: { leaseUntil: 1 } });
      if (!row) throw new Error(`outbox row ${id} disappeared while claimed`);
      const left = (row.leaseUntil?.getTime() ?? 0) - Date.now();
      await new Promise((r) => setTimeout(r, Math.max(20, Math.min(250, left))));
    }
  }

  /** A call this attempt gave up on (it throws): its retry may call again at once. Best effort: a lease also runs out. */
  const release = (id: string) => store.outbox.updateOne({ _id: id, status: 'pending' }, { $set: { leaseUntil: new Date(0) } }).catch(() => undefined);

  /**
   * Records a call's outcome. If the store is down at that moment, failing the activity would leave the row pending
   * and the retry would call the platform again: instead, keep trying while the activity has time (the stretch's
   * start-to-close is 2 min; a store restart takes seconds).
   */
  async function complete(id: string, status: OutboxDoc['status'], result: Record<string, unknown>) {
    const deadline = Date.now() + OUTCOME_PERSIST_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.outbox.updateOne({ _id: id }, { $set: { status, result, updatedAt: new Date() } });
      } catch (err) {
        const wait = backoffMs(attempt, 250, 2_000);
        if (Date.now() + wait > deadline) throw err;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** A refused message's message.failed (id keyed by its outbox row: a retry that finds the row emits the same one). */
  const refused = (id: string, channel: string, params: Record<string, unknown>) => {
    d.followUps?.push({ type: 'message.failed', id: `message.failed:${createHash('sha256').update(id).digest('hex').slice(0, 32)}`, data: { outboxId: id, channel, reason: DELIVERY_REFUSED, ...params, journeyId: ref.journeyId, nodeId: d.nodeId } });
  };

  return {
    async send(message: OutboundMessage): Promise<SendResult> {
      const adapter = d.channels.for(message.channel);
      if (adapter.keyedWrite && !d.dryRun && !toContact(message)) {
        // One keyed write (a ticket): exactly once by itself, so two outbox writes around it would buy nothing.
        const { providerId, replayed } = await adapter.send(message, outboxId('message', calls++));
        return { status: 'sent', providerId, replayed: replayed ?? false };
      }
      const claimed = await claim('message', message.channel, { ...message, dryRun: d.dryRun ?? false });
      const { id, existing } = claimed;
      if (existing && existing.status !== 'pending') {
        // A send the platform's rules refused stays refused on a retry (the node may have sent a fallback after it).
        if (existing.result?.blocked) throw blockedReplay(existing);
        if (existing.result?.reason === DELIVERY_REFUSED) {
          const { reason: _reason, ...params } = existing.result;
          refused(id, message.channel, params);
          throw new NodeError(DELIVERY_REFUSED, `the receiving server refused the message: ${String(params.response || params.responseCode || '')}`, params);
        }
        return { status: existing.status === 'sent' ? 'sent' : 'skipped', reason: existing.result?.reason as string | undefined, providerId: existing.result?.providerId as string | undefined, replayed: true };
      }
      const skip = async (reason: string): Promise<SendResult> => {
        await complete(id, 'skipped', { reason });
        return { status: 'skipped', reason, replayed: false };
      };
      if (toContact(message) && d.contact.consent?.[message.channel]?.status === 'opted_out') return skip('no_consent');
      if (toContact(message) && !d.dryRun && d.frequencyCap && !(await withinFrequencyCap(store, ref, message.channel, d.frequencyCap, claimed))) return skip('frequency_cap');
      if (d.dryRun) {
        await complete(id, 'sent', { providerId: 'dry-run', dryRun: true });
        return { status: 'sent', providerId: 'dry-run', replayed: false };
      }
      let providerId: string;
      try {
        ({ providerId } = await adapter.send(message, id));
      } catch (err) {
        await release(id);
        if (err instanceof DestinationRefusedError) await complete(id, 'failed', { reason: err.code });
        if (err instanceof SendBlockedError) await complete(id, 'failed', { reason: err.code, blocked: true, message: err.message, params: err.params });
        else if (err instanceof NodeError && err.code === DELIVERY_REFUSED) {
          // The receiving server refused for good (an SMTP 5xx: no such mailbox): recorded, and a message.failed
          // event a journey can branch on or react to (mark the address, try another channel).
          await complete(id, 'failed', { reason: err.code, ...err.params });
          refused(id, message.channel, err.params);
        }
        throw refusedAsNodeError(err);
      }
      await complete(id, 'sent', { providerId });
      return { status: 'sent', providerId, replayed: false };
    },

    async secret(name: string): Promise<string | undefined> {
      return getCredential(store, ref.workspaceId, name);
    },

    async experiment(req) {
      return chooseArm(store, ref, d.nodeId, req);
    },

    async syncTags(change) {
      if (d.dryRun || (!change.add.length && !change.remove.length)) return [];
      const out: TagSyncOutcome[] = [];
      for (const { channel, handle } of d.contact.identities) {
        const adapter = d.channels.for(channel);
        if (!adapter.syncTags) continue;
        try {
          const r = await adapter.syncTags(ref.workspaceId, channel, handle, change);
          if (r) out.push({ channel, added: r.added, removed: r.removed, notOnPlatform: r.notOnPlatform, ...(r.unknownContact ? { unknownContact: true as const } : {}) });
        } catch (err) {
          // The tags changed in Journeys either way: a platform still failing on the last attempt is recorded, not fatal.
          if (!d.lastAttempt()) throw err;
          const code = err instanceof NodeError ? err.code : 'tag_sync_failed';
          out.push({ channel, added: [], removed: [], notOnPlatform: [], error: { code, message: redactText((err as Error).message) } });
        }
      }
      return out;
    },

    async http(req): Promise<HttpCallResult> {
      // Leased for the call's own timeout on top: a slow endpoint is not called a second time meanwhile.
      const { id, existing } = await claim('http', undefined, { url: req.url, method: req.method }, (req.timeoutMs ?? 10_000) + outboxLease.ms);
      if (existing && existing.status !== 'pending') {
        const r = existing.result ?? {};
        return { status: Number(r.status ?? 0), body: String(r.body ?? ''), statusText: r.statusText as string | undefined, replayed: true };
      }
      if (d.dryRun) {
        // Nothing is sent, but a test run still shows that the destination would be refused.
        await resolveHttpUrl(req.url).catch((err) => {
          if (err instanceof DestinationRefusedError) throw refusedAsNodeError(err);
        });
        await complete(id, 'sent', { status: 200, body: '', dryRun: true });
        return { status: 200, body: '', replayed: false };
      }
      const attempt = () => outboundHttp(req.url, { method: req.method, body: req.body, timeoutMs: req.timeoutMs ?? 10_000, headers: { ...req.headers, 'idempotency-key': id } });
      const maxAttempts = req.retry?.maxAttempts ?? 1;
      let res: { status: number; statusText: string; body: string } | undefined;
      let attempts = 0;
      while (!res) {
        attempts++;
        try {
          res = await attempt();
        } catch (err) {
          if (err instanceof DestinationRefusedError) {
            await complete(id, 'failed', { status: 0, statusText: err.code, attempts });
            throw refusedAsNodeError(err);
          }
          res = { status: 0, statusText: requestFailure(err), body: '' };
        }
        if (!retryableStatus(res.status) || attempts >= maxAttempts) break;
        res = undefined;
        const wait = backoffMs(attempts, 500, 30_000);
        // The lease covers the wait: the call is still this attempt's.
        await store.outbox.updateOne({ _id: id }, { $inc: { attempts: 1 }, $set: { updatedAt: new Date(), leaseUntil: new Date(Date.now() + wait + outboxLease.ms) } });
        await new Promise((r) => setTimeout(r, wait));
      }
      const { status, statusText, body } = res;
      // Without retries of its own, a failing call is retried by the activity (same row, same key).
      if (!req.retry && retryableStatus(status) && !d.lastAttempt()) {
        await release(id);
        throw new RetryableHttpError(status === 0 ? redactText(`${req.method} ${redactUrl(req.url)} failed: ${statusText}`) : `${req.method} ${redactUrl(req.url)} answered ${status}`);
      }
      const ok = status >= 200 && status < 300;
      // A failed answer keeps its status only: error pages can echo secrets, and steps are readable by every role.
      await complete(id, ok ? 'sent' : 'failed', ok ? { status, body, attempts } : { status, statusText, attempts });
      return { status, body, statusText, replayed: false, ...(req.retry ? { attempts } : {}) };
    },
  };
}

/** Tickets and team alerts go to staff, not to the contact: consent and the contact's frequency cap don't apply. */
const toContact = (message: OutboundMessage) => message.kind !== 'ticket' && message.kind !== 'alert';

/** How long the outcome of a call that went out is retried against the store before the activity gives up. */
export const OUTCOME_PERSIST_MS = 60_000;

/**
 * How long a claim keeps other attempts from making the same call: longer than a call takes (adapters time out
 * within 20 s), so only an attempt that died is called again. Mutable for tests.
 */
export const outboxLease = { ms: 30_000 };

const retryableStatus = (status: number) => status === 0 || status === 429 || status >= 500;

/** Backoff before attempt n+1 (n from 1): first, twice that, four times… capped. */
const backoffMs = (attempt: number, firstMs: number, capMs: number) => Math.min(firstMs * 2 ** (attempt - 1), capMs);

/** The refusal a blocked send recorded, thrown again when a retry finds its row. */
function blockedReplay(row: OutboxDoc): SendBlockedError {
  const r = row.result ?? {};
  const params = r.params && typeof r.params === 'object' ? (r.params as Record<string, unknown>) : {};
  const reason = String(r.reason ?? 'blocked');
  return new SendBlockedError(reason, typeof r.message === 'string' ? r.message : reason, params);
}

/** A refused destination is a business failure of the node: recorded on the step, never retried. */
function refusedAsNodeError(err: unknown): unknown {
  return err instanceof DestinationRefusedError ? new NodeError(err.code, err.message, { destination: err.destination, reason: err.reason }) : err;
}

export function isLastAttempt(maximumAttempts: number | undefined): boolean {
  if (!maximumAttempts) return false;
  return Context.current().info.attempt >= maximumAttempts;
}

/**
 * The contact's cross-journey frequency cap, counted from the outbox (every journey's sends are there, one row per
 * send, indexed by contact and channel): this send goes out only if fewer than `max` sends to the contact on the
 * channel, this one included, were claimed in the window before it. No write beyond the send's own row.
 */
async function withinFrequencyCap(store: Store, ref: EnrollmentRef, channel: string, cap: { max: number; per: Duration }, claimed: { id: string; at: Date }): Promise<boolean> {
  const sends = await store.outbox.find(
    { workspaceId: ref.workspaceId, contactId: ref.contactId, channel, kind: 'message', createdAt: { $gt: new Date(claimed.at.getTime() - durationMs(cap.per)), $lte: claimed.at } },
    { projection: { _id: 1, createdAt: 1, status: 1, 'request.dryRun': 1 } },
  ).limit(cap.max + 50).toArray();
  // Earlier claims count (ties broken by id); skipped, refused (failed) and dry-run ones were never sent.
  const before = sends.filter((o) => o.status !== 'skipped' && o.status !== 'failed' && !o.request?.dryRun && (o.createdAt < claimed.at || (o.createdAt.getTime() === claimed.at.getTime() && o._id <= claimed.id)));
  return before.length <= cap.max;
}
