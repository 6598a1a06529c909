/**
 * The Graph API calls Journeys makes (api.ts does the exchange and the error codes):
 * - Messenger and Instagram messages: POST /{version}/me/messages (Send API,
 *   https://developers.facebook.com/docs/messenger-platform/reference/send-api) with the Page access token;
 * - public replies to comments: Instagram POST /{ig-comment-id}/replies, Facebook POST /{comment-id}/comments;
 * - private replies to comments: POST /{version}/me/messages with `recipient: {comment_id}`;
 * - WhatsApp: POST /{version}/{phone-number-id}/messages (Cloud API), a text or a template message;
 * - profiles: GET /{psid or igsid}?fields=…;
 * - the connection test: GET /me?fields=id,name, or GET /{phone-number-id}?fields=display_phone_number,verified_name.
 */
import { graphCall, type MetaAccount } from './api';

export { META_GRAPH_BASE, META_GRAPH_VERSION, MetaApiError, metaClientOptions, metaCodeText, type MetaAccount } from './api';

/** A Graph node id in a path: ids are digits (and wamid-like tokens), never anything that changes the path. */
const id = (v: string) => encodeURIComponent(v);

const stringId = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export type MessagingType = { type: 'RESPONSE' } | { type: 'MESSAGE_TAG'; tag: string };

/** A Messenger / Instagram text message; Meta's message id (mid). */
export async function sendPageMessage(a: MetaAccount, recipientId: string, text: string, how: MessagingType): Promise<string | undefined> {
  const body = await graphCall(a, 'Send API message', {
    method: 'POST', path: 'me/messages',
    body: { recipient: { id: recipientId }, messaging_type: how.type, ...(how.type === 'MESSAGE_TAG' ? { tag: how.tag } : {}), message: { text } },
  });
  return stringId(body.message_id);
}

/** A private reply: one message to the author of a comment, in their inbox (recipient.comment_id); its mid. */
export async function sendPrivateReply(a: MetaAccount, commentId: string, text: string): Promise<string | undefined> {
  const body = await graphCall(a, 'private reply', { method: 'POST', path: 'me/messages', body: { recipient: { comment_id: commentId }, message: { text } } });
  return stringId(body.message_id);
}

/** A public reply on the comment's thread; the id of the reply. */
export async function replyToComment(a: MetaAccount, commentId: string, text: string): Promise<string | undefined> {
  // Instagram nests replies under /replies; a Facebook comment takes its replies as comments of the comment.
  const edge = a.platform === 'instagram' ? 'replies' : 'comments';
  const body = await graphCall(a, 'comment reply', { method: 'POST', path: `${id(commentId)}/${edge}`, body: { message: text } });
  return stringId(body.id);
}

export interface WhatsappTemplate {
  name: string;
  language: string;
  /** Body variables: positional ({{1}}, {{2}}…) when every key is a number, else named parameters. */
  body: Record<string, string>;
}

function templateComponents(body: Record<string, string>) {
  const entries = Object.entries(body);
  if (!entries.length) return [];
  const positional = entries.every(([k]) => /^\d+$/.test(k));
  const parameters = positional
    ? entries.sort(([x], [y]) => Number(x) - Number(y)).map(([, text]) => ({ type: 'text', text }))
    : entries.map(([name, text]) => ({ type: 'text', parameter_name: name, text }));
  return [{ type: 'body', parameters }];
}

/** A WhatsApp text (inside the customer-service window) or template message; Meta's message id (wamid). */
export async function sendWhatsapp(a: MetaAccount, phoneNumberId: string, to: string, m: { text: string } | { template: WhatsappTemplate }): Promise<string | undefined> {
  const content = 'text' in m
    ? { type: 'text', text: { preview_url: false, body: m.text } }
    : { type: 'template', template: { name: m.template.name, language: { code: m.template.language }, components: templateComponents(m.template.body) } };
  const body = await graphCall(a, 'text' in m ? 'WhatsApp message' : 'WhatsApp template message', {
    method: 'POST', path: `${id(phoneNumberId)}/messages`, body: { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...content },
  });
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  return stringId(messages[0]?.id);
}

/** Fields Graph documents for a messaging user's profile, per platform. */
export const PROFILE_FIELDS = {
  messenger: 'name,first_name,last_name,profile_pic',
  instagram: 'name,username,profile_pic,follower_count,is_verified_user',
} as const;

/** A Messenger (PSID) or Instagram (IGSID) user's profile. */
export function userProfile(a: MetaAccount & { platform: 'messenger' | 'instagram' }, userId: string) {
  return graphCall(a, 'user profile', { method: 'GET', path: id(userId), query: { fields: PROFILE_FIELDS[a.platform] } });
}

/** The connection test's call: who the token is (the Page), or the WhatsApp number it sends from. */
export function whoAmI(a: MetaAccount, phoneNumberId?: string) {
  return a.platform === 'whatsapp'
    ? graphCall(a, 'phone number', { method: 'GET', path: id(phoneNumberId ?? ''), query: { fields: 'display_phone_number,verified_name' } })
    : graphCall(a, 'me', { method: 'GET', path: 'me', query: { fields: 'id,name' } });
}
