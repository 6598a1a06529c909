/**
 * Sending through a connected WeCom customer-contact channel (settings.kind 'wecom', wired in workspace-adapter.ts).
 * WeCom has no free one-to-one message from a server to a customer; what a journey can send is:
 * - the **welcome message**: a reply to the customer's `wecom.contact_added` event (add_external_contact) goes out
 *   with that event's WelcomeCode (send_welcome_msg), within 20 seconds of the callback and once (policy.ts);
 * - otherwise (a direct message, or a reply to any other event) a **mass message** to that one customer
 *   (add_msg_template, chat_type single): a task the staff member who added the customer confirms in the WeCom
 *   client, limited to one a day per customer (policy.ts).
 * A send the platform's rules refuse is a SendBlockedError (the reply node's `blocked` port, with the reason); an
 * errcode no retry can fix is a NodeError (the step records it); network failures, 5xx and busy answers past the
 * client's own retries are thrown for the activity to retry. Refusals mark the send's outbox row failed.
 */
import { NodeError, SendBlockedError, type OutboundMessage } from '../../../nodes/contract';
import { inBothLanguages } from '../../../nodes/field-messages';
import type { Store } from '../../store/db';
import type { WecomChannelSettings } from '../../store/channel-configs';
import type { PlatformProfile } from '../channel-adapter';
import { addMassMessage, externalContact, sendWelcomeMessage, WecomApiError, wecomErrcodeText, type WecomAccount } from './client';
import { releaseMassSendSlot, takeMassSendSlot, WECOM_REFUSALS, WELCOME_POLICY, welcomeVerdict, type MassSendSlot, type WecomRefusal } from './policy';
import { followUserTags, syncWecomTags, type TagSync } from './tags';

export interface WecomConnection {
  store: Store;
  workspaceId: string;
  channel: string;
  settings: WecomChannelSettings;
  /** The customer-contact Secret (the channel's token), decrypted. */
  secret: string | undefined;
}

/** WeCom's limit of a text message's content (text.content), in bytes of UTF-8. */
export const WECOM_TEXT_MAX_BYTES = 4000;

const NOT_CONNECTED = {
  en: 'not sent: this WeCom channel has no customer-contact Secret (PUT /api/v1/channels/:channel with "token")',
  'zh-CN': '未发送：此企业微信渠道未配置“客户联系” Secret（通过 PUT /api/v1/channels/:channel 提供 "token"）',
};
const UNSUPPORTED = {
  en: 'not sent: WeCom customer contact sends replies and direct messages (a welcome message or a mass message) only',
  'zh-CN': '未发送：企业微信客户联系只能发送回复和私信（欢迎语或群发消息）',
};
const TOO_LONG = {
  en: `not sent: WeCom takes at most ${WECOM_TEXT_MAX_BYTES} bytes of text (about 1300 Chinese characters)`,
  'zh-CN': `未发送：企业微信的文本消息最多 ${WECOM_TEXT_MAX_BYTES} 字节（约 1300 个汉字）`,
};

export function wecomAccount(c: Pick<WecomConnection, 'workspaceId' | 'channel' | 'settings' | 'secret'>): WecomAccount {
  if (!c.secret) throw new NodeError('channel_not_connected', inBothLanguages(NOT_CONNECTED), { channel: c.channel });
  return { workspaceId: c.workspaceId, channel: c.channel, corpId: c.settings.corpId, secret: c.secret, apiBaseUrl: c.settings.apiBaseUrl };
}

const blocked = (reason: WecomRefusal, channel: string, extra: Record<string, unknown> = {}) =>
  new SendBlockedError(reason, inBothLanguages(WECOM_REFUSALS[reason]), { channel, ...extra });

/** The client's operation names, as a Chinese reader knows them. */
const OPERATION_ZH: Record<string, string> = {
  access_token: '获取 access_token', 'welcome message': '发送新客户欢迎语', 'mass message': '创建企业群发', 'customer details': '获取客户详情',
  'tag library': '获取企业标签库', 'mark tags': '编辑客户企业标签',
};

/** An errcode no retry can fix, as the step's error; anything else is thrown as it is (retried). */
function asNodeError(err: unknown, channel: string): unknown {
  if (!(err instanceof WecomApiError) || !err.permanent) return err;
  if (err.operation === 'welcome message' && err.errcode === 41051) return blocked('welcome_code_used', channel, { errcode: err.errcode });
  if (err.operation === 'welcome message' && err.errcode === 40058) return blocked('welcome_code_expired', channel, { errcode: err.errcode });
  const meaning = wecomErrcodeText(err.errcode);
  const refusal = {
    en: `not sent: WeCom ${err.operation}: errcode ${err.errcode}${meaning ? ` (${meaning.en})` : ''}`,
    'zh-CN': `未发送：企业微信拒绝了${OPERATION_ZH[err.operation] ?? err.operation}请求：错误码 ${err.errcode}${meaning ? `（${meaning['zh-CN']}）` : ''}`,
  };
  return new NodeError('wecom_refused', inBothLanguages(refusal), { channel, errcode: err.errcode });
}

/** The send's outbox row is marked failed with the reason; a blocked one as blocked, which a retry replays. */
async function recordRefusal(store: Store, idempotencyKey: string, refusal: NodeError) {
  const result = refusal instanceof SendBlockedError ? { reason: refusal.code, blocked: true, message: refusal.message, params: refusal.params } : { reason: refusal.code };
  await store.outbox.updateOne({ _id: idempotencyKey, status: 'pending' }, { $set: { status: 'failed', result, updatedAt: new Date() } }).catch(() => undefined);
}

/** The stored event a reply answers, when it is this customer's on this channel. */
async function answeredEvent(c: WecomConnection, message: OutboundMessage) {
  if (message.kind !== 'reply' || !message.inReplyTo) return undefined;
  const doc = await c.store.interactions.findOne({ _id: `${c.workspaceId}|event|${message.inReplyTo}` });
  if (!doc || doc.kind !== 'event' || doc.channel !== message.channel || doc.handle !== message.to) return undefined;
  return doc;
}

/** The staff member who last added the customer on this channel: the sender of a mass message to them. */
async function lastAddedBy(c: WecomConnection, externalUserId: string): Promise<string | undefined> {
  const added = await c.store.interactions.find(
    { workspaceId: c.workspaceId, kind: 'event', channel: c.channel, handle: externalUserId, type: { $in: WELCOME_POLICY.eventTypes } },
    { projection: { data: 1, occurredAt: 1 } },
  ).sort({ occurredAt: -1 }).limit(1).toArray();
  const staff = added[0]?.data?.staff;
  return typeof staff === 'string' && staff ? staff : undefined;
}

export async function wecomSend(c: WecomConnection, message: OutboundMessage, idempotencyKey: string, now = new Date()): Promise<{ providerId: string }> {
  try {
    if (message.kind !== 'reply' && message.kind !== 'dm') throw new NodeError('unsupported_message_kind', inBothLanguages(UNSUPPORTED), { channel: c.channel, kind: message.kind });
    const acct = wecomAccount(c);
    if (Buffer.byteLength(message.text, 'utf8') > WECOM_TEXT_MAX_BYTES) throw new NodeError('message_too_long', inBothLanguages(TOO_LONG), { channel: c.channel, maxBytes: WECOM_TEXT_MAX_BYTES });

    const answered = await answeredEvent(c, message);
    if (answered && WELCOME_POLICY.eventTypes.includes(answered.type)) {
      const verdict = welcomeVerdict(answered, now);
      if (!verdict.ok) throw blocked(verdict.reason, c.channel, { receivedAt: answered.receivedAt.toISOString() });
      await sendWelcomeMessage(acct, verdict.welcomeCode, message.text);
      // The welcome message has no id in WeCom's answer.
      return { providerId: `${message.channel}:${idempotencyKey}` };
    }

    const slot: MassSendSlot = { workspaceId: c.workspaceId, corpId: c.settings.corpId, externalUserId: message.to, channel: c.channel, key: idempotencyKey };
    if (!(await takeMassSendSlot(c.store, slot, now))) throw blocked('mass_message_daily_limit', c.channel);
    let sent;
    try {
      sent = await addMassMessage(acct, { externalUserId: message.to, sender: await lastAddedBy(c, message.to), content: message.text });
    } catch (err) {
      // WeCom took nothing: the slot is free again. A transient failure keeps it for the retry of this very send.
      if (err instanceof WecomApiError && err.permanent) await releaseMassSendSlot(c.store, slot);
      throw err;
    }
    if (sent.refused) {
      await releaseMassSendSlot(c.store, slot);
      throw blocked('mass_message_refused', c.channel);
    }
    return { providerId: sent.msgid ?? `${message.channel}:${idempotencyKey}` };
  } catch (err) {
    const out = asNodeError(err, c.channel);
    if (out instanceof NodeError) await recordRefusal(c.store, idempotencyKey, out);
    throw out;
  }
}

/**
 * The customer's profile from 获取客户详情: name, avatar, type (`wechat` for a WeChat user, `wecom` for a WeCom user),
 * the corp of a WeCom user, and each staff member who has them with their remark, tags (names) and state (the
 * channel-QR source). Empty values are left out; undefined for a customer WeCom does not know here.
 */
export async function wecomFetchProfile(c: WecomConnection, externalUserId: string): Promise<PlatformProfile | undefined> {
  if (!c.secret) return undefined;
  const found = await externalContact(wecomAccount(c), externalUserId);
  if (!found) return undefined;
  const x = found.external_contact;
  const nonEmpty = <K extends string>(key: K, v: unknown) => (typeof v === 'string' && v ? { [key]: v } as Record<K, string> : {});
  return {
    handle: externalUserId,
    ...nonEmpty('name', x.name), ...nonEmpty('avatarUrl', x.avatar),
    ...(x.type === 1 ? { type: 'wechat' } : x.type === 2 ? { type: 'wecom' } : {}),
    ...nonEmpty('corpName', x.corp_name),
    tags: followUserTags(found),
    followUsers: found.follow_user.map((f) => ({
      userid: f.userid, ...nonEmpty('remark', f.remark), ...nonEmpty('state', f.state), tags: followUserTags({ ...found, follow_user: [f] }),
      ...(typeof f.createtime === 'number' ? { addedAt: new Date(f.createtime * 1000).toISOString() } : {}),
    })),
  };
}

/** Marks the tag names on WeCom for the customer (those in the corp tag library), for every staff member who has them. */
export async function wecomSyncTags(c: WecomConnection, externalUserId: string, change: { add?: string[]; remove?: string[] }): Promise<TagSync> {
  try {
    return await syncWecomTags(wecomAccount(c), externalUserId, change);
  } catch (err) {
    throw asNodeError(err, c.channel);
  }
}
