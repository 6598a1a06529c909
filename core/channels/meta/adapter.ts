/**
 * Sending through a connected Meta channel (settings.kind 'meta', wired in workspace-adapter.ts):
 * - a reply to a comment (the event's threadId is the comment id) is a public reply on that comment;
 * - any other reply or DM is a message: Messenger / Instagram through the Send API, WhatsApp through the Cloud API,
 *   only as the 24-hour window allows (policy.ts, checked before the call): `RESPONSE` inside it, the channel's
 *   message tag outside it when one is configured, else refused (`outside_24h_window`, the node's `blocked` port or
 *   its fallback);
 * - a message carrying a template (the reply node's template fallback) is, on WhatsApp, a template message with the
 *   template's name, the channel's template language and the fields as body variables: not bound by the window.
 * Meta's message id is the provider id, which delivery and read webhooks name. Refusals and errors no retry can fix
 * (an expired token: code 190) are NodeErrors on the step; rate limits past the client's own back-off, 5xx and
 * network failures are thrown for the activity to retry.
 */
import { NodeError, SendBlockedError, type OutboundMessage } from '../../../nodes/contract';
import { inBothLanguages } from '../../../nodes/field-messages';
import type { MetaChannelSettings } from '../../store/channel-configs';
import type { Store } from '../../store/db';
import type { PlatformProfile } from '../channel-adapter';
import { templateOf } from '../wechat/adapter';
import { MetaApiError, metaCodeText, replyToComment, sendPageMessage, sendPrivateReply, sendWhatsapp, userProfile, type MetaAccount } from './client';
import { lastInboundAt, META_REFUSALS, messagingVerdict, PRIVATE_REPLY_POLICY, PRIVATE_REPLY_REFUSALS, privateReplyVerdict } from './policy';
import { isDuplicateKey } from '../../store/errors';

export interface MetaConnection {
  store: Store;
  workspaceId: string;
  channel: string;
  settings: MetaChannelSettings;
  /** The Page / Instagram / WhatsApp access token (the channel's token), decrypted. */
  accessToken: string | undefined;
  /** The App Secret (the channel's webhook secret), decrypted: it signs every call's appsecret_proof. */
  appSecret: string | undefined;
}

export const DEFAULT_TEMPLATE_LANGUAGE = 'en_US';

const NOT_CONNECTED = {
  en: 'not sent: this Meta channel has no access token (PUT /api/v1/channels/:channel with "token")',
  'zh-CN': '未发送：此 Meta 渠道未配置访问令牌（通过 PUT /api/v1/channels/:channel 提供 "token"）',
};
const UNSUPPORTED = {
  en: 'not sent: a Meta channel sends replies and direct messages only',
  'zh-CN': '未发送：Meta 渠道只能发送回复和私信',
};
const NO_PHONE_NUMBER = {
  en: 'not sent: this WhatsApp channel has no phone number id (settings.phoneNumberId)',
  'zh-CN': '未发送：此 WhatsApp 渠道未配置电话号码 ID（settings.phoneNumberId）',
};

export function metaAccount(c: Pick<MetaConnection, 'workspaceId' | 'channel' | 'settings' | 'accessToken' | 'appSecret'>): MetaAccount {
  if (!c.accessToken) throw new NodeError('channel_not_connected', inBothLanguages(NOT_CONNECTED), { channel: c.channel });
  return {
    workspaceId: c.workspaceId, channel: c.channel, platform: c.settings.platform, accessToken: c.accessToken, appSecret: c.appSecret,
    apiBaseUrl: c.settings.apiBaseUrl, apiVersion: c.settings.apiVersion,
  };
}

const OPERATION_ZH: Record<string, string> = {
  'Send API message': '发送消息', 'comment reply': '回复评论', 'private reply': '私信回复评论', 'WhatsApp message': 'WhatsApp 消息', 'WhatsApp template message': 'WhatsApp 模板消息',
  'user profile': '获取用户资料', me: '读取主页', 'phone number': '读取电话号码',
};

function windowRefusal(c: MetaConnection, lastInbound?: Date): SendBlockedError {
  return new SendBlockedError('outside_24h_window', inBothLanguages(META_REFUSALS[c.settings.platform]), {
    channel: c.channel, platform: c.settings.platform, ...(lastInbound ? { lastInboundAt: lastInbound.toISOString() } : {}),
  });
}

/** Meta's refusals as the step's error; throttling and Meta's own failures are thrown as they are (retried). */
function asNodeError(err: unknown, c: MetaConnection): unknown {
  if (!(err instanceof MetaApiError)) return err;
  if (err.windowClosed) return windowRefusal(c);
  if (err.code === 10900) return new SendBlockedError('private_reply_used', inBothLanguages(PRIVATE_REPLY_REFUSALS.private_reply_used), { channel: c.channel, platform: c.settings.platform });
  if (err.transient) return err;
  const meaning = metaCodeText(err.code);
  const code = `code ${err.code}${err.subcode ? `, subcode ${err.subcode}` : ''}`;
  const refusal = {
    en: `not sent: Meta refused the ${err.operation} (${code}${meaning ? `: ${meaning.en}` : ''})${err.metaMessage ? ` — ${err.metaMessage}` : ''}`,
    'zh-CN': `未发送：Meta 拒绝了${OPERATION_ZH[err.operation] ?? err.operation}请求（${code}${meaning ? `：${meaning['zh-CN']}` : ''}）${err.metaMessage ? ` — ${err.metaMessage}` : ''}`,
  };
  return new NodeError(err.tokenInvalid ? 'meta_token_invalid' : 'meta_refused', inBothLanguages(refusal), {
    channel: c.channel, code: err.code, ...(err.subcode ? { subcode: err.subcode } : {}), ...(err.fbtraceId ? { fbtraceId: err.fbtraceId } : {}),
  });
}

/** The send's outbox row is marked failed with the reason; a blocked one as blocked, which a retry replays. */
async function recordRefusal(store: Store, idempotencyKey: string, refusal: NodeError) {
  const result = refusal instanceof SendBlockedError ? { reason: refusal.code, blocked: true, message: refusal.message, params: refusal.params } : { reason: refusal.code };
  await store.outbox.updateOne({ _id: idempotencyKey, status: 'pending' }, { $set: { status: 'failed', result, updatedAt: new Date() } }).catch(() => undefined);
}

/** The comment a reply answers, when `inReplyTo` is a comment this person made on this channel. */
async function answeredComment(c: MetaConnection, message: OutboundMessage): Promise<string | undefined> {
  if (message.kind !== 'reply' || !message.inReplyTo || c.settings.platform === 'whatsapp') return undefined;
  const doc = await c.store.interactions.findOne({ _id: `${c.workspaceId}|event|meta:comment:${message.inReplyTo}` }, { projection: { channel: 1, handle: 1, type: 1 } });
  return doc && doc.type === 'social.comment' && doc.channel === message.channel && doc.handle === message.to ? message.inReplyTo : undefined;
}

const fallbackId = (message: OutboundMessage, key: string) => `${message.channel}:${key}`;

async function sendWhatsappMessage(c: MetaConnection, acct: MetaAccount, message: OutboundMessage, now: Date): Promise<string | undefined> {
  const phoneNumberId = c.settings.phoneNumberId;
  if (!phoneNumberId) throw new NodeError('channel_not_connected', inBothLanguages(NO_PHONE_NUMBER), { channel: c.channel });
  const template = templateOf(message);
  const verdict = messagingVerdict({ platform: 'whatsapp', template: !!template, now, lastInboundAt: template ? undefined : await lastInboundAt(c.store, c.workspaceId, c.channel, message.to, now) });
  if (!verdict.ok) throw windowRefusal(c, verdict.lastInboundAt);
  if (!template) return sendWhatsapp(acct, phoneNumberId, message.to, { text: message.text });
  const body = Object.fromEntries(Object.entries(template.data).map(([k, v]) => [k, typeof v === 'string' ? v : v.value]));
  return sendWhatsapp(acct, phoneNumberId, message.to, { template: { name: template.templateId, language: template.language ?? c.settings.templateLanguage ?? DEFAULT_TEMPLATE_LANGUAGE, body } });
}

/** The comment a DM answers (`respondsTo`), when it is a comment this person made on this channel. */
async function respondedComment(c: MetaConnection, message: OutboundMessage): Promise<{ commentId: string; at: Date } | undefined> {
  if (message.kind !== 'dm' || !message.respondsTo || !PRIVATE_REPLY_POLICY.platforms.includes(c.settings.platform)) return undefined;
  const doc = await c.store.interactions.findOne({ _id: `${c.workspaceId}|event|meta:comment:${message.respondsTo}` }, { projection: { channel: 1, handle: 1, type: 1, occurredAt: 1 } });
  return doc && doc.type === PRIVATE_REPLY_POLICY.eventType && doc.channel === message.channel && doc.handle === message.to ? { commentId: message.respondsTo, at: doc.occurredAt } : undefined;
}

const privateReplies = (s: Store) => s.db.collection<{ _id: string; workspaceId: string; key: string; at: Date }>('meta_private_replies');

/**
 * Claims the comment's one private reply for this send (atomic: of two journeys answering one comment, one gets it);
 * true when it is this send's (a retry of it finds its own claim). A claim Meta then refused is given back.
 */
async function claimPrivateReply(c: MetaConnection, commentId: string, key: string, now: Date): Promise<boolean> {
  const _id = `${c.workspaceId}|${c.channel}|${commentId}`;
  try {
    await privateReplies(c.store).insertOne({ _id, workspaceId: c.workspaceId, key, at: now });
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return (await privateReplies(c.store).findOne({ _id }))?.key === key;
  }
}

async function sendPageText(c: MetaConnection, acct: MetaAccount, message: OutboundMessage, key: string, now: Date): Promise<string | undefined> {
  // A DM answering a comment is that comment's private reply while it may have one; else the window's rules apply.
  let privateRefusal: keyof typeof PRIVATE_REPLY_REFUSALS | undefined;
  const comment = await respondedComment(c, message);
  if (comment) {
    const inWindow = privateReplyVerdict({ commentAt: comment.at, now, sent: 0 });
    const verdict = inWindow.ok && !(await claimPrivateReply(c, comment.commentId, key, now)) ? privateReplyVerdict({ commentAt: comment.at, now, sent: 1 }) : inWindow;
    if (verdict.ok) {
      try {
        return await sendPrivateReply(acct, comment.commentId, message.text);
      } catch (err) {
        if (err instanceof MetaApiError && !err.transient) await privateReplies(c.store).deleteOne({ _id: `${c.workspaceId}|${c.channel}|${comment.commentId}`, key });
        throw err;
      }
    }
    privateRefusal = verdict.reason;
  }
  const verdict = messagingVerdict({ platform: c.settings.platform, now, messageTag: c.settings.messageTag, lastInboundAt: await lastInboundAt(c.store, c.workspaceId, c.channel, message.to, now) });
  if (!verdict.ok || verdict.send === 'template') {
    if (!privateRefusal) throw windowRefusal(c, verdict.ok ? undefined : verdict.lastInboundAt);
    throw new SendBlockedError(privateRefusal, inBothLanguages(PRIVATE_REPLY_REFUSALS[privateRefusal]), { channel: c.channel, platform: c.settings.platform, commentId: comment!.commentId });
  }
  return sendPageMessage(acct, message.to, message.text, verdict.send === 'tag' ? { type: 'MESSAGE_TAG', tag: verdict.tag } : { type: 'RESPONSE' });
}

export async function metaSend(c: MetaConnection, message: OutboundMessage, idempotencyKey: string, now = new Date()): Promise<{ providerId: string }> {
  try {
    if (message.kind !== 'reply' && message.kind !== 'dm') throw new NodeError('unsupported_message_kind', inBothLanguages(UNSUPPORTED), { channel: c.channel, kind: message.kind });
    const acct = metaAccount(c);
    if (c.settings.platform === 'whatsapp') return { providerId: (await sendWhatsappMessage(c, acct, message, now)) ?? fallbackId(message, idempotencyKey) };
    const comment = await answeredComment(c, message);
    if (comment) return { providerId: (await replyToComment(acct, comment, message.text)) ?? fallbackId(message, idempotencyKey) };
    return { providerId: (await sendPageText(c, acct, message, idempotencyKey, now)) ?? fallbackId(message, idempotencyKey) };
  } catch (err) {
    const out = asNodeError(err, c);
    if (out instanceof NodeError) await recordRefusal(c.store, idempotencyKey, out);
    throw out;
  }
}

const nonEmpty = <K extends string>(key: K, v: unknown) => (typeof v === 'string' && v ? { [key]: v } as Record<K, string> : {});

/**
 * A person's profile: Messenger and Instagram from Graph (name, picture; Instagram also username, followers and
 * whether the account is verified); WhatsApp has no profile API, so the name its webhooks carried
 * (contacts[].profile.name) on the person's latest message.
 */
export async function metaFetchProfile(c: MetaConnection, handle: string): Promise<PlatformProfile | undefined> {
  if (c.settings.platform === 'whatsapp') {
    const [last] = await c.store.interactions.find(
      { workspaceId: c.workspaceId, kind: 'event', channel: c.channel, handle, type: 'social.dm', 'data.profileName': { $exists: true } },
      { projection: { data: 1 } },
    ).sort({ occurredAt: -1 }).limit(1).toArray();
    return { handle, ...nonEmpty('name', last?.data?.profileName) };
  }
  if (!c.accessToken) return undefined;
  try {
    const p = await userProfile({ ...metaAccount(c), platform: c.settings.platform }, handle);
    const name = typeof p.name === 'string' && p.name ? p.name : [p.first_name, p.last_name].filter((x) => typeof x === 'string' && x).join(' ');
    return {
      handle, ...nonEmpty('name', name), ...nonEmpty('avatarUrl', p.profile_pic), ...nonEmpty('username', p.username),
      ...(typeof p.follower_count === 'number' ? { followers: p.follower_count } : {}),
      ...(typeof p.is_verified_user === 'boolean' ? { verified: p.is_verified_user } : {}),
    };
  } catch (err) {
    // A person Meta does not show this Page (100: no such object, or no permission to see it) has no profile.
    if (err instanceof MetaApiError && err.code === 100) return undefined;
    throw asNodeError(err, c);
  }
}
