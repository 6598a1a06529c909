/**
 * The WeChat Official Account API (https://developers.weixin.qq.com/doc/offiaccount/): the access_token, customer-
 * service and template messages, user info. Every call goes through the outbound destination policy.
 * - access_token: GET /cgi-bin/token?grant_type=client_credential&appid&secret, cached per workspace and channel
 *   (and AppID/AppSecret, so a new secret takes a new token) until `expires_in` minus a margin; concurrent callers
 *   share one request. An answer of 40001/40014/42001 (invalid, not latest or expired token) refreshes it once and
 *   repeats the call.
 * - errcode 45009 (rate limit) and -1 (system busy) are retried a bounded number of times with back-off: WeChat did
 *   not act on the request.
 * - Failures are WechatApiError (a ChannelSendError) carrying the errcode; no message ever holds the token, the
 *   AppSecret or a URL with either.
 */
import { createHash } from 'node:crypto';
import type { LocalizedText } from '../../../nodes/contract';
import { outboundHttp } from '../../outbound/destination-policy';
import { ChannelSendError } from '../http-adapter';

export const WECHAT_API_BASE = 'https://api.weixin.qq.com';

export interface WechatAccount {
  workspaceId: string;
  channel: string;
  appId: string;
  appSecret: string;
  apiBaseUrl?: string;
}

/** errcodes meaning the access_token is no longer good: refresh once and repeat. */
export const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** errcodes meaning WeChat did nothing and asks to try again later. */
export const BUSY_ERRCODES = new Set([45009, -1]);

/** What WeChat's errcodes mean, in our words (its errmsg is never passed on), in both UI languages. */
const ERRCODE_TEXT: Record<number, LocalizedText> = {
  [-1]: { en: 'system busy', 'zh-CN': '系统繁忙' },
  40001: { en: 'invalid credential (AppSecret wrong, or access_token invalid)', 'zh-CN': 'AppSecret 错误或 access_token 无效' },
  40002: { en: 'invalid grant_type', 'zh-CN': 'grant_type 不合法' },
  40003: { en: 'invalid openid', 'zh-CN': 'openid 不合法' },
  40013: { en: 'invalid AppID', 'zh-CN': 'AppID 不合法' },
  40014: { en: 'invalid access_token', 'zh-CN': 'access_token 不合法' },
  40037: { en: 'invalid template_id', 'zh-CN': 'template_id 不合法' },
  40125: { en: 'invalid AppSecret', 'zh-CN': 'AppSecret 不合法' },
  40164: { en: 'calling IP not in the account\'s IP whitelist', 'zh-CN': '调用方 IP 不在公众号的 IP 白名单中' },
  40243: { en: 'AppSecret frozen', 'zh-CN': 'AppSecret 已被冻结' },
  42001: { en: 'access_token expired', 'zh-CN': 'access_token 已过期' },
  43004: { en: 'the user does not follow the account', 'zh-CN': '用户未关注公众号' },
  44002: { en: 'empty post data', 'zh-CN': 'POST 数据为空' },
  45002: { en: 'content too long', 'zh-CN': '内容过长' },
  45009: { en: 'API call limit reached', 'zh-CN': '接口调用超过限制' },
  45015: { en: 'outside the customer-service window (the user has not interacted recently)', 'zh-CN': '超出客服消息时限（用户近期未互动）' },
  45047: { en: 'customer-service message quota exceeded', 'zh-CN': '客服消息数量超出上限' },
  47001: { en: 'malformed request data', 'zh-CN': '请求数据格式错误' },
  48001: { en: 'API not authorized for this account', 'zh-CN': '公众号未获得该接口权限' },
};

/**
 * errcodes no retry can fix (wrong configuration, unknown user, outside the window…): the step records them at once.
 * Anything else (network, 5xx, unknown errcodes) is left to the activity's retries.
 */
export const PERMANENT_ERRCODES = new Set([40001, 40003, 40013, 40037, 40125, 40164, 40243, 43004, 44002, 45002, 45015, 45047, 47001, 48001]);

export class WechatApiError extends ChannelSendError {
  override name = 'WechatApiError';
  constructor(readonly errcode: number, readonly operation: string, readonly permanent: boolean) {
    super(`WeChat ${operation}: errcode ${errcode}${ERRCODE_TEXT[errcode] ? ` (${ERRCODE_TEXT[errcode].en})` : ''}`, 200);
  }
}

export interface WechatClientOptions {
  /** Back-off before repeating a call WeChat answered busy (45009, -1); its length bounds the repeats. */
  busyBackoffMs: number[];
  /** A token is renewed this long before WeChat says it expires (at most half its lifetime). */
  tokenMarginMs: number;
  timeoutMs: number;
}

export const wechatClientOptions: WechatClientOptions = { busyBackoffMs: [500, 1000, 2000], tokenMarginMs: 5 * 60_000, timeoutMs: 10_000 };

interface CachedToken {
  token: string;
  expiresAt: number;
  /** The lifetime WeChat gave the token, in seconds. */
  lifetimeS: number;
}

const tokens = new Map<string, CachedToken>();
const fetching = new Map<string, Promise<CachedToken>>();

function cacheKey(a: WechatAccount): string {
  const secret = createHash('sha256').update(a.appSecret).digest('hex').slice(0, 16);
  return [a.workspaceId, a.channel, a.appId, secret, baseOf(a)].join('|');
}

const baseOf = (a: WechatAccount) => (a.apiBaseUrl ?? WECHAT_API_BASE).replace(/\/+$/, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Forgets every cached token (tests; a rotated AppSecret needs nothing: it keys the cache). */
export function clearWechatTokens(): void {
  tokens.clear();
}

function errcodeOf(body: Record<string, unknown>): number {
  const code = body.errcode;
  return typeof code === 'number' ? code : typeof code === 'string' && /^-?\d+$/.test(code) ? Number(code) : 0;
}

/** One HTTP exchange with WeChat: its JSON answer (non-2xx and non-JSON answers are ChannelSendErrors). */
async function exchange(url: string, operation: string, init: { method: 'GET' | 'POST'; body?: unknown }): Promise<Record<string, unknown>> {
  const res = await outboundHttp(url, {
    method: init.method,
    headers: init.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    timeoutMs: wechatClientOptions.timeoutMs,
    maxBodyChars: 64_000,
  });
  if (!res.ok) throw new ChannelSendError(`WeChat ${operation}: answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, res.status);
  try {
    const body = JSON.parse(res.body) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // below
  }
  throw new ChannelSendError(`WeChat ${operation}: the answer is not JSON`, res.status);
}

/** Repeats `attempt` while WeChat answers busy, with back-off; other answers are returned as they are. */
async function whileBusy(attempt: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  for (let n = 0; ; n++) {
    const body = await attempt();
    const code = errcodeOf(body);
    if (!BUSY_ERRCODES.has(code) || n >= wechatClientOptions.busyBackoffMs.length) return body;
    await sleep(wechatClientOptions.busyBackoffMs[n]);
  }
}

async function fetchToken(a: WechatAccount): Promise<CachedToken> {
  const q = new URLSearchParams({ grant_type: 'client_credential', appid: a.appId, secret: a.appSecret });
  const body = await whileBusy(() => exchange(`${baseOf(a)}/cgi-bin/token?${q}`, 'access_token', { method: 'GET' }));
  const code = errcodeOf(body);
  // Any errcode here is about the AppID/AppSecret or the account: a token refresh cannot fix it.
  if (code !== 0) throw new WechatApiError(code, 'access_token', !BUSY_ERRCODES.has(code));
  if (typeof body.access_token !== 'string' || !body.access_token) throw new ChannelSendError('WeChat access_token: the answer has no access_token', 200);
  const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 7200) * 1000;
  return { token: body.access_token, expiresAt: Date.now() + lifetimeMs - Math.min(wechatClientOptions.tokenMarginMs, lifetimeMs / 2), lifetimeS: lifetimeMs / 1000 };
}

/** Our description of a WeChat errcode (never WeChat's errmsg), when we know it. */
export function wechatErrcodeText(code: number): LocalizedText | undefined {
  return ERRCODE_TEXT[code];
}

/**
 * "Test connection": asks WeChat for a fresh access_token with the account's AppID and AppSecret (not the cached
 * one, which would prove nothing); the new token replaces the cached one. Its lifetime in seconds; failures throw
 * as every call does (WechatApiError with the errcode, ChannelSendError, network errors).
 */
export async function checkWechatCredentials(a: WechatAccount): Promise<{ expiresInS: number }> {
  const fresh = await fetchToken(a);
  tokens.set(cacheKey(a), fresh);
  return { expiresInS: fresh.lifetimeS };
}

/** The account's access_token: cached, or fetched once however many callers ask at the same time. */
export async function accessToken(a: WechatAccount, opts: { replacing?: string } = {}): Promise<string> {
  const key = cacheKey(a);
  const hit = tokens.get(key);
  if (hit && hit.token !== opts.replacing && Date.now() < hit.expiresAt) return hit.token;
  if (hit && hit.token === opts.replacing) tokens.delete(key);
  let pending = fetching.get(key);
  if (!pending) {
    pending = fetchToken(a).finally(() => fetching.delete(key));
    fetching.set(key, pending);
  }
  const fresh = await pending;
  if (tokens.size > 1000) tokens.clear();
  tokens.set(key, fresh);
  return fresh.token;
}

/** A call with the access_token: refreshed once when WeChat says it is stale, repeated while WeChat is busy. */
export async function wechatCall(a: WechatAccount, operation: string, path: string, init: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown }): Promise<Record<string, unknown>> {
  const url = (token: string) => `${baseOf(a)}${path}?${new URLSearchParams({ access_token: token, ...init.query })}`;
  let token = await accessToken(a);
  let body = await whileBusy(() => exchange(url(token), operation, init));
  let code = errcodeOf(body);
  if (TOKEN_ERRCODES.has(code)) {
    token = await accessToken(a, { replacing: token });
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
