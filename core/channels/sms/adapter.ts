/**
 * Sending through a connected SMS channel (settings.kind 'sms', wired in workspace-adapter.ts): every message kind a
 * person receives (the reply node's `sms` fallback, a DM, a reply) is one SMS from the channel's number or Messaging
 * Service, with a StatusCallback to this channel's hook URL when the API's public address is known, so delivery
 * becomes message.delivered / message.failed linked to the send by its SID (the outbox row's providerId).
 * Twilio's 21610 (the recipient replied STOP) is a refusal no retry fixes: the node's `blocked` port (or its
 * fallback), and the contact's SMS consent is withdrawn so no later journey tries again. Throttling past the
 * client's own back-off and Twilio's 5xx are thrown for the activity to retry; anything else is the step's error.
 */
import { NodeError, SendBlockedError, type LocalizedText, type OutboundMessage } from '../../../nodes/contract';
import { inBothLanguages } from '../../../nodes/field-messages';
import type { SmsChannelSettings } from '../../store/channel-configs';
import { findContactByIdentity } from '../../store/contacts';
import type { Store } from '../../store/db';
import { hookUrl, recordRefusal } from '../refusal-ledger';
import { applySmsConsent } from './consent';
import { createMessage, TwilioApiError, twilioCodeText, UNSUBSCRIBED_CODE, type TwilioAccount } from './client';

export interface SmsConnection {
  store: Store;
  workspaceId: string;
  channel: string;
  settings: SmsChannelSettings;
  /** The Auth Token, decrypted. */
  authToken: string | undefined;
  /** The API's public address (JOURNEYS_PUBLIC_URL), for the status callbacks. */
  publicUrl?: string;
}

export const UNSUBSCRIBED_SOURCE = 'twilio.21610';

const NOT_CONNECTED: LocalizedText = {
  en: 'not sent: this SMS channel has no Auth Token (PUT /api/v1/channels/:channel with "token")',
  'zh-CN': '未发送：此短信渠道未配置 Auth Token（通过 PUT /api/v1/channels/:channel 提供 "token"）',
};
const UNSUPPORTED: LocalizedText = { en: 'not sent: an SMS channel sends messages to people only', 'zh-CN': '未发送：短信渠道只能向联系人发送消息' };
const UNSUBSCRIBED: LocalizedText = {
  en: 'not sent: the recipient has unsubscribed from SMS (replied STOP); only their START sends again',
  'zh-CN': '未发送：收件人已退订短信（回复了 STOP）；对方回复 START 后才能再次发送',
};

export function twilioAccount(c: Pick<SmsConnection, 'channel' | 'settings' | 'authToken'>): TwilioAccount {
  if (!c.authToken) throw new NodeError('channel_not_connected', inBothLanguages(NOT_CONNECTED), { channel: c.channel });
  return { accountSid: c.settings.accountSid, authToken: c.authToken, apiBaseUrl: c.settings.apiBaseUrl };
}

function asNodeError(err: unknown, c: SmsConnection): unknown {
  if (!(err instanceof TwilioApiError) || err.transient) return err;
  if (err.code === UNSUBSCRIBED_CODE) return new SendBlockedError('unsubscribed', inBothLanguages(UNSUBSCRIBED), { channel: c.channel, code: err.code });
  const meaning = twilioCodeText(err.code);
  const code = err.code !== undefined ? `code ${err.code}` : `HTTP ${err.status}`;
  const said = err.twilioMessage ? ` — ${err.twilioMessage}` : '';
  return new NodeError(err.authFailed ? 'sms_auth_failed' : 'sms_refused', inBothLanguages({
    en: `not sent: the SMS gateway refused the message (${code}${meaning ? `: ${meaning.en}` : ''})${said}`,
    'zh-CN': `未发送：短信网关拒绝了该消息（${code}${meaning ? `：${meaning['zh-CN']}` : ''}）${said}`,
  }), { channel: c.channel, status: err.status, ...(err.code !== undefined ? { code: err.code } : {}), ...(err.moreInfo ? { moreInfo: err.moreInfo } : {}) });
}

/** Twilio's word that the person opted out stands as their consent: journeys honour it before calling again. */
async function withdrawConsent(c: SmsConnection, to: string) {
  const contact = await findContactByIdentity(c.store, c.workspaceId, { channel: c.channel, handle: to });
  if (contact) await applySmsConsent(c.store, c.workspaceId, contact._id, { channel: c.channel, status: 'opted_out', source: UNSUBSCRIBED_SOURCE, at: new Date(), eventId: `${UNSUBSCRIBED_SOURCE}:${Date.now()}` });
}

export async function smsSend(c: SmsConnection, message: OutboundMessage, idempotencyKey: string): Promise<{ providerId: string }> {
  try {
    if (message.kind === 'ticket' || message.kind === 'alert' || message.kind === 'email') {
      throw new NodeError('unsupported_message_kind', inBothLanguages(UNSUPPORTED), { channel: c.channel, kind: message.kind });
    }
    const sid = await createMessage(twilioAccount(c), {
      to: message.to, body: message.text, from: c.settings.from, messagingServiceSid: c.settings.messagingServiceSid,
      ...(c.publicUrl ? { statusCallback: hookUrl(c.publicUrl, c.workspaceId, c.channel) } : {}),
    });
    return { providerId: sid ?? `${c.channel}:${idempotencyKey}` };
  } catch (err) {
    const out = asNodeError(err, c);
    if (out instanceof SendBlockedError) await withdrawConsent(c, message.to);
    if (out instanceof NodeError) await recordRefusal(c.store, idempotencyKey, out);
    throw out;
  }
}
