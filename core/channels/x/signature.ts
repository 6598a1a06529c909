/**
 * X's webhook security (Account Activity API, "Securing webhooks"), both keyed with the app's Consumer Secret:
 * - the Challenge-Response Check: a GET with `crc_token`, answered `{"response_token":"sha256=<base64 HMAC-SHA256
 *   of the crc_token>"}` within three seconds (X repeats it about hourly; a failed one pauses deliveries);
 * - every POST carries `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the raw body>`, compared here in
 *   constant time. X signs no timestamp and redelivers the same bytes, so no replay guard sits here: a redelivery is
 *   ingested once by its events' ids (the post or DM id).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

const hmac = (secret: string, message: string) => createHmac('sha256', secret).update(message, 'utf8').digest();

export function crcResponseToken(consumerSecret: string, crcToken: string): string {
  return `sha256=${hmac(consumerSecret, crcToken).toString('base64')}`;
}

export function signXPayload(consumerSecret: string, raw: string): string {
  return `sha256=${hmac(consumerSecret, raw).toString('base64')}`;
}

export type XSignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

export function verifyXSignature(consumerSecret: string | undefined, raw: string, header: string | undefined): XSignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const m = /^sha256=([A-Za-z0-9+/]{43}=)$/.exec(header.trim());
  if (!m) return { ok: false, reason: 'malformed' };
  // A channel without a Consumer Secret refuses like a wrong signature, after the same work.
  const expected = hmac(consumerSecret ?? '', raw);
  const given = Buffer.from(m[1], 'base64');
  if (!consumerSecret || given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
