/**
 * Meta's webhook signature (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads):
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the App Secret>`. Compared in constant
 * time. Meta signs no timestamp and redelivers the very same bytes and signature, so no replay guard sits here:
 * a redelivery is ingested once by its events' ids instead.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

export function signMetaPayload(appSecret: string, raw: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw, 'utf8').digest('hex')}`;
}

export type MetaSignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

export function verifyMetaSignature(appSecret: string | undefined, raw: string, header: string | undefined): MetaSignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return { ok: false, reason: 'malformed' };
  // A channel without an App Secret refuses like a wrong signature, after the same work.
  const expected = Buffer.from(createHmac('sha256', appSecret ?? '').update(raw, 'utf8').digest('hex'));
  const given = Buffer.from(m[1].toLowerCase());
  if (!appSecret || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/** The verification GET's verify token against the configured one, in constant time. */
export function verifyTokenMatches(configured: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHmac('sha256', 'verify-token').update(configured).digest();
  const b = createHmac('sha256', 'verify-token').update(given).digest();
  return timingSafeEqual(a, b);
}
