/**
 * One HTTP exchange with the WeCom server API (企业微信服务端 API, https://developer.work.weixin.qq.com/document/path/90664)
 * and what its errcodes mean. Every exchange goes through the outbound destination policy.
 * - WeCom answers HTTP 200 with `{errcode, errmsg}`; errcode 0 is success. Its errmsg is never passed on (it may
 *   change, and carries request ids): errcodes are described in our words, in both UI languages.
 * - -1 (system busy), 45009 (rate limit) and 45033 (too many concurrent calls) are repeated a bounded number of times
 *   with back-off: WeCom did not act on the request.
 * - Failures are WecomApiError (a ChannelSendError) carrying the errcode; no message ever holds the access_token, the
 *   Secret or a URL with either (gettoken takes the Secret in its query string).
 */
import type { LocalizedText } from '../../../nodes/contract';
import { outboundHttp } from '../../outbound/destination-policy';
import { ChannelSendError } from '../http-adapter';
import { errcodeOf } from '../wechat/api';

export { errcodeOf };

export const WECOM_API_BASE = 'https://qyapi.weixin.qq.com';

export interface WecomAccount {
  workspaceId: string;
  channel: string;
  corpId: string;
  /** The customer-contact Secret (客户联系 Secret). */
  secret: string;
  apiBaseUrl?: string;
}

/** errcodes meaning the access_token is no longer good: get another once and repeat. */
export const TOKEN_ERRCODES = new Set([40014, 41001, 42001]);
/** errcodes meaning WeCom did nothing and asks to try again later. */
export const BUSY_ERRCODES = new Set([-1, 45009, 45033]);

/** What WeCom's errcodes mean (全局错误码, https://developer.work.weixin.qq.com/document/path/90313), in our words. */
const ERRCODE_TEXT: Record<number, LocalizedText> = {
  [-1]: { en: 'system busy', 'zh-CN': '系统繁忙' },
  40001: { en: 'invalid Secret (wrong, reset in the admin console, or not the customer-contact Secret)', 'zh-CN': 'Secret 不合法（错误、已在管理后台重置，或不是“客户联系”的 Secret）' },
  40003: { en: 'invalid UserID of the staff member', 'zh-CN': '成员 UserID 不合法' },
  40013: { en: 'invalid CorpID', 'zh-CN': 'CorpID（企业ID）不合法' },
  40014: { en: 'invalid access_token', 'zh-CN': 'access_token 不合法' },
  40058: { en: 'invalid parameter (for a welcome message: the welcome code is unknown or no longer valid)', 'zh-CN': '参数不合法（发送欢迎语时：欢迎语凭证 welcome_code 无效或已失效）' },
  40068: { en: 'invalid tag id', 'zh-CN': '标签 ID 不合法' },
  40096: { en: 'invalid external_userid', 'zh-CN': '外部联系人 external_userid 不合法' },
  41001: { en: 'access_token missing', 'zh-CN': '缺少 access_token 参数' },
  41002: { en: 'CorpID missing', 'zh-CN': '缺少 corpid 参数' },
  41004: { en: 'Secret missing', 'zh-CN': '缺少 secret 参数' },
  41051: { en: 'the customer has already started chatting: the welcome code was used (by this or another app)', 'zh-CN': '客户已开始聊天：欢迎语凭证已被使用（本应用或其他应用）' },
  42001: { en: 'access_token expired', 'zh-CN': 'access_token 已过期' },
  45009: { en: 'API call limit reached', 'zh-CN': '接口调用超过限制' },
  45033: { en: 'too many concurrent API calls', 'zh-CN': '接口并发调用超过限制' },
  48002: { en: 'API not authorized for this Secret (use the customer-contact Secret, 客户联系 › API)', 'zh-CN': '该 Secret 无权调用此接口（请使用“客户联系 › API”中的 Secret）' },
  60011: { en: 'the staff member is outside the visible range of the Secret', 'zh-CN': '成员不在该 Secret 的可见范围内' },
  60020: { en: 'calling IP not in the enterprise\'s trusted IPs (可信IP)', 'zh-CN': '调用方 IP 不在企业的可信 IP 列表中' },
  60111: { en: 'the staff member\'s UserID does not exist', 'zh-CN': '成员 UserID 不存在' },
  84061: { en: 'the staff member has no relationship with this customer (not added, or deleted)', 'zh-CN': '成员与该客户不存在外部联系人关系（未添加或已删除）' },
};

/**
 * errcodes no retry can fix (configuration, unknown customer, used welcome code…): the step records them at once.
 * 40014/41001/42001 are among them only once the token was already replaced for the call (the client does that).
 * Anything else (network, 5xx, unknown errcodes) is left to the activity's retries.
 */
export const PERMANENT_ERRCODES = new Set([40001, 40003, 40013, 40014, 40058, 40068, 40096, 41001, 41002, 41004, 41051, 42001, 48002, 60011, 60020, 60111, 84061]);

export class WecomApiError extends ChannelSendError {
  override name = 'WecomApiError';
  constructor(readonly errcode: number, readonly operation: string, readonly permanent: boolean) {
    super(`WeCom ${operation}: errcode ${errcode}${ERRCODE_TEXT[errcode] ? ` (${ERRCODE_TEXT[errcode].en})` : ''}`, 200);
  }
}

/** Our description of a WeCom errcode (never WeCom's errmsg), when we know it. */
export function wecomErrcodeText(code: number): LocalizedText | undefined {
  return ERRCODE_TEXT[code];
}

export interface WecomClientOptions {
  /** Back-off before repeating a call WeCom answered busy; its length bounds the repeats. */
  busyBackoffMs: number[];
  /** A token is renewed this long before WeCom says it expires (at most half its lifetime). */
  tokenMarginMs: number;
  timeoutMs: number;
}

export const wecomClientOptions: WecomClientOptions = { busyBackoffMs: [500, 1000, 2000], tokenMarginMs: 5 * 60_000, timeoutMs: 10_000 };

export const baseOf = (a: Pick<WecomAccount, 'apiBaseUrl'>) => (a.apiBaseUrl ?? WECOM_API_BASE).replace(/\/+$/, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One HTTP exchange with WeCom: its JSON answer (non-2xx and non-JSON answers are ChannelSendErrors naming no URL). */
export async function exchange(url: string, operation: string, init: { method: 'GET' | 'POST'; body?: unknown }): Promise<Record<string, unknown>> {
  const res = await outboundHttp(url, {
    method: init.method,
    headers: init.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    timeoutMs: wecomClientOptions.timeoutMs,
    maxBodyChars: 256_000,
  });
  if (!res.ok) throw new ChannelSendError(`WeCom ${operation}: answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, res.status);
  try {
    const body = JSON.parse(res.body) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // below
  }
  throw new ChannelSendError(`WeCom ${operation}: the answer is not JSON`, res.status);
}

/** Repeats `attempt` while WeCom answers busy, with back-off; other answers are returned as they are. */
export async function whileBusy(attempt: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  for (let n = 0; ; n++) {
    const body = await attempt();
    if (!BUSY_ERRCODES.has(errcodeOf(body)) || n >= wecomClientOptions.busyBackoffMs.length) return body;
    await sleep(wecomClientOptions.busyBackoffMs[n]);
  }
}
