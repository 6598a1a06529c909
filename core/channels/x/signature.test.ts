import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crcResponseToken, signXPayload, verifyXSignature } from './signature';

const secret = 'consumer-secret-0123456789abcdefghijklmnop';

describe('X webhook security', () => {
  it('answers the CRC with the base64 HMAC-SHA256 of the crc_token', () => {
    expect(crcResponseToken(secret, 'challenge')).toBe(`sha256=${createHmac('sha256', secret).update('challenge').digest('base64')}`);
  });

  it('accepts the signature of the raw bytes only, with the right secret', () => {
    const raw = '{"for_user_id":"1"}';
    expect(verifyXSignature(secret, raw, signXPayload(secret, raw))).toEqual({ ok: true });
    expect(verifyXSignature(secret, raw, undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyXSignature(secret, raw, 'sha256=zz')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyXSignature(secret, `${raw} `, signXPayload(secret, raw))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyXSignature('another-secret', raw, signXPayload(secret, raw))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyXSignature(undefined, raw, signXPayload('', raw))).toEqual({ ok: false, reason: 'mismatch' });
  });
});
