import { describe, expect, it } from 'vitest';
import { smsWebhookEvent } from './events';
import { keywordConsent } from './consent';

const ctx = { channel: 'sms', accountSid: `AC${'a'.repeat(32)}` };
const sid = `SM${'1'.repeat(32)}`;
const now = new Date('2026-01-02T03:04:05Z');

describe('Twilio webhooks as events', () => {
  it('an incoming message is a social.dm from the sender, threaded on the number', () => {
    const r = smsWebhookEvent({ MessageSid: sid, AccountSid: ctx.accountSid, From: '+15551230001', To: '+15550000000', Body: 'hi there', NumMedia: '0', SmsStatus: 'received' }, ctx, now);
    expect(r).toEqual({
      kind: 'message', consent: undefined,
      event: { id: `twilio:${sid}`, type: 'social.dm', channel: 'sms', handle: '+15551230001', threadId: '+15551230001', occurredAt: now.toISOString(), text: 'hi there', data: { messageSid: sid, to: '+15550000000' } },
    });
  });
  it('STOP and START are consent events, not conversations', () => {
    expect(smsWebhookEvent({ MessageSid: sid, From: '+15551230001', To: '+1555', Body: ' stop ' }, ctx, now)).toMatchObject({ consent: 'opted_out', event: { type: 'sms.opted_out' } });
    expect(smsWebhookEvent({ MessageSid: sid, From: '+15551230001', To: '+1555', Body: 'START' }, ctx, now)).toMatchObject({ consent: 'opted_in', event: { type: 'sms.opted_in' } });
    expect(keywordConsent('please stop sending')).toBeUndefined();
    expect(keywordConsent('Unsubscribe.')).toBe('opted_out');
  });
  it('status callbacks: delivered, undelivered with its error code, and the steps before ignored', () => {
    expect(smsWebhookEvent({ MessageSid: sid, MessageStatus: 'delivered', To: '+15551230001', From: '+1555' }, ctx, now)).toMatchObject({ kind: 'status', event: { id: `twilio:status:${sid}:delivered`, type: 'message.delivered', handle: '+15551230001', data: { providerId: sid } } });
    expect(smsWebhookEvent({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003', To: '+15551230001' }, ctx, now)).toMatchObject({ event: { type: 'message.failed', data: { reason: 'twilio_30003', errorCode: 30003 } } });
    expect(smsWebhookEvent({ MessageSid: sid, MessageStatus: 'sent', To: '+15551230001' }, ctx, now)).toEqual({ kind: 'status' });
  });
  it('another account\'s post or one without a SID is not this channel\'s', () => {
    expect(smsWebhookEvent({ MessageSid: sid, AccountSid: `AC${'b'.repeat(32)}`, From: '+1', Body: 'x' }, ctx, now)).toEqual({ kind: 'ignored' });
    expect(smsWebhookEvent({ From: '+1', Body: 'x' }, ctx, now)).toEqual({ kind: 'ignored' });
  });
});
