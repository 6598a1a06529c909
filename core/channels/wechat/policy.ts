/**
 * When an Official Account may send a customer-service message (客服消息), as data. WeChat's rule
 * (发送客服消息, https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html):
 * a message from the user opens 48 hours; a menu click, a follow or a QR scan opens one minute; outside them the
 * platform answers errcode 45015. Template messages (模板消息) are not bound by it.
 * The window is read from the contact's own inbound events on the channel (the interactions store), so a journey
 * step outside it is refused before anything is sent, with a reason a marketer can read.
 */
import type { LocalizedText } from '../../../nodes/contract';
import { findContactByIdentity } from '../../store/contacts';
import type { Store } from '../../store/db';

const HOUR = 3_600_000;

export interface ServiceWindowRule {
  /** Inbound event types (as ingested from WeChat) that open the window. */
  eventTypes: string[];
  /** How long after such an event customer-service messages may be sent. */
  windowMs: number;
}

export const CUSTOMER_SERVICE_POLICY = {
  windows: [
    { eventTypes: ['social.dm'], windowMs: 48 * HOUR },
    { eventTypes: ['wechat.click', 'wechat.subscribe', 'wechat.scan', 'wechat.scancode_push', 'wechat.scancode_waitmsg'], windowMs: 60_000 },
  ] as ServiceWindowRule[],
  /** A later event of these types closes every window (an unfollowed user cannot be messaged). */
  closedBy: ['wechat.unsubscribe'],
  /** The longest window: older events are never read. */
  get horizonMs() {
    return Math.max(...this.windows.map((w) => w.windowMs));
  },
};

export type WindowRefusal = 'outside_48h_window' | 'unsubscribed';

export const WINDOW_REFUSALS: Record<WindowRefusal, LocalizedText> = {
  outside_48h_window: {
    en: 'not sent: WeChat allows customer-service messages only within 48 hours of the user\'s last message to the account (1 minute after a menu click, follow or QR scan); use a template message outside that window',
    'zh-CN': '未发送：微信只允许在用户最后一次给公众号发消息后的 48 小时内发送客服消息（点击菜单、关注或扫码后为 1 分钟）；超出时限请使用模板消息',
  },
  unsubscribed: {
    en: 'not sent: the user has unfollowed this WeChat Official Account',
    'zh-CN': '未发送：该用户已取消关注此公众号',
  },
};

export interface InboundMark {
  type: string;
  occurredAt: Date;
}

/** The verdict over the contact's recent inbound events on the channel (newest first or in any order). */
export function serviceWindow(events: InboundMark[], now: Date, policy = CUSTOMER_SERVICE_POLICY): { open: true; until: Date } | { open: false; reason: WindowRefusal; lastInboundAt?: Date } {
  const sorted = [...events].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());
  const closedAt = sorted.find((e) => policy.closedBy.includes(e.type))?.occurredAt;
  let until: Date | undefined;
  let lastInboundAt: Date | undefined;
  for (const e of sorted) {
    const rule = policy.windows.find((w) => w.eventTypes.includes(e.type));
    if (!rule) continue;
    lastInboundAt ??= e.occurredAt;
    if (closedAt && closedAt >= e.occurredAt) continue;
    const end = new Date(e.occurredAt.getTime() + rule.windowMs);
    if (end > now && (!until || end > until)) until = end;
  }
  if (until) return { open: true, until };
  const unsubscribed = closedAt && (!lastInboundAt || closedAt >= lastInboundAt);
  return { open: false, reason: unsubscribed ? 'unsubscribed' : 'outside_48h_window', lastInboundAt };
}

/** The window of `openid` on `channel`, from the store. */
export async function customerServiceWindow(store: Store, workspaceId: string, channel: string, openid: string, now = new Date()) {
  const contact = await findContactByIdentity(store, workspaceId, { channel, handle: openid });
  if (!contact) return serviceWindow([], now);
  const types = [...CUSTOMER_SERVICE_POLICY.windows.flatMap((w) => w.eventTypes), ...CUSTOMER_SERVICE_POLICY.closedBy];
  const recent = await store.interactions.find(
    { workspaceId, contactId: contact._id, kind: 'event', channel, handle: openid, type: { $in: types }, occurredAt: { $gt: new Date(now.getTime() - CUSTOMER_SERVICE_POLICY.horizonMs) } },
    { projection: { type: 1, occurredAt: 1 } },
  ).sort({ occurredAt: -1 }).limit(50).toArray();
  return serviceWindow(recent, now);
}
