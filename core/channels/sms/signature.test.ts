import { describe, expect, it } from 'vitest';
import { formParams, twilioSignature, verifyTwilioSignature } from './signature';

// Twilio's own example (security docs, "Validating requests"): Auth Token 12345.
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };

describe('X-Twilio-Signature', () => {
  it('matches Twilio\'s documented example', () => {
    expect(twilioSignature('12345', url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });
  it('sorts parameters by name, whatever their order in the body', () => {
    const shuffled = formParams('To=%2B18005551212&Digits=1234&From=%2B14158675309&Caller=%2B14158675309&CallSid=CA1234567890ABCDE');
    expect(verifyTwilioSignature('12345', url, shuffled, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toEqual({ ok: true });
  });
  it('refuses a missing header, another URL, a changed parameter and a channel without a token', () => {
    const sig = twilioSignature('12345', url, params);
    expect(verifyTwilioSignature('12345', url, params, undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyTwilioSignature('12345', 'http://mycompany.com/myapp.php?foo=1&bar=2', params, sig).ok).toBe(false);
    expect(verifyTwilioSignature('12345', url, { ...params, Digits: '1235' }, sig).ok).toBe(false);
    expect(verifyTwilioSignature(undefined, url, params, sig)).toEqual({ ok: false, reason: 'mismatch' });
  });
});
