/**
 * One HTTP exchange with the WeChat Official Account API (https://developers.weixin.qq.com/doc/offiaccount/) and
 * what its errcodes mean. Every exchange goes through the outbound destination policy.
 * - errcode 45009 (rate limit) and -1 (system busy) are retried a bounded number of times with back-off: WeChat did
 *   not act on the request.
 * - Failures are WechatApiError (a ChannelSendError) carrying the errcode; no message ever holds the token, the
 *   AppSecret or a URL with either.
 */
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

/** errcodes meaning the access_token is no longer good: get another once and repeat. */
export const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** errcodes meaning WeChat did nothing and asks to try again later. */
export const BUSY_ERRCODES = new Set([45009, -1]);

/** What WeChat's errcodes mean, in our words (its errmsg is never passed on), in both UI languages. */
const ERRCODE_TEXT: Record<number, LocalizedText> = {
  [-1]: { en: 'system busy', 'zh-CN': '系统繁忙' },
  40001: { en: 'invalid credential (access_token invalid)', 'zh-CN': 'access_token 无效' },
  40002: { en: 'invalid grant_type', 'zh-CN': 'grant_type 不合法' },
  40003: { en: 'invalid openid', 'zh-CN': 'openid 不合法' },
  40013: { en: 'invalid AppID', 'zh-CN': 'AppID 不合法' },
  40014: { en: 'invalid access_token', 'zh-CN': 'access_token 不合法' },
  40037: { en: 'invalid template_id', 'zh-CN': 'template_id 不合法' },
  40125: { en: 'invalid AppSecret (wrong, or reset in the console)', 'zh-CN': 'AppSecret 错误（或已在后台重置）' },
  40164: { en: 'calling IP not in the account\'s IP whitelist', 'zh-CN': '调用方 IP 不在公众号的 IP 白名单中' },
  40243: { en: 'AppSecret frozen', 'zh-CN': 'AppSecret 已被冻结' },
  42001: { en: 'access_token expired', 'zh-CN': 'access_token 已过期' },
  43002: { en: 'the API requires POST', 'zh-CN': '该接口需要 POST 请求' },
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
 * 40001 is among them: it is what remains after the token was already replaced once for the call.
 * Anything else (network, 5xx, unknown errcodes) is left to the activity's retries.
 */
export const PERMANENT_ERRCODES = new Set([40001, 40003, 40013, 40037, 40125, 40164, 40243, 43002, 43004, 44002, 45002, 45015, 45047, 47001, 48001]);

export class WechatApiError extends ChannelSendError {
  override name = 'WechatApiError';
  constructor(readonly errcode: number, readonly operation: string, readonly permanent: boolean) {
    super(`WeChat ${operation}: errcode ${errcode}${ERRCODE_TEXT[errcode] ? ` (${ERRCODE_TEXT[errcode].en})` : ''}`, 200);
  }
}

/** Our description of a WeChat errcode (never WeChat's errmsg), when we know it. */
export function wechatErrcodeText(code: number): LocalizedText | undefined {
  return ERRCODE_TEXT[code];
}

export interface WechatClientOptions {
  /** Back-off before repeating a call WeChat answered busy (45009, -1); its length bounds the repeats. */
  busyBackoffMs: number[];
  /** A token is renewed this long before WeChat says it expires (at most half its lifetime). */
  tokenMarginMs: number;
  timeoutMs: number;
}

export const wechatClientOptions: WechatClientOptions = { busyBackoffMs: [500, 1000, 2000], tokenMarginMs: 5 * 60_000, timeoutMs: 10_000 };

export const baseOf = (a: WechatAccount) => (a.apiBaseUrl ?? WECHAT_API_BASE).replace(/\/+$/, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function errcodeOf(body: Record<string, unknown>): number {
  const code = body.errcode;
  return typeof code === 'number' ? code : typeof code === 'string' && /^-?\d+$/.test(code) ? Number(code) : 0;
}

/** One HTTP exchange with WeChat: its JSON answer (non-2xx and non-JSON answers are ChannelSendErrors). */
export async function exchange(url: string, operation: string, init: { method: 'GET' | 'POST'; body?: unknown }): Promise<Record<string, unknown>> {
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
export async function whileBusy(attempt: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  for (let n = 0; ; n++) {
    const body = await attempt();
    const code = errcodeOf(body);
    if (!BUSY_ERRCODES.has(code) || n >= wechatClientOptions.busyBackoffMs.length) return body;
    await sleep(wechatClientOptions.busyBackoffMs[n]);
  }
}
