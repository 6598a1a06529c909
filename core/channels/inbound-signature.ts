/**
 * Signed inbound webhooks of the generic JSON channel, and the replay guard every inbound platform hook uses.
 *
 * `X-Journeys-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`: the timestamp is
 * inside the signed bytes, so an old delivery cannot be made fresh; deliveries older than five minutes (or more
 * than five minutes ahead) are refused, and each signature is accepted once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../secrets';
import type { Store } from '../store/db';
import { isDuplicateKey } from '../store/errors';

export const WEBHOOK_SIGNATURE_HEADER = 'x-journeys-signature';
export const SIGNATURE_TOLERANCE_S = 300;

export function signWebhook(secret: string, rawBody: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},sha256=${createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex')}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'stale' };

export function verifyWebhookSignature(secret: string, rawBody: string, header: string | undefined, now = new Date()): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const m = /^t=(\d{1,12}),sha256=([0-9a-f]{64})$/.exec(header.trim());
  if (!m) return { ok: false, reason: 'malformed' };
  const t = Number(m[1]);
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  const given = Buffer.from(m[2]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  if (Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_S) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp: t };
}

interface ReceiptDoc { _id: string; workspaceId: string; at: Date }

const receipts = (s: Store) => s.db.collection<ReceiptDoc>('webhook_receipts');
let sinceSweep = 0;

/**
 * Records one delivery by a key only it has (its signature, a platform's nonce or message id); false when the key
 * was seen before — a replay. Keys are kept a little longer than the signature tolerance, which bounds them.
 */
export async function firstDelivery(s: Store, workspaceId: string, channel: string, key: string, now = new Date()): Promise<boolean> {
  try {
    await receipts(s).insertOne({ _id: `${workspaceId}|${channel}|${sha256(key)}`, workspaceId, at: now });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  // The embedded store has no TTL indexes: old receipts are swept now and then by whoever writes one.
  if (++sinceSweep >= 200) {
    sinceSweep = 0;
    await receipts(s).deleteMany({ at: { $lt: new Date(now.getTime() - 2 * SIGNATURE_TOLERANCE_S * 1000) } });
  }
  return true;
}
