/**
 * When a Meta channel may send what, as data, so a step the platform would refuse is refused before the call, with a
 * reason a marketer can read (the reply node's `blocked` port or its fallback):
 * - Messenger and Instagram (https://developers.facebook.com/docs/messenger-platform/policy/policy-overview): a
 *   person's message opens 24 hours of standard messaging (`messaging_type: RESPONSE`). Past it, only a message tag
 *   may answer, and only when the channel is configured with one (HUMAN_AGENT: 7 days after the person's message).
 * - WhatsApp (customer-service window): the customer's message opens 24 hours of free-form messages; outside it
 *   only a template message goes out (131047 otherwise). Templates are not bound by the window.
 * - Public replies to comments are not messages: no window.
 * - A private reply (a DM answering a comment, `recipient.comment_id`) reaches a commenter who never wrote to the
 *   account: one per comment, within 7 days of the comment (Instagram and Facebook Page comments). It is what a DM
 *   answering a comment goes out as while the comment has none; after it, the person's own messages open the window.
 * The window is read from the contact's own inbound events on the channel (the interactions store).
 */
import type { LocalizedText } from '../../../nodes/contract';
import type { MetaPlatform } from '../../store/channel-configs';
import { findContactByIdentity } from '../../store/contacts';
import type { Store } from '../../store/db';

const HOUR = 3_600_000;

export const MESSAGING_WINDOW_POLICY = {
  /** Inbound event types (as ingested from Meta's webhooks) that open the window. */
  eventTypes: ['social.dm', 'meta.postback'],
  windowMs: 24 * HOUR,
  /** What may still go out when the window is closed. */
  outside: { messenger: 'message_tag', instagram: 'message_tag', whatsapp: 'template' } as Record<MetaPlatform, 'message_tag' | 'template'>,
  /** Message tags and how long after the person's last message each may be used (null: any time). */
  messageTags: {
    HUMAN_AGENT: { windowMs: 7 * 24 * HOUR, platforms: ['messenger', 'instagram'] },
    ACCOUNT_UPDATE: { windowMs: null, platforms: ['messenger'] },
    CONFIRMED_EVENT_UPDATE: { windowMs: null, platforms: ['messenger'] },
    POST_PURCHASE_UPDATE: { windowMs: null, platforms: ['messenger'] },
  } as Record<string, { windowMs: number | null; platforms: MetaPlatform[] }>,
};

export const MESSAGE_TAGS = Object.keys(MESSAGING_WINDOW_POLICY.messageTags);

export const PRIVATE_REPLY_POLICY = {
  /** The inbound event a private reply answers. */
  eventType: 'social.comment',
  windowMs: 7 * 24 * HOUR,
  perComment: 1,
  platforms: ['messenger', 'instagram'] as MetaPlatform[],
};

export type PrivateReplyVerdict = { ok: true } | { ok: false; reason: 'private_reply_window' | 'private_reply_used' };

/** Whether a private reply may answer a comment made at `commentAt`, given the private replies it already has. */
export function privateReplyVerdict(o: { commentAt: Date; now: Date; sent: number }, policy = PRIVATE_REPLY_POLICY): PrivateReplyVerdict {
  if (o.sent >= policy.perComment) return { ok: false, reason: 'private_reply_used' };
  if (o.now.getTime() - o.commentAt.getTime() > policy.windowMs) return { ok: false, reason: 'private_reply_window' };
  return { ok: true };
}

export const PRIVATE_REPLY_REFUSALS: Record<'private_reply_window' | 'private_reply_used', LocalizedText> = {
  private_reply_window: {
    en: 'not sent: a private reply to a comment may go out only within 7 days of the comment, and this person has not written to the account within 24 hours',
    'zh-CN': '未发送：对评论的私信回复只能在评论后 7 天内发送，且此用户 24 小时内未给账号发过消息',
  },
  private_reply_used: {
    en: 'not sent: this comment already has its private reply (Meta allows one per comment), and this person has not written to the account within 24 hours',
    'zh-CN': '未发送：此评论已发送过私信回复（Meta 每条评论只允许一次），且此用户 24 小时内未给账号发过消息',
  },
};

export type MetaRefusal = 'outside_24h_window';

/** The refusal, per platform: each says what would still go out. */
export const META_REFUSALS: Record<MetaPlatform, LocalizedText> = {
  messenger: {
    en: 'not sent: Messenger allows messages only within 24 hours of the person\'s last message to the Page; outside it only a message tag configured on the channel (HUMAN_AGENT: 7 days) may answer',
    'zh-CN': '未发送：Messenger 只允许在用户最后一次给主页发消息后的 24 小时内发送消息；超出时只能使用渠道上配置的消息标签（HUMAN_AGENT：7 天）',
  },
  instagram: {
    en: 'not sent: Instagram allows messages only within 24 hours of the person\'s last message to the account; outside it only the HUMAN_AGENT tag (7 days), when configured on the channel, may answer',
    'zh-CN': '未发送：Instagram 只允许在用户最后一次给账号发消息后的 24 小时内发送消息；超出时只能使用渠道上配置的 HUMAN_AGENT 标签（7 天）',
  },
  whatsapp: {
    en: 'not sent: WhatsApp allows free-form messages only within 24 hours of the customer\'s last message (the customer-service window); outside it send a template message (the reply node\'s fallback "template" with the template\'s name)',
    'zh-CN': '未发送：WhatsApp 只允许在客户最后一次发消息后的 24 小时内发送自由格式消息（客服窗口）；超出时请发送模板消息（回复节点的备用方式“模板消息”，填写模板名称）',
  },
};

export type MessagingVerdict =
  | { ok: true; send: 'response'; until: Date }
  | { ok: true; send: 'tag'; tag: string }
  | { ok: true; send: 'template' }
  | { ok: false; reason: MetaRefusal; lastInboundAt?: Date };

/**
 * What a free-form message (or, on WhatsApp, a template) may go out as, given when the person last wrote.
 * `template`: the message carries a WhatsApp template.
 */
export function messagingVerdict(o: { platform: MetaPlatform; lastInboundAt?: Date; now: Date; messageTag?: string; template?: boolean }, policy = MESSAGING_WINDOW_POLICY): MessagingVerdict {
  if (o.platform === 'whatsapp' && o.template) return { ok: true, send: 'template' };
  const since = o.lastInboundAt ? o.now.getTime() - o.lastInboundAt.getTime() : Infinity;
  if (since <= policy.windowMs) return { ok: true, send: 'response', until: new Date(o.lastInboundAt!.getTime() + policy.windowMs) };
  const rule = o.messageTag ? policy.messageTags[o.messageTag] : undefined;
  if (policy.outside[o.platform] === 'message_tag' && rule?.platforms.includes(o.platform) && (rule.windowMs === null || since <= rule.windowMs)) {
    return { ok: true, send: 'tag', tag: o.messageTag! };
  }
  return { ok: false, reason: 'outside_24h_window', lastInboundAt: o.lastInboundAt };
}

/** How far back an inbound message can still matter (the longest window a tag has). */
export function horizonMs(policy = MESSAGING_WINDOW_POLICY): number {
  return Math.max(policy.windowMs, ...Object.values(policy.messageTags).map((t) => t.windowMs ?? 0));
}

/** When `handle` last wrote to the channel, from the store (within the policy's horizon). */
export async function lastInboundAt(store: Store, workspaceId: string, channel: string, handle: string, now = new Date()): Promise<Date | undefined> {
  const contact = await findContactByIdentity(store, workspaceId, { channel, handle });
  if (!contact) return undefined;
  const [last] = await store.interactions.find(
    { workspaceId, contactId: contact._id, kind: 'event', channel, handle, type: { $in: MESSAGING_WINDOW_POLICY.eventTypes }, occurredAt: { $gt: new Date(now.getTime() - horizonMs()) } },
    { projection: { occurredAt: 1 } },
  ).sort({ occurredAt: -1 }).limit(1).toArray();
  return last?.occurredAt;
}
