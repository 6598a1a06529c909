/**
 * What an X channel may send, as data, so a step X would refuse is refused before the call with a reason a marketer
 * can read (the reply node's `blocked` port or its fallback):
 * - Length: a post holds 280 characters by X's weighted count, simplified here to code points with every URL counted
 *   as 23 (t.co); a DM holds 10,000.
 * - DMs: X delivers a DM only to someone who accepts DMs from the account (they follow it, opened their DMs, or
 *   wrote to it). We cannot see those settings, so the rule kept is the one we can check: a DM goes only to a person
 *   who has DMed the account on this channel before. X's own refusal (403) is the blocked path too.
 * - Replies: the app's plan bounds the posts per user (POST /2/tweets); the limits published for each plan are kept
 *   below, counted from the posts this channel made (the x_posts collection). Enterprise limits are per contract.
 * - Duplicate content: X refuses a post identical to one the account made recently (403, code 187); the same text
 *   within the guard's window is refused here first.
 */
import { createHash } from 'node:crypto';
import type { LocalizedText } from '../../../nodes/contract';
import type { XPlan } from '../../store/channel-configs';
import { findContactByIdentity } from '../../store/contacts';
import type { Store } from '../../store/db';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const X_POLICY = {
  postMaxLength: 280,
  urlLength: 23,
  dmMaxLength: 10_000,
  /** Inbound event types that show the person writes to the account by DM. */
  dmOpenedBy: ['social.dm'],
  /** Posts per user per window, by plan (X API v2 POST /2/tweets); null: no limit enforced here. */
  replyLimits: {
    free: { max: 17, windowMs: DAY },
    basic: { max: 100, windowMs: DAY },
    pro: { max: 100, windowMs: 15 * MINUTE },
    enterprise: null,
  } as Record<XPlan, { max: number; windowMs: number } | null>,
  defaultPlan: 'basic' as XPlan,
  /** How long an identical post is refused (0: no guard). */
  duplicateGuardMs: DAY,
};

export type XRefusal = 'x_too_long' | 'x_no_dm_conversation' | 'x_reply_limit' | 'x_duplicate_content' | 'x_dm_not_permitted';

export const X_REFUSALS: Record<Exclude<XRefusal, 'x_dm_not_permitted'>, (p: Record<string, string | number>) => LocalizedText> = {
  x_too_long: (p) => ({
    en: `not sent: X allows ${p.max} characters here and this text has ${p.length} (URLs count as ${X_POLICY.urlLength})`,
    'zh-CN': `未发送：X 在此最多允许 ${p.max} 个字符，此文本有 ${p.length} 个（链接按 ${X_POLICY.urlLength} 个字符计）`,
  }),
  x_no_dm_conversation: () => ({
    en: 'not sent: on X a DM goes only to someone who has sent the account a DM before (X refuses DMs to people who do not accept them); answer publicly instead',
    'zh-CN': '未发送：在 X 上只能给曾私信过该账号的用户发送私信（X 会拒绝向不接受私信的用户发送）；请改为公开回复',
  }),
  x_reply_limit: (p) => ({
    en: `not sent: the X API ${p.plan} plan allows ${p.max} posts per ${p.window}, and this channel has made them`,
    'zh-CN': `未发送：X API ${p.plan} 套餐每 ${p.windowZh} 最多允许发布 ${p.max} 条，此渠道已达上限`,
  }),
  x_duplicate_content: () => ({
    en: 'not sent: X refuses a post identical to one the account made recently; vary the text (e.g. include {{event.text}} or the person\'s name)',
    'zh-CN': '未发送：X 会拒绝与账号近期发布内容完全相同的帖子；请让文本有所不同（例如包含 {{event.text}} 或对方的名字）',
  }),
};

const URL_RE = /https?:\/\/[^\s]+/g;

/** X's weighted length, simplified: code points, each URL as 23. */
export function postLength(text: string): number {
  const urls = text.match(URL_RE) ?? [];
  return [...text.replace(URL_RE, '')].length + urls.length * X_POLICY.urlLength;
}

export type XVerdict = { ok: true } | { ok: false; reason: Exclude<XRefusal, 'x_dm_not_permitted'>; params: Record<string, string | number> };

const windowText = (ms: number) => (ms >= DAY ? ['24 hours', '24 小时'] : [`${Math.round(ms / MINUTE)} minutes`, `${Math.round(ms / MINUTE)} 分钟`]);

export function postVerdict(o: { text: string; plan?: XPlan; postsInWindow: (windowMs: number) => number; duplicate: boolean }, policy = X_POLICY): XVerdict {
  const length = postLength(o.text);
  if (length > policy.postMaxLength) return { ok: false, reason: 'x_too_long', params: { length, max: policy.postMaxLength } };
  const plan = o.plan ?? policy.defaultPlan;
  const limit = policy.replyLimits[plan];
  if (limit && o.postsInWindow(limit.windowMs) >= limit.max) {
    const [window, windowZh] = windowText(limit.windowMs);
    return { ok: false, reason: 'x_reply_limit', params: { plan, max: limit.max, window, windowZh } };
  }
  if (policy.duplicateGuardMs > 0 && o.duplicate) return { ok: false, reason: 'x_duplicate_content', params: {} };
  return { ok: true };
}

export function dmVerdict(o: { text: string; hasInboundDm: boolean }, policy = X_POLICY): XVerdict {
  const length = [...o.text].length;
  if (length > policy.dmMaxLength) return { ok: false, reason: 'x_too_long', params: { length, max: policy.dmMaxLength } };
  if (!o.hasInboundDm) return { ok: false, reason: 'x_no_dm_conversation', params: {} };
  return { ok: true };
}

// ---- What the verdicts read from the store

interface XPostDoc { _id: string; workspaceId: string; channel: string; textHash: string; at: Date }
const posts = (s: Store) => s.db.collection<XPostDoc>('x_posts');
const textHash = (text: string) => createHash('sha256').update(text.trim()).digest('hex');

/** Has `handle` ever DMed the account on this channel? */
export async function hasInboundDm(store: Store, workspaceId: string, channel: string, handle: string): Promise<boolean> {
  const contact = await findContactByIdentity(store, workspaceId, { channel, handle });
  if (!contact) return false;
  return !!(await store.interactions.findOne({ workspaceId, contactId: contact._id, kind: 'event', channel, handle, type: { $in: X_POLICY.dmOpenedBy } }, { projection: { _id: 1 } }));
}

/** What postVerdict needs: the channel's posts in the longest window, and whether this text is among the recent. */
export async function postHistory(store: Store, workspaceId: string, channel: string, text: string, now = new Date()) {
  const longest = Math.max(X_POLICY.duplicateGuardMs, ...Object.values(X_POLICY.replyLimits).map((l) => l?.windowMs ?? 0));
  const recent = await posts(store).find({ workspaceId, channel, at: { $gt: new Date(now.getTime() - longest) } }, { projection: { at: 1, textHash: 1 } }).toArray();
  const hash = textHash(text);
  return {
    postsInWindow: (windowMs: number) => recent.filter((p) => p.at.getTime() > now.getTime() - windowMs).length,
    duplicate: recent.some((p) => p.textHash === hash && p.at.getTime() > now.getTime() - X_POLICY.duplicateGuardMs),
  };
}

/** One post made (its X id), counted by the limits; old ones are swept by whoever writes. */
export async function recordPost(store: Store, workspaceId: string, channel: string, postId: string, text: string, now = new Date()) {
  await posts(store).updateOne({ _id: `${workspaceId}|${channel}|${postId}` }, { $set: { workspaceId, channel, textHash: textHash(text), at: now } }, { upsert: true });
  if (Math.random() < 0.02) await posts(store).deleteMany({ workspaceId, at: { $lt: new Date(now.getTime() - 2 * DAY) } });
}
