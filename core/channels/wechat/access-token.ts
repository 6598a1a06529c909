/**
 * The account's access_token, from the stable-token API (获取稳定版接口调用凭据,
 * https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken):
 * POST /cgi-bin/stable_token {grant_type: 'client_credential', appid, secret, force_refresh}.
 * - Unlike GET /cgi-bin/token, asking again in the normal mode hands out the same token while it is valid, so the
 *   API process, every worker and any other system on the same AppID share one token instead of invalidating each
 *   other's; and the AppSecret travels in the body, never in a URL.
 * - Cached per workspace, channel, AppID, AppSecret and base URL (a new secret takes a new token) until
 *   `expires_in` minus a margin; concurrent callers share one request.
 * - When an API refuses the token (40001/40014/42001), the normal mode is asked first: it already answers with the
 *   renewed token when ours expired or someone else forced a refresh. Only if it hands back the very token just
 *   refused is `force_refresh: true` used. Forcing on every refusal would make two processes revoke each other's
 *   token in turn, and WeChat allows 20 forced refreshes a day.
 */
import { createHash } from 'node:crypto';
import { ChannelSendError } from '../http-adapter';
import { baseOf, BUSY_ERRCODES, errcodeOf, exchange, wechatClientOptions, WechatApiError, whileBusy, type WechatAccount } from './api';

interface CachedToken {
  token: string;
  expiresAt: number;
  /** The lifetime WeChat gave the token, in seconds. */
  lifetimeS: number;
}

const tokens = new Map<string, CachedToken>();
/** Requests in flight, by account and by the token they replace: a burst of refusals makes one request. */
const fetching = new Map<string, Promise<CachedToken>>();

function cacheKey(a: WechatAccount): string {
  const secret = createHash('sha256').update(a.appSecret).digest('hex').slice(0, 16);
  return [a.workspaceId, a.channel, a.appId, secret, baseOf(a)].join('|');
}

/** Forgets every cached token (tests; a rotated AppSecret needs nothing: it keys the cache). */
export function clearWechatTokens(): void {
  tokens.clear();
}

async function stableToken(a: WechatAccount, forceRefresh: boolean): Promise<CachedToken> {
  const body = await whileBusy(() => exchange(`${baseOf(a)}/cgi-bin/stable_token`, 'access_token', {
    method: 'POST', body: { grant_type: 'client_credential', appid: a.appId, secret: a.appSecret, force_refresh: forceRefresh },
  }));
  const code = errcodeOf(body);
  // Any errcode here is about the AppID/AppSecret or the account: another token request cannot fix it.
  if (code !== 0) throw new WechatApiError(code, 'access_token', !BUSY_ERRCODES.has(code));
  if (typeof body.access_token !== 'string' || !body.access_token) throw new ChannelSendError('WeChat access_token: the answer has no access_token', 200);
  const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 7200) * 1000;
  return { token: body.access_token, expiresAt: Date.now() + lifetimeMs - Math.min(wechatClientOptions.tokenMarginMs, lifetimeMs / 2), lifetimeS: lifetimeMs / 1000 };
}

async function renewed(a: WechatAccount, refused: string | undefined): Promise<CachedToken> {
  const current = await stableToken(a, false);
  if (refused === undefined || current.token !== refused) return current;
  return stableToken(a, true);
}

/**
 * "Test connection": asks WeChat with the account's AppID and AppSecret (the cache would prove nothing), in the
 * normal mode, which checks both without revoking the token other callers hold. Its lifetime in seconds; failures
 * throw as every call does (WechatApiError with the errcode, ChannelSendError, network errors).
 */
export async function checkWechatCredentials(a: WechatAccount): Promise<{ expiresInS: number }> {
  const fresh = await stableToken(a, false);
  tokens.set(cacheKey(a), fresh);
  return { expiresInS: fresh.lifetimeS };
}

/** The account's access_token: cached, or fetched once however many callers ask at the same time. */
export async function accessToken(a: WechatAccount, opts: { refused?: string } = {}): Promise<string> {
  const key = cacheKey(a);
  const hit = tokens.get(key);
  if (hit && hit.token !== opts.refused && Date.now() < hit.expiresAt) return hit.token;
  const flight = `${key}|${opts.refused ?? ''}`;
  let pending = fetching.get(flight);
  if (!pending) {
    pending = renewed(a, opts.refused).finally(() => fetching.delete(flight));
    fetching.set(flight, pending);
  }
  const fresh = await pending;
  if (tokens.size > 1000) tokens.clear();
  tokens.set(key, fresh);
  return fresh.token;
}
