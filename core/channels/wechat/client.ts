/**
 * The WeChat Official Account API calls Journeys makes: customer-service and template messages, user info. Each
 * goes through the destination policy (api.ts) with the account's access_token (access-token.ts): a token WeChat
 * refuses (40001/40014/42001) is replaced once and the call repeated; busy answers are repeated with back-off.
 */
import { accessToken } from './access-token';
import { baseOf, errcodeOf, exchange, PERMANENT_ERRCODES, TOKEN_ERRCODES, WechatApiError, whileBusy, type WechatAccount } from './api';

export { checkWechatCredentials, clearWechatTokens } from './access-token';
export { WECHAT_API_BASE, WechatApiError, wechatClientOptions, wechatErrcodeText, type WechatAccount } from './api';

/** A call with the access_token: replaced once when WeChat refuses it, repeated while WeChat is busy. */
export async function wechatCall(a: WechatAccount, operation: string, path: string, init: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown }): Promise<Record<string, unknown>> {
  const url = (token: string) => `${baseOf(a)}${path}?${new URLSearchParams({ access_token: token, ...init.query })}`;
  let token = await accessToken(a);
  let body = await whileBusy(() => exchange(url(token), operation, init));
  let code = errcodeOf(body);
  if (TOKEN_ERRCODES.has(code)) {
    token = await accessToken(a, { refused: token });
    body = await whileBusy(() => exchange(url(token), operation, init));
    code = errcodeOf(body);
  }
  if (code !== 0) throw new WechatApiError(code, operation, PERMANENT_ERRCODES.has(code));
  return body;
}

/** A customer-service text message (客服消息). */
export async function sendCustomText(a: WechatAccount, openid: string, content: string): Promise<void> {
  await wechatCall(a, 'customer-service message', '/cgi-bin/message/custom/send', { method: 'POST', body: { touser: openid, msgtype: 'text', text: { content } } });
}

export interface TemplateMessage {
  templateId: string;
  /** Template fields: `{ first: { value: '…' } }`, or plain strings for `{ value }`. */
  data: Record<string, { value: string; color?: string } | string>;
  url?: string;
  miniprogram?: { appid: string; pagepath?: string };
  /** The template's language where the platform keeps one template per language (WhatsApp); WeChat has none. */
  language?: string;
}

/** A template message (模板消息); WeChat's msgid. */
export async function sendTemplate(a: WechatAccount, openid: string, t: TemplateMessage): Promise<string | undefined> {
  const data = Object.fromEntries(Object.entries(t.data).map(([k, v]) => [k, typeof v === 'string' ? { value: v } : v]));
  const body = await wechatCall(a, 'template message', '/cgi-bin/message/template/send', {
    method: 'POST',
    body: { touser: openid, template_id: t.templateId, ...(t.url ? { url: t.url } : {}), ...(t.miniprogram ? { miniprogram: t.miniprogram } : {}), data },
  });
  const id = body.msgid;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
}

export interface WechatUser {
  subscribed: boolean;
  nickname?: string;
  headimgurl?: string;
  [field: string]: unknown;
}

/** A user's basic information (获取用户基本信息); undefined for an openid WeChat does not know here. */
export async function userInfo(a: WechatAccount, openid: string): Promise<WechatUser | undefined> {
  try {
    const body = await wechatCall(a, 'user info', '/cgi-bin/user/info', { method: 'GET', query: { openid, lang: 'zh_CN' } });
    return { ...body, subscribed: body.subscribe === 1 || body.subscribe === '1' };
  } catch (err) {
    if (err instanceof WechatApiError && err.errcode === 40003) return undefined;
    throw err;
  }
}
