/**
 * What an Account Activity delivery means, as contact events (no I/O; inbound.ts verifies and ingests them). One
 * delivery names the subscribed account (`for_user_id`) and carries one kind of activity:
 * - `tweet_create_events`: posts that mention the account, reply to it, quote it, or are its own. A reply to one of
 *   the account's posts (`in_reply_to_user_id_str` = the account) is `social.comment` — someone answering what the
 *   account said; any other post naming the account is `social.mention`. Both start `trigger.social-mention`
 *   journeys. The post id is the event's `threadId`, so a journey's reply is posted in reply to that very post.
 *   Retweets are dropped (nothing was said), and so are the account's own posts: its replies never start journeys.
 * - `direct_message_events` (`type: message_create`) → `social.dm`, with the one-to-one conversation id
 *   (`<smaller id>-<larger id>`, as X names it) as `threadId`, so a reply to it is a DM in that conversation. DMs
 *   the account sent (sender = for_user_id) are dropped.
 * Every event's id is X's own (`x:tweet:<id>`, `x:dm:<id>`), so a redelivery is the same event, ingested once. The
 * author's public profile from the delivery (name, screen_name, followers_count, verified) is kept in `data.user`
 * and returned apart, by handle (the user id). Items that are not what X documents are skipped, not refused: a 4xx
 * would make X redeliver the whole batch.
 */
import type { ContactEvent } from '../../../nodes/contract';

export interface XUserFacts {
  name?: string;
  screenName?: string;
  followers?: number;
  verified?: boolean;
  avatarUrl?: string;
}

export interface XWebhookMeaning {
  events: ContactEvent[];
  /** The authors' profiles the delivery carried, by user id. */
  users: Record<string, XUserFacts>;
  /** Items skipped: another account's delivery, the account's own, retweets, or not what X documents. */
  ignored: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** X ids are decimal snowflakes; the `_str` forms are read (the numeric ones lose precision in JSON). */
const idOf = (v: unknown): string | undefined => (typeof v === 'string' && /^[0-9]{1,20}$/.test(v) ? v : undefined);
const str = (v: unknown, max = 20_000): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);
const compact = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function isoOf(v: unknown, fallback: Date): string {
  const ms = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : typeof v === 'string' ? Date.parse(v) : NaN;
  const d = Number.isFinite(ms) ? new Date(ms) : fallback;
  return Number.isNaN(d.getTime()) ? fallback.toISOString() : d.toISOString();
}

/** v1.1 user objects (in posts, and the DM delivery's `users` map). */
export function userFacts(u: Obj | undefined): XUserFacts {
  if (!u) return {};
  return compact({
    name: str(u.name, 200), screenName: str(u.screen_name, 50),
    followers: typeof u.followers_count === 'number' ? u.followers_count : undefined,
    verified: typeof u.verified === 'boolean' ? u.verified : undefined,
    avatarUrl: str(u.profile_image_url_https, 500),
  }) as XUserFacts;
}

/** The one-to-one conversation id X gives two users: the smaller id first. */
export function dmConversationId(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

/** A post's full text: extended posts carry it in `extended_tweet.full_text`. */
const tweetText = (t: Obj) => str(obj(t.extended_tweet)?.full_text) ?? str(t.text);

function tweetEvent(t: Obj, accountId: string, channel: string, now: Date, out: XWebhookMeaning): ContactEvent | undefined {
  const tweetId = idOf(t.id_str);
  const user = obj(t.user);
  const author = idOf(user?.id_str);
  if (!tweetId || !author || author === accountId || t.retweeted_status) return undefined;
  out.users[author] = userFacts(user);
  const inReplyToUser = idOf(t.in_reply_to_user_id_str);
  const isComment = inReplyToUser === accountId;
  const text = tweetText(t);
  return {
    id: `x:tweet:${tweetId}`, type: isComment ? 'social.comment' : 'social.mention', channel, handle: author, threadId: tweetId,
    occurredAt: isoOf(t.timestamp_ms ?? t.created_at, now), ...(text ? { text } : {}),
    data: compact({
      platform: 'x', accountId, tweetId, inReplyToTweetId: idOf(t.in_reply_to_status_id_str), inReplyToUserId: inReplyToUser,
      quotedTweetId: idOf(t.quoted_status_id_str), conversationId: idOf(t.conversation_id_str), screenName: out.users[author].screenName, user: out.users[author],
    }),
  };
}

function dmEvent(e: Obj, accountId: string, users: Obj | undefined, channel: string, now: Date, out: XWebhookMeaning): ContactEvent | undefined {
  const mc = obj(e.message_create);
  const dmId = idOf(e.id);
  const sender = idOf(mc?.sender_id);
  const recipient = idOf(obj(mc?.target)?.recipient_id);
  if (e.type !== 'message_create' || !mc || !dmId || !sender || sender === accountId) return undefined;
  // A DM of a conversation the account is not in is not this channel's.
  if (recipient && recipient !== accountId) return undefined;
  const facts = userFacts(obj(users?.[sender]));
  out.users[sender] = facts;
  const data = obj(mc.message_data);
  const text = str(data?.text);
  const conversation = dmConversationId(sender, accountId);
  return {
    id: `x:dm:${dmId}`, type: 'social.dm', channel, handle: sender, threadId: conversation, occurredAt: isoOf(e.created_timestamp, now), ...(text ? { text } : {}),
    data: compact({ platform: 'x', accountId, dmEventId: dmId, dmConversationId: conversation, screenName: facts.screenName, user: facts }),
  };
}

export function xWebhookEvents(body: unknown, ctx: { channel: string; userId: string }, now = new Date()): XWebhookMeaning {
  const out: XWebhookMeaning = { events: [], users: {}, ignored: 0 };
  const root = obj(body);
  // A delivery for another subscribed account of the same app is not this channel's.
  if (!root || idOf(root.for_user_id) !== ctx.userId) return { ...out, ignored: 1 };
  for (const raw of arr(root.tweet_create_events)) {
    const t = obj(raw);
    const event = t ? tweetEvent(t, ctx.userId, ctx.channel, now, out) : undefined;
    if (event) out.events.push(event);
    else out.ignored++;
  }
  const users = obj(root.users);
  for (const raw of arr(root.direct_message_events)) {
    const e = obj(raw);
    const event = e ? dmEvent(e, ctx.userId, users, ctx.channel, now, out) : undefined;
    if (event) out.events.push(event);
    else out.ignored++;
  }
  return out;
}
