/**
 * What a Meta webhook delivery means, as contact events (no I/O; inbound.ts verifies and ingests them):
 * - Messenger / Instagram (`object: page | instagram`, `entry[].messaging[]`): a message → `social.dm` (text, the
 *   quick-reply payload), a postback → `meta.postback` (its title as text, `data.payload`), a delivery →
 *   `message.delivered` per mid, a read → `message.read`. Echoes of the Page's own messages are dropped.
 * - Comments (`entry[].changes[]`, Facebook `feed` with `item: comment, verb: add`, Instagram `comments`) →
 *   `social.comment`, with the comment id as `threadId`: a public reply answers on that comment. The account's own
 *   comments (its replies) are dropped, so a reply never starts a journey of its own.
 * - WhatsApp (`object: whatsapp_business_account`, `entry[].changes[].value`): `messages[]` → `social.dm` (text,
 *   button and interactive replies), with the sender's name from `contacts[].profile.name`; `statuses[]` →
 *   `message.delivered` / `message.read` / `message.failed` (the `sent` status says nothing a send did not).
 * Every event's id is the platform's own (mid, comment id, wamid and status), so a redelivery is the same event and
 * ingested once. Platform ids stay in `data`. Items that are not what Meta documents are skipped, not refused: a 4xx
 * would make Meta redeliver the whole batch, valid items included.
 */
import type { ContactEvent } from '../../../nodes/contract';
import type { MetaPlatform } from '../../store/channel-configs';

export const WEBHOOK_OBJECTS: Record<MetaPlatform, string> = { messenger: 'page', instagram: 'instagram', whatsapp: 'whatsapp_business_account' };

export interface MetaWebhookContext {
  channel: string;
  platform: MetaPlatform;
  /** Messenger / Instagram: the connected account; entries of other accounts of the same app are not this channel's. */
  pageId?: string;
  /** WhatsApp: the connected number; the same. */
  phoneNumberId?: string;
}

export interface MetaWebhookMeaning {
  events: ContactEvent[];
  /** Names Meta gave with the events (WhatsApp's contacts[].profile.name), by handle. */
  names: Record<string, string>;
  /** Items skipped: another object or account, echoes, or not what Meta documents. */
  ignored: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A platform id: no whitespace, bounded, so it can be part of an event id. */
const idOf = (v: unknown): string | undefined => {
  const s = typeof v === 'number' ? String(v) : v;
  return typeof s === 'string' && /^[A-Za-z0-9_.:=+/-]{1,160}$/.test(s) ? s : undefined;
};
const str = (v: unknown, max = 20_000): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);
/** Meta's times: milliseconds in messaging, seconds in changes and WhatsApp (as numbers or numeric strings). */
function isoOf(v: unknown, unit: 'ms' | 's', fallback: Date): string {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : NaN;
  const d = Number.isFinite(n) ? new Date(unit === 's' ? n * 1000 : n) : fallback;
  return Number.isNaN(d.getTime()) ? fallback.toISOString() : d.toISOString();
}
const compact = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function messagingEvents(entry: Obj, ctx: MetaWebhookContext, out: MetaWebhookMeaning, now: Date) {
  const accountId = idOf(entry.id);
  for (const raw of arr(entry.messaging)) {
    const m = obj(raw);
    const sender = idOf(obj(m?.sender)?.id);
    if (!m || !sender || sender === accountId) {
      out.ignored++;
      continue;
    }
    const occurredAt = isoOf(m.timestamp, 'ms', now);
    const base = { platform: ctx.platform, accountId: idOf(obj(m.recipient)?.id) ?? accountId };
    const message = obj(m.message);
    const postback = obj(m.postback);
    const delivery = obj(m.delivery);
    const read = obj(m.read);
    if (message) {
      const mid = idOf(message.mid);
      if (!mid || message.is_echo === true) {
        out.ignored++;
        continue;
      }
      const text = str(message.text);
      const attachments = arr(message.attachments).map((a) => str(obj(a)?.type, 32)).filter(Boolean);
      out.events.push({
        id: `meta:${mid}`, type: 'social.dm', channel: ctx.channel, handle: sender, occurredAt, ...(text ? { text } : {}),
        data: compact({ ...base, mid, quickReplyPayload: str(obj(message.quick_reply)?.payload, 1000), replyTo: idOf(obj(message.reply_to)?.mid), attachments: attachments.length ? attachments : undefined }),
      });
    } else if (postback) {
      const key = idOf(postback.mid) ?? `${sender}:${String(m.timestamp ?? '')}`;
      const title = str(postback.title, 1000);
      out.events.push({
        id: `meta:postback:${key}`, type: 'meta.postback', channel: ctx.channel, handle: sender, occurredAt, ...(title ? { text: title } : {}),
        data: compact({ ...base, mid: idOf(postback.mid), payload: str(postback.payload, 1000), title }),
      });
    } else if (delivery) {
      const mids = arr(delivery.mids).map(idOf).filter((x): x is string => !!x);
      const watermark = typeof delivery.watermark === 'number' ? delivery.watermark : undefined;
      // One event per message: each names the send it confirms.
      for (const mid of mids) {
        out.events.push({ id: `meta:delivered:${mid}`, type: 'message.delivered', channel: ctx.channel, handle: sender, occurredAt, data: compact({ ...base, providerId: mid, watermark }) });
      }
      if (!mids.length && watermark !== undefined) {
        out.events.push({ id: `meta:delivered:${sender}:${watermark}`, type: 'message.delivered', channel: ctx.channel, handle: sender, occurredAt, data: compact({ ...base, watermark }) });
      }
    } else if (read) {
      const mid = idOf(read.mid);
      const watermark = typeof read.watermark === 'number' ? read.watermark : undefined;
      if (!mid && watermark === undefined) {
        out.ignored++;
        continue;
      }
      out.events.push({
        id: mid ? `meta:read:${mid}` : `meta:read:${sender}:${watermark}`, type: 'message.read', channel: ctx.channel, handle: sender, occurredAt,
        data: compact({ ...base, providerId: mid, watermark }),
      });
    } else {
      out.ignored++;
    }
  }
}

function commentEvent(entry: Obj, change: Obj, ctx: MetaWebhookContext, now: Date): ContactEvent | undefined {
  const value = obj(change.value);
  if (!value) return undefined;
  const accountId = idOf(entry.id);
  const from = obj(value.from);
  const handle = idOf(from?.id);
  if (!handle || handle === accountId) return undefined;
  if (ctx.platform === 'instagram' && (change.field === 'comments' || change.field === 'live_comments')) {
    const commentId = idOf(value.id);
    if (!commentId) return undefined;
    const media = obj(value.media);
    const text = str(value.text);
    return {
      id: `meta:comment:${commentId}`, type: 'social.comment', channel: ctx.channel, handle, threadId: commentId, ...(text ? { text } : {}),
      occurredAt: isoOf(entry.time, 's', now),
      data: compact({ platform: ctx.platform, accountId, commentId, mediaId: idOf(media?.id), mediaProductType: str(media?.media_product_type, 32), parentId: idOf(value.parent_id), username: str(from?.username, 100), live: change.field === 'live_comments' || undefined }),
    };
  }
  if (ctx.platform === 'messenger' && change.field === 'feed' && value.item === 'comment' && value.verb === 'add') {
    const commentId = idOf(value.comment_id);
    if (!commentId) return undefined;
    const text = str(value.message);
    return {
      id: `meta:comment:${commentId}`, type: 'social.comment', channel: ctx.channel, handle, threadId: commentId, ...(text ? { text } : {}),
      occurredAt: isoOf(value.created_time, 's', now),
      data: compact({ platform: ctx.platform, accountId, commentId, postId: idOf(value.post_id), parentId: idOf(value.parent_id), fromName: str(from?.name, 200) }),
    };
  }
  return undefined;
}

/** The text of a WhatsApp message, and what the customer tapped (a button or a list row). */
function whatsappContent(m: Obj): { text?: string; data: Obj } {
  const type = str(m.type, 32) ?? 'unknown';
  if (type === 'text') return { text: str(obj(m.text)?.body), data: { messageType: type } };
  if (type === 'button') {
    const b = obj(m.button);
    return { text: str(b?.text, 1000), data: { messageType: type, replyPayload: str(b?.payload, 1000) } };
  }
  if (type === 'interactive') {
    const i = obj(m.interactive);
    const reply = obj(i?.button_reply) ?? obj(i?.list_reply);
    return { text: str(reply?.title, 1000), data: { messageType: type, interactiveType: str(i?.type, 32), replyId: str(reply?.id, 256) } };
  }
  return { data: { messageType: type } };
}

const STATUS_TYPES: Record<string, string> = { delivered: 'message.delivered', read: 'message.read', failed: 'message.failed' };

function whatsappEvents(entry: Obj, ctx: MetaWebhookContext, out: MetaWebhookMeaning, now: Date) {
  for (const rawChange of arr(entry.changes)) {
    const change = obj(rawChange);
    const value = obj(change?.value);
    if (!change || change.field !== 'messages' || !value) {
      out.ignored++;
      continue;
    }
    const phoneNumberId = idOf(obj(value.metadata)?.phone_number_id);
    if (ctx.phoneNumberId && phoneNumberId !== ctx.phoneNumberId) {
      out.ignored++;
      continue;
    }
    const base = { platform: ctx.platform, phoneNumberId, businessAccountId: idOf(entry.id) };
    for (const c of arr(value.contacts)) {
      const waId = idOf(obj(c)?.wa_id);
      const name = str(obj(obj(c)?.profile)?.name, 200);
      if (waId && name) out.names[waId] = name;
    }
    for (const raw of arr(value.messages)) {
      const m = obj(raw);
      const from = idOf(m?.from);
      const wamid = idOf(m?.id);
      if (!m || !from || !wamid) {
        out.ignored++;
        continue;
      }
      const { text, data } = whatsappContent(m);
      out.events.push({
        id: `meta:${wamid}`, type: 'social.dm', channel: ctx.channel, handle: from, occurredAt: isoOf(m.timestamp, 's', now), ...(text ? { text } : {}),
        data: compact({ ...base, ...data, waMessageId: wamid, profileName: out.names[from], context: idOf(obj(m.context)?.id) }),
      });
    }
    for (const raw of arr(value.statuses)) {
      const s = obj(raw);
      const wamid = idOf(s?.id);
      const to = idOf(s?.recipient_id);
      const type = STATUS_TYPES[str(s?.status, 16) ?? ''];
      if (!s || !wamid || !to || !type) {
        out.ignored++;
        continue;
      }
      const error = obj(arr(s.errors)[0]);
      const code = typeof error?.code === 'number' ? error.code : undefined;
      out.events.push({
        id: `meta:status:${wamid}:${String(s.status)}`, type, channel: ctx.channel, handle: to, occurredAt: isoOf(s.timestamp, 's', now),
        data: compact({
          ...base, providerId: wamid, status: s.status,
          ...(type === 'message.failed' ? { reason: code !== undefined ? `whatsapp_${code}` : 'failed', errorCode: code, errorTitle: str(error?.title, 300), errorDetails: str(obj(error?.error_data)?.details, 500) } : {}),
        }),
      });
    }
  }
}

export function metaWebhookEvents(body: unknown, ctx: MetaWebhookContext, now = new Date()): MetaWebhookMeaning {
  const out: MetaWebhookMeaning = { events: [], names: {}, ignored: 0 };
  const root = obj(body);
  // Another object than the channel's platform (a subscription pointed at the wrong channel): nothing is this channel's.
  if (!root || root.object !== WEBHOOK_OBJECTS[ctx.platform]) return { ...out, ignored: 1 };
  for (const rawEntry of arr(root.entry)) {
    const entry = obj(rawEntry);
    if (!entry) continue;
    if (ctx.platform === 'whatsapp') {
      whatsappEvents(entry, ctx, out, now);
      continue;
    }
    if (ctx.pageId && idOf(entry.id) !== ctx.pageId) {
      out.ignored++;
      continue;
    }
    messagingEvents(entry, ctx, out, now);
    for (const rawChange of arr(entry.changes)) {
      const change = obj(rawChange);
      const event = change ? commentEvent(entry, change, ctx, now) : undefined;
      if (event) out.events.push(event);
      else out.ignored++;
    }
  }
  return out;
}
