/**
 * The X API v2 calls Journeys makes (api.ts does the exchange and reads the errors):
 * - a public reply: POST /2/tweets with `reply.in_reply_to_tweet_id`;
 * - a DM: POST /2/dm_conversations/with/:participant_id/messages (one-to-one; opens the conversation if needed);
 * - a profile: GET /2/users/:id?user.fields=name,username,profile_image_url,public_metrics,verified;
 * - the connection test: GET /2/users/me.
 */
import { xCall, type XAccount } from './api';

export { X_API_BASE, XApiError, xClientOptions, type XAccount } from './api';

const id = (v: string) => encodeURIComponent(v);
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const stringId = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export const PROFILE_FIELDS = 'name,username,profile_image_url,public_metrics,verified';

/** The new post's id. */
export async function replyToTweet(a: XAccount, tweetId: string, text: string): Promise<string | undefined> {
  const body = await xCall(a, 'reply', { method: 'POST', path: '2/tweets', body: { text, reply: { in_reply_to_tweet_id: tweetId } } });
  return stringId(obj(body.data).id);
}

/** The DM's event id and its conversation. */
export async function sendDm(a: XAccount, participantId: string, text: string): Promise<{ dmEventId?: string; dmConversationId?: string }> {
  const body = await xCall(a, 'direct message', { method: 'POST', path: `2/dm_conversations/with/${id(participantId)}/messages`, body: { text } });
  const data = obj(body.data);
  return { dmEventId: stringId(data.dm_event_id), dmConversationId: stringId(data.dm_conversation_id) };
}

export async function userProfile(a: XAccount, userId: string): Promise<Record<string, unknown>> {
  return obj((await xCall(a, 'user profile', { method: 'GET', path: `2/users/${id(userId)}`, query: { 'user.fields': PROFILE_FIELDS } })).data);
}

export async function whoAmI(a: XAccount): Promise<Record<string, unknown>> {
  return obj((await xCall(a, 'me', { method: 'GET', path: '2/users/me' })).data);
}
