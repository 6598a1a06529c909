/**
 * Sending through a connected WeChat Official Account (settings.kind 'wechat', wired in workspace-adapter.ts):
 * - a reply or a DM is a customer-service text message (an Official Account has no public reply to a user), sent
 *   only inside the customer-service window (policy.ts); outside it the step records `outside_48h_window`;
 * - a message whose `data.wechatTemplate` names a template is a template message, not bound by the window, and
 *   keeps WeChat's msgid as its provider id: the outbox row that the TEMPLATESENDJOBFINISH push is matched to
 *   (template-outcome.ts).
 * Refusals and errcodes no retry can fix are NodeErrors (recorded on the step, the run follows the node's error
 * port); network failures, 5xx and busy answers past the client's own retries are thrown for the activity to retry.
 */
import { NodeError, SendBlockedError, type OutboundMessage } from '../../../nodes/contract';
import { inBothLanguages } from '../../../nodes/field-messages';
import type { Store } from '../../store/db';
import type { WechatChannelSettings } from '../../store/channel-configs';
import type { PlatformProfile } from '../channel-adapter';
import { sendCustomText, sendTemplate, userInfo, WechatApiError, wechatErrcodeText, type TemplateMessage, type WechatAccount } from './client';
import { customerServiceWindow, WINDOW_REFUSALS, type WindowRefusal } from './policy';

export interface WechatConnection {
  store: Store;
  workspaceId: string;
  channel: string;
  settings: WechatChannelSettings;
  /** The AppSecret (the channel's token), decrypted. */
  appSecret: string | undefined;
}

const NOT_CONNECTED = {
  en: 'not sent: this WeChat channel has no AppSecret (PUT /api/v1/channels/:channel with "token")',
  'zh-CN': '未发送：此微信渠道未配置 AppSecret（通过 PUT /api/v1/channels/:channel 提供 "token"）',
};

const UNSUPPORTED = {
  en: 'not sent: a WeChat Official Account sends replies and direct messages (customer-service or template messages) only',
  'zh-CN': '未发送：微信公众号只能发送回复和私信（客服消息或模板消息）',
};

function account(c: WechatConnection): WechatAccount {
  if (!c.appSecret) throw new NodeError('channel_not_connected', inBothLanguages(NOT_CONNECTED), { channel: c.channel });
  return { workspaceId: c.workspaceId, channel: c.channel, appId: c.settings.appId, appSecret: c.appSecret, apiBaseUrl: c.settings.apiBaseUrl };
}

/** The template a message asks for (`data.wechatTemplate: { templateId, data, url? }`), when it is well formed. */
export function templateOf(message: OutboundMessage): TemplateMessage | undefined {
  const t = message.data?.wechatTemplate as Partial<TemplateMessage> | undefined;
  if (!t || typeof t !== 'object' || typeof t.templateId !== 'string' || !t.templateId) return undefined;
  const data = t.data && typeof t.data === 'object' && !Array.isArray(t.data) ? t.data : {};
  return { templateId: t.templateId, data, url: typeof t.url === 'string' ? t.url : undefined, miniprogram: t.miniprogram, language: typeof t.language === 'string' && t.language ? t.language : undefined };
}

function windowRefusal(reason: WindowRefusal, channel: string, lastInboundAt?: Date): NodeError {
  return new SendBlockedError(reason, inBothLanguages(WINDOW_REFUSALS[reason]), { channel, ...(lastInboundAt ? { lastInboundAt: lastInboundAt.toISOString() } : {}) });
}

/** The client's operation names, as a Chinese reader knows them. */
const OPERATION_ZH: Record<string, string> = {
  access_token: '获取 access_token', 'customer-service message': '客服消息', 'template message': '模板消息', 'user info': '获取用户信息',
};

/** An errcode no retry can fix, as the step's error; anything else is thrown as it is (retried). */
function asNodeError(err: unknown, channel: string): unknown {
  if (!(err instanceof WechatApiError) || !err.permanent) return err;
  if (err.errcode === 45015) return windowRefusal('outside_48h_window', channel);
  if (err.errcode === 43004) return windowRefusal('unsubscribed', channel);
  const meaning = wechatErrcodeText(err.errcode);
  const refusal = {
    en: `not sent: WeChat ${err.operation}: errcode ${err.errcode}${meaning ? ` (${meaning.en})` : ''}`,
    'zh-CN': `未发送：微信拒绝了${OPERATION_ZH[err.operation] ?? err.operation}请求：错误码 ${err.errcode}${meaning ? `（${meaning['zh-CN']}）` : ''}`,
  };
  return new NodeError('wechat_refused', inBothLanguages(refusal), { channel, errcode: err.errcode });
}

/**
 * The outbox row of this send (its id is the key node-services passes) is marked failed with the reason, as
 * node-services does for a refused destination, so the ledger shows why nothing went out.
 */
async function recordRefusal(store: Store, idempotencyKey: string, refusal: NodeError) {
  // `blocked`: the platform's rules refused it, and a retry finds it refused again (node-services replays it).
  const result = refusal instanceof SendBlockedError ? { reason: refusal.code, blocked: true, message: refusal.message, params: refusal.params } : { reason: refusal.code };
  await store.outbox.updateOne({ _id: idempotencyKey, status: 'pending' }, { $set: { status: 'failed', result, updatedAt: new Date() } }).catch(() => undefined);
}

export async function wechatSend(c: WechatConnection, message: OutboundMessage, idempotencyKey: string, now = new Date()): Promise<{ providerId: string }> {
  try {
    const template = templateOf(message);
    if (template) {
      const msgid = await sendTemplate(account(c), message.to, template);
      return { providerId: msgid ?? `${message.channel}:${idempotencyKey}` };
    }
    if (message.kind !== 'reply' && message.kind !== 'dm') throw new NodeError('unsupported_message_kind', inBothLanguages(UNSUPPORTED), { channel: c.channel, kind: message.kind });
    const acct = account(c);
    const window = await customerServiceWindow(c.store, c.workspaceId, c.channel, message.to, now);
    if (!window.open) throw windowRefusal(window.reason, c.channel, window.lastInboundAt);
    await sendCustomText(acct, message.to, message.text);
    // A customer-service message has no id in WeChat's answer.
    return { providerId: `${message.channel}:${idempotencyKey}` };
  } catch (err) {
    const out = asNodeError(err, c.channel);
    if (out instanceof NodeError) await recordRefusal(c.store, idempotencyKey, out);
    throw out;
  }
}

/** subscribe_time is Unix seconds of the latest follow: an ISO time, or nothing when WeChat sent none. */
function subscribedAt(v: unknown): string | undefined {
  const s = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(s) && s > 0 ? new Date(s * 1000).toISOString() : undefined;
}

/**
 * The user's profile from user/info. An unfollowed user has nothing but `subscribed: false`; nickname and avatar
 * are left out when WeChat answers them empty, as it now does for most accounts, so an empty value never
 * overwrites a name the contact already has.
 */
export async function wechatFetchProfile(c: WechatConnection, openid: string): Promise<PlatformProfile | undefined> {
  if (!c.appSecret) return undefined;
  const user = await userInfo(account(c), openid);
  if (!user) return undefined;
  if (!user.subscribed) return { handle: openid, subscribed: false };
  const since = subscribedAt(user.subscribe_time);
  return {
    handle: openid, subscribed: true,
    ...(typeof user.nickname === 'string' && user.nickname ? { name: user.nickname } : {}),
    ...(typeof user.headimgurl === 'string' && user.headimgurl ? { avatarUrl: user.headimgurl } : {}),
    ...(since ? { subscribedAt: since } : {}),
  };
}
