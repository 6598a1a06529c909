/**
 * Sending through a connected X channel (settings.kind 'x', wired in workspace-adapter.ts):
 * - a reply to a post that mentioned or answered the account (the event's threadId is the post id) is a public
 *   reply to that post (POST /2/tweets, reply.in_reply_to_tweet_id);
 * - any other reply, and a DM, is a one-to-one DM (POST /2/dm_conversations/with/:id/messages).
 * policy.ts is checked before the call (length, DMs only to people who DMed the account, the plan's post limit,
 * duplicate text): a refusal takes the node's `blocked` port with its reason. So does X's own refusal of a DM
 * (403: the person does not accept DMs from the account) and of duplicate content (187). An invalid or expired token
 * (401) is a NodeError no retry can fix; 429 past the client's wait for x-rate-limit-reset, 5xx and network failures
 * are thrown for the activity to retry. The post id, or the DM event id, is the send's provider id.
 */
import { NodeError, SendBlockedError, type OutboundMessage } from '../../../nodes/contract';
import { inBothLanguages } from '../../../nodes/field-messages';
import { channelTokenSecret, channelWebhookSecret, type XChannelSettings } from '../../store/channel-configs';
import type { Store } from '../../store/db';
import type { PlatformProfile } from '../channel-adapter';
import { replyToTweet, sendDm, userProfile, XApiError, type XAccount } from './client';
import { dmVerdict, hasInboundDm, postHistory, postVerdict, recordPost, X_REFUSALS, type XVerdict } from './policy';

export interface XConnection {
  store: Store;
  workspaceId: string;
  channel: string;
  settings: XChannelSettings;
  /** The account's access token (the channel's token), decrypted. */
  accessToken: string | undefined;
  /** OAuth 1.0a (settings.consumerKey): the Consumer Secret (webhook secret) and the Access Token Secret, decrypted. */
  oauth1?: { consumerSecret?: string; tokenSecret?: string };
}

const NOT_CONNECTED = {
  en: 'not sent: this X channel has no access token (PUT /api/v1/channels/:channel with "token")',
  'zh-CN': '未发送：此 X 渠道未配置访问令牌（通过 PUT /api/v1/channels/:channel 提供 "token"）',
};
const NO_TOKEN_SECRET = {
  en: 'not sent: this X channel is connected with OAuth 1.0a (settings.consumerKey) but has no Access Token Secret or Consumer Secret (PUT /api/v1/channels/:channel with "tokenSecret" and "webhookSecret")',
  'zh-CN': '未发送：此 X 渠道使用 OAuth 1.0a（settings.consumerKey），但未配置 Access Token Secret 或 Consumer Secret（通过 PUT /api/v1/channels/:channel 提供 "tokenSecret" 和 "webhookSecret"）',
};
const UNSUPPORTED = {
  en: 'not sent: an X channel sends replies and direct messages only',
  'zh-CN': '未发送：X 渠道只能发送回复和私信',
};
const OPERATION_ZH: Record<string, string> = { reply: '回复帖子', 'direct message': '发送私信', 'user profile': '获取用户资料', me: '读取账号' };

export function xAccount(c: Pick<XConnection, 'workspaceId' | 'channel' | 'settings' | 'accessToken' | 'oauth1'>): XAccount {
  if (!c.accessToken) throw new NodeError('channel_not_connected', inBothLanguages(NOT_CONNECTED), { channel: c.channel });
  const { consumerKey } = c.settings;
  const oauth1 = consumerKey && c.oauth1?.consumerSecret && c.oauth1.tokenSecret
    ? { consumerKey, consumerSecret: c.oauth1.consumerSecret, tokenSecret: c.oauth1.tokenSecret }
    : undefined;
  if (consumerKey && !oauth1) throw new NodeError('channel_not_connected', inBothLanguages(NO_TOKEN_SECRET), { channel: c.channel });
  return { workspaceId: c.workspaceId, channel: c.channel, accessToken: c.accessToken, ...(oauth1 ? { oauth1 } : {}), apiBaseUrl: c.settings.apiBaseUrl };
}

/** What an X channel connected with OAuth 1.0a reads besides its token: the Consumer Secret and the token's secret. */
export async function xOAuth1Secrets(store: Store, workspaceId: string, channel: string, settings: XChannelSettings): Promise<XConnection['oauth1']> {
  if (!settings.consumerKey) return undefined;
  const [consumerSecret, tokenSecret] = await Promise.all([channelWebhookSecret(store, workspaceId, channel), channelTokenSecret(store, workspaceId, channel)]);
  return { consumerSecret, tokenSecret };
}

function refusal(c: XConnection, verdict: Exclude<XVerdict, { ok: true }>): SendBlockedError {
  return new SendBlockedError(verdict.reason, inBothLanguages(X_REFUSALS[verdict.reason](verdict.params)), { channel: c.channel, ...verdict.params });
}

/** X's answers as the step's outcome; throttling and X's own failures are thrown as they are (retried). */
function asNodeError(err: unknown, c: XConnection): unknown {
  if (!(err instanceof XApiError) || err.transient) return err;
  const said = err.said ? ` — ${err.said}` : '';
  const params = { channel: c.channel, status: err.status, ...(err.code ? { code: err.code } : {}), ...(err.said ? { detail: err.said } : {}) };
  if (err.operation === 'direct message' && err.dmRefused) {
    return new SendBlockedError('x_dm_not_permitted', inBothLanguages({
      en: `not sent: X refused the DM: this person does not accept direct messages from the account${said}`,
      'zh-CN': `未发送：X 拒绝了私信：该用户不接受此账号的私信${said}`,
    }), params);
  }
  if (err.duplicate) return new SendBlockedError('x_duplicate_content', inBothLanguages(X_REFUSALS.x_duplicate_content({})), params);
  if (err.tokenInvalid) {
    return new NodeError('x_token_invalid', inBothLanguages({
      en: `not sent: X refused the access token (${err.status}): it is expired, revoked or lacks a scope — authorize the account again and save the new token on the channel${said}`,
      'zh-CN': `未发送：X 拒绝了访问令牌（${err.status}）：令牌已过期、被撤销或缺少权限——请重新授权账号并在渠道上保存新令牌${said}`,
    }), params);
  }
  return new NodeError('x_refused', inBothLanguages({
    en: `not sent: X refused the ${err.operation} (${err.status}${err.title ? ` ${err.title}` : ''})${said}`,
    'zh-CN': `未发送：X 拒绝了${OPERATION_ZH[err.operation] ?? err.operation}请求（${err.status}${err.title ? ` ${err.title}` : ''}）${said}`,
  }), params);
}

/** The send's outbox row is marked failed with the reason; a blocked one as blocked, which a retry replays. */
async function recordRefusal(store: Store, idempotencyKey: string, out: NodeError) {
  const result = out instanceof SendBlockedError ? { reason: out.code, blocked: true, message: out.message, params: out.params } : { reason: out.code };
  await store.outbox.updateOne({ _id: idempotencyKey, status: 'pending' }, { $set: { status: 'failed', result, updatedAt: new Date() } }).catch(() => undefined);
}

/** The post a reply answers, when `inReplyTo` is a post of this person that reached this channel. */
async function answeredPost(c: XConnection, message: OutboundMessage): Promise<string | undefined> {
  if (message.kind !== 'reply' || !message.inReplyTo) return undefined;
  const doc = await c.store.interactions.findOne({ _id: `${c.workspaceId}|event|x:tweet:${message.inReplyTo}` }, { projection: { channel: 1, handle: 1 } });
  return doc && doc.channel === message.channel && doc.handle === message.to ? message.inReplyTo : undefined;
}

async function postReply(c: XConnection, acct: XAccount, tweetId: string, text: string, now: Date): Promise<string> {
  const verdict = postVerdict({ text, plan: c.settings.plan, ...(await postHistory(c.store, c.workspaceId, c.channel, text, now)) });
  if (!verdict.ok) throw refusal(c, verdict);
  const id = await replyToTweet(acct, tweetId, text);
  if (!id) throw new XApiError('reply', 502, 'Bad Gateway', 'the answer names no post id', undefined, undefined);
  await recordPost(c.store, c.workspaceId, c.channel, id, text, now);
  return id;
}

async function directMessage(c: XConnection, acct: XAccount, to: string, text: string): Promise<string> {
  const verdict = dmVerdict({ text, hasInboundDm: await hasInboundDm(c.store, c.workspaceId, c.channel, to) });
  if (!verdict.ok) throw refusal(c, verdict);
  const { dmEventId } = await sendDm(acct, to, text);
  if (!dmEventId) throw new XApiError('direct message', 502, 'Bad Gateway', 'the answer names no DM event id', undefined, undefined);
  return dmEventId;
}

export async function xSend(c: XConnection, message: OutboundMessage, idempotencyKey: string, now = new Date()): Promise<{ providerId: string }> {
  try {
    if (message.kind !== 'reply' && message.kind !== 'dm') throw new NodeError('unsupported_message_kind', inBothLanguages(UNSUPPORTED), { channel: c.channel, kind: message.kind });
    const acct = xAccount(c);
    const post = await answeredPost(c, message);
    return { providerId: post ? await postReply(c, acct, post, message.text, now) : await directMessage(c, acct, message.to, message.text) };
  } catch (err) {
    const out = asNodeError(err, c);
    if (out instanceof NodeError) await recordRefusal(c.store, idempotencyKey, out);
    throw out;
  }
}

const nonEmpty = <K extends string>(key: K, v: unknown) => (typeof v === 'string' && v ? { [key]: v } as Record<K, string> : {});

/** A person's public profile from X API v2; a user X does not show (suspended, deleted) has none. */
export async function xFetchProfile(c: XConnection, handle: string): Promise<PlatformProfile | undefined> {
  if (!c.accessToken) return undefined;
  try {
    const p = await userProfile(xAccount(c), handle);
    const metrics = p.public_metrics && typeof p.public_metrics === 'object' ? (p.public_metrics as Record<string, unknown>) : {};
    return {
      handle, ...nonEmpty('name', p.name), ...nonEmpty('username', p.username), ...nonEmpty('avatarUrl', p.profile_image_url),
      ...(typeof metrics.followers_count === 'number' ? { followers: metrics.followers_count } : {}),
      ...(typeof p.verified === 'boolean' ? { verified: p.verified } : {}),
    };
  } catch (err) {
    if (err instanceof XApiError && err.status === 404) return undefined;
    throw asNodeError(err, c);
  }
}
