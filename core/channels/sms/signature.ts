/**
 * Twilio's request signature (https://www.twilio.com/docs/usage/security#validating-requests): X-Twilio-Signature is
 * base64(HMAC-SHA1(Auth Token, the full URL Twilio called + every POST parameter's name and value, sorted by name)).
 * The URL is the public one (behind a proxy the API sees another), so it is built from JOURNEYS_PUBLIC_URL.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export type TwilioSignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'mismatch' };

export function verifyTwilioSignature(authToken: string | undefined, url: string, params: Record<string, string>, header: string | undefined): TwilioSignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  // Compared as digests of equal length, so neither the length nor the bytes of the expected value leak.
  const expected = createHmac('sha256', 'cmp').update(twilioSignature(authToken ?? '', url, params)).digest();
  const given = createHmac('sha256', 'cmp').update(header.trim()).digest();
  if (!authToken || !timingSafeEqual(expected, given)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/** The POST parameters of a form body, each name once (Twilio sends no repeated names on SMS webhooks). */
export function formParams(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) if (!(k in out)) out[k] = v;
  return out;
}
