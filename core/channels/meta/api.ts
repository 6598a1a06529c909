/**
 * One HTTP exchange with Meta's Graph API (Messenger Send API, Instagram messaging and comments, WhatsApp Cloud API)
 * and what its error codes mean. Every exchange goes through the outbound destination policy.
 * - Graph answers an error as a non-2xx status with `{"error":{message, type, code, error_subcode, fbtrace_id}}`;
 *   the `code` is what decides (Meta asks clients to branch on it, not on the HTTP status or the message).
 * - Rate limits (4, 17, 32, 613, 80007, 130429, 131056) are repeated a bounded number of times with back-off: Meta did
 *   not act on the request. Past that, the error is left to the activity's retries.
 * - The access token travels in the Authorization header, never in a URL, so no log line or error can carry it.
 *   Every call carries `appsecret_proof` (HMAC-SHA256 of the token keyed with the App Secret,
 *   https://developers.facebook.com/docs/graph-api/security#appsecret_proof): apps with "Require App Secret" on (what
 *   Meta advises for server-side calls) refuse calls without it, and a stolen token is useless without the secret.
 *   Meta's own error message is kept (admins need it to fix the app's setup) with anything token-like cut out.
 */
import { createHmac } from 'node:crypto';
import type { LocalizedText } from '../../../nodes/contract';
import { outboundHttp } from '../../outbound/destination-policy';
import type { MetaPlatform } from '../../store/channel-configs';
import { ChannelSendError } from '../http-adapter';

export const META_GRAPH_BASE = 'https://graph.facebook.com';
export const META_GRAPH_VERSION = 'v21.0';

export interface MetaAccount {
  workspaceId: string;
  channel: string;
  platform: MetaPlatform;
  accessToken: string;
  /** The App Secret (the channel's webhook secret): signs each call's appsecret_proof. */
  appSecret?: string;
  apiBaseUrl?: string;
  apiVersion?: string;
}

/** Codes meaning the access token is expired, revoked or not a token: no retry fixes it, a new token does. */
export const TOKEN_CODES = new Set([102, 190]);
/** Codes meaning Meta throttled the call and did nothing. */
export const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007, 130429, 131056]);
/** Codes meaning Meta had a passing failure of its own. */
export const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);

/** The send was refused because the 24-hour window is closed (Messenger/Instagram: 10 with 2018278; WhatsApp: 131047). */
export function isWindowClosed(code: number, subcode?: number): boolean {
  return code === 131047 || (code === 10 && subcode === 2018278);
}

/** What the codes mean, in our words, beside Meta's message (which is English only). */
const CODE_TEXT: Record<number, LocalizedText> = {
  4: { en: 'application request limit reached', 'zh-CN': '应用请求次数已达上限' },
  10: { en: 'permission denied', 'zh-CN': '权限被拒绝' },
  17: { en: 'user request limit reached', 'zh-CN': '用户请求次数已达上限' },
  32: { en: 'Page request limit reached', 'zh-CN': '主页请求次数已达上限' },
  100: { en: 'invalid parameter', 'zh-CN': '参数无效' },
  102: { en: 'session key invalid or no longer valid', 'zh-CN': '会话已失效' },
  190: { en: 'access token expired or invalid: create a new one in Meta\'s console and save it here', 'zh-CN': '访问令牌已过期或无效：请在 Meta 后台生成新的令牌并在此保存' },
  200: { en: 'the app lacks a permission for this call', 'zh-CN': '应用缺少此调用所需的权限' },
  551: { en: 'this person is not available right now', 'zh-CN': '此用户当前无法接收消息' },
  10900: { en: 'this comment already has its private reply', 'zh-CN': '此评论已发送过私信回复' },
  10903: { en: 'this person cannot be answered privately on this comment', 'zh-CN': '无法就此评论私信回复此用户' },
  613: { en: 'calls to this API exceeded the rate limit', 'zh-CN': '此接口调用超过频率限制' },
  80007: { en: 'WhatsApp Business Account rate limit reached', 'zh-CN': 'WhatsApp 商业账号已达频率上限' },
  130429: { en: 'Cloud API throughput reached', 'zh-CN': 'Cloud API 吞吐量已达上限' },
  131026: { en: 'message undeliverable (not a WhatsApp user, or it blocked the business)', 'zh-CN': '消息无法送达（不是 WhatsApp 用户，或已屏蔽该企业）' },
  131047: { en: 'more than 24 hours since the customer last replied: only a template message may be sent', 'zh-CN': '距客户上次回复已超过 24 小时：只能发送模板消息' },
  131056: { en: 'too many messages to this customer in a short time', 'zh-CN': '短时间内向该客户发送的消息过多' },
  132000: { en: 'the number of template variables does not match the template', 'zh-CN': '模板变量数量与模板不符' },
  132001: { en: 'the template does not exist in this language', 'zh-CN': '该语言下不存在此模板' },
};

export function metaCodeText(code: number): LocalizedText | undefined {
  return CODE_TEXT[code];
}

/** Meta's message without anything that looks like an access token, and short enough for a step or a toast. */
export function safeMetaMessage(message: unknown): string {
  if (typeof message !== 'string') return '';
  return message.replace(/\b(EAA|EAAG|IGQ|IGAA)[A-Za-z0-9_-]{10,}/g, '[token]').slice(0, 300);
}

export class MetaApiError extends ChannelSendError {
  override name = 'MetaApiError';
  constructor(
    readonly operation: string,
    readonly code: number,
    readonly subcode: number | undefined,
    readonly metaMessage: string,
    readonly fbtraceId: string | undefined,
    status: number,
  ) {
    super(`Meta ${operation}: code ${code}${subcode ? ` (subcode ${subcode})` : ''}${metaMessage ? `: ${metaMessage}` : ''}`, status);
  }

  get tokenInvalid(): boolean {
    return TOKEN_CODES.has(this.code);
  }

  get windowClosed(): boolean {
    return isWindowClosed(this.code, this.subcode);
  }

  /** Another attempt later may succeed (throttling, Meta's own hiccups); anything else is the request or the setup. */
  get transient(): boolean {
    return RATE_LIMIT_CODES.has(this.code) || TRANSIENT_CODES.has(this.code) || (this.status >= 500 && !this.tokenInvalid);
  }
}

export interface MetaClientOptions {
  /** Back-off before repeating a throttled call; its length bounds the repeats. */
  rateLimitBackoffMs: number[];
  timeoutMs: number;
}

export const metaClientOptions: MetaClientOptions = { rateLimitBackoffMs: [1000, 2000, 4000], timeoutMs: 10_000 };

export const baseOf = (a: Pick<MetaAccount, 'apiBaseUrl'>) => (a.apiBaseUrl ?? META_GRAPH_BASE).replace(/\/+$/, '');
export const versionOf = (a: Pick<MetaAccount, 'apiVersion'>) => a.apiVersion ?? META_GRAPH_VERSION;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** Graph's appsecret_proof: hex HMAC-SHA256 of the access token, keyed with the App Secret (useless without the token). */
export function appSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken, 'utf8').digest('hex');
}

/** One exchange: the JSON answer, or a MetaApiError of Graph's error object (a ChannelSendError for anything else). */
async function exchangeOnce(a: MetaAccount, operation: string, init: { method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: unknown }) {
  const params = { ...init.query, ...(a.appSecret ? { appsecret_proof: appSecretProof(a.accessToken, a.appSecret) } : {}) };
  const query = Object.keys(params).length ? `?${new URLSearchParams(params)}` : '';
  const res = await outboundHttp(`${baseOf(a)}/${versionOf(a)}/${init.path.replace(/^\/+/, '')}${query}`, {
    method: init.method,
    headers: { authorization: `Bearer ${a.accessToken}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    timeoutMs: metaClientOptions.timeoutMs,
    maxBodyChars: 64_000,
    // Graph's error object is read for its code (and a cleaned message); nothing else of an error answer is kept.
    maxErrorBodyChars: 8_000,
  });
  const body = parseJson(res.body);
  const error = body?.error && typeof body.error === 'object' ? (body.error as Record<string, unknown>) : undefined;
  if (error && num(error.code) !== undefined) {
    throw new MetaApiError(operation, num(error.code)!, num(error.error_subcode), safeMetaMessage(error.message), typeof error.fbtrace_id === 'string' ? error.fbtrace_id : undefined, res.status);
  }
  if (!res.ok) throw new ChannelSendError(`Meta ${operation}: answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, res.status);
  if (!body) throw new ChannelSendError(`Meta ${operation}: the answer is not JSON`, res.status);
  return body;
}

/** A Graph call, repeated with back-off while Meta answers a rate limit. */
export async function graphCall(a: MetaAccount, operation: string, init: { method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: unknown }): Promise<Record<string, unknown>> {
  for (let n = 0; ; n++) {
    try {
      return await exchangeOnce(a, operation, init);
    } catch (err) {
      const throttled = err instanceof MetaApiError && RATE_LIMIT_CODES.has(err.code);
      if (!throttled || n >= metaClientOptions.rateLimitBackoffMs.length) throw err;
      await sleep(metaClientOptions.rateLimitBackoffMs[n]);
    }
  }
}
