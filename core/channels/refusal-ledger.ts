/**
 * The outbox row of a send a platform refused, marked failed with the reason (a blocked one as blocked, which a
 * retry replays): without it a NodeError would leave the row pending, and a later retry would call the platform again.
 */
import { SendBlockedError, type NodeError } from '../../nodes/contract';
import type { Store } from '../store/db';

export async function recordRefusal(store: Store, idempotencyKey: string, refusal: NodeError): Promise<void> {
  const result = refusal instanceof SendBlockedError ? { reason: refusal.code, blocked: true, message: refusal.message, params: refusal.params } : { reason: refusal.code };
  await store.outbox.updateOne({ _id: idempotencyKey, status: 'pending' }, { $set: { status: 'failed', result, updatedAt: new Date() } }).catch(() => undefined);
}

/** Where a platform posts to this channel: the hooks URL under the API's public address. */
export const hookUrl = (publicUrl: string, workspaceId: string, channel: string) =>
  `${publicUrl.replace(/\/+$/, '')}/api/v1/hooks/${encodeURIComponent(workspaceId)}/${encodeURIComponent(channel)}`;
