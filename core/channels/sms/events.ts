/**
 * What a Twilio webhook means, as contact events (no I/O; inbound.ts verifies and ingests them). Both arrive as
 * form posts (https://www.twilio.com/docs/messaging/guides/webhook-request):
 * - an incoming message (MessageSid, From, To, Body…) → `social.dm` from the sender's number, thread = the number;
 *   a message that is only an opt-out or opt-in keyword → `sms.opted_out` / `sms.opted_in` instead (consent.ts), so
 *   a STOP never starts a conversation journey;
 * - a status callback (MessageSid, MessageStatus…) → `message.delivered` (delivered), `message.read` (read) or
 *   `message.failed` (undelivered, failed, with Twilio's ErrorCode); the steps before (queued, sent…) say nothing a
 *   send did not.
 * Event ids are Twilio's SIDs (and the status), so a redelivery is the same event and ingested once. A post of
 * another account is not this channel's.
 */
import type { ContactEvent } from '../../../nodes/contract';
import { keywordConsent } from './consent';

const OUTCOMES: Record<string, string> = { delivered: 'message.delivered', read: 'message.read', undelivered: 'message.failed', failed: 'message.failed' };
const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
const ADDRESS = /^[A-Za-z0-9+:@._ -]{1,64}$/;

export type SmsWebhook =
  | { kind: 'message'; event: ContactEvent; consent?: 'opted_out' | 'opted_in' }
  | { kind: 'status'; event?: ContactEvent }
  | { kind: 'ignored' };

export function smsWebhookEvent(p: Record<string, string>, ctx: { channel: string; accountSid: string }, now = new Date()): SmsWebhook {
  const sid = p.MessageSid ?? p.SmsSid;
  if (!sid || !SID.test(sid) || (p.AccountSid && p.AccountSid !== ctx.accountSid)) return { kind: 'ignored' };
  const occurredAt = now.toISOString();
  const status = p.MessageStatus ?? (p.Body === undefined ? p.SmsStatus : undefined);
  if (status && status !== 'received') {
    const type = OUTCOMES[status];
    if (!type || !p.To || !ADDRESS.test(p.To)) return { kind: 'status' };
    const errorCode = p.ErrorCode && /^\d{1,6}$/.test(p.ErrorCode) ? Number(p.ErrorCode) : undefined;
    return {
      kind: 'status',
      event: {
        id: `twilio:status:${sid}:${status}`, type, channel: ctx.channel, handle: p.To, occurredAt,
        data: { providerId: sid, status, ...(type === 'message.failed' ? { reason: errorCode !== undefined ? `twilio_${errorCode}` : status, ...(errorCode !== undefined ? { errorCode } : {}) } : {}) },
      },
    };
  }
  if (!p.From || !ADDRESS.test(p.From)) return { kind: 'ignored' };
  const text = p.Body ?? '';
  const consent = keywordConsent(text);
  const numMedia = Number(p.NumMedia ?? 0);
  return {
    kind: 'message',
    consent,
    event: {
      id: `twilio:${sid}`, type: consent === 'opted_out' ? 'sms.opted_out' : consent === 'opted_in' ? 'sms.opted_in' : 'social.dm',
      channel: ctx.channel, handle: p.From, threadId: p.From, occurredAt, ...(text ? { text: text.slice(0, 20_000) } : {}),
      data: {
        messageSid: sid, to: p.To ?? '', ...(Number.isFinite(numMedia) && numMedia > 0 ? { numMedia } : {}),
        ...(p.FromCountry ? { fromCountry: p.FromCountry.slice(0, 8) } : {}),
      },
    },
  };
}
