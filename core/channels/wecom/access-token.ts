/**
 * The corp's access_token for the customer-contact Secret (获取access_token,
 * https://developer.work.weixin.qq.com/document/path/91039): GET /cgi-bin/gettoken?corpid=…&corpsecret=….
 * - WeCom hands back the same token while it is valid (重复获取返回相同结果) and a new one once it expired, so the API
 *   process, every worker and other systems on the same Secret do not revoke each other's tokens.
 * - Cached per workspace, channel, CorpID, Secret and base URL (a new Secret takes a new token) until `expires_in`
 *   minus a margin; concurrent callers share one request.
 * - When an API refuses the token (40014 invalid, 41001 missing, 42001 expired), the client asks gettoken once more
 *   (`refused`) and repeats its call once.
 * The Secret is in the query string, as WeCom requires: the URL is never logged (the log redaction drops query
 * strings) and no error message carries it.
 */
import { createHash } from 'node:crypto';
import { ChannelSendError } from '../http-adapter';
import { baseOf, BUSY_ERRCODES, errcodeOf, exchange, wecomClientOptions, WecomApiError, whileBusy, type WecomAccount } from './api';

interface CachedToken {
  token: string;
  expiresAt: number;
  /** The lifetime WeCom gave the token, in seconds. */
  lifetimeS: number;
}

const tokens = new Map<string, CachedToken>();
/** Requests in flight, by account and by the token they replace: a burst of refusals makes one request. */
const fetching = new Map<string, Promise<CachedToken>>();

function cacheKey(a: WecomAccount): string {
  const secret = createHash('sha256').update(a.secret).digest('hex').slice(0, 16);
  return [a.workspaceId, a.channel, a.corpId, secret, baseOf(a)].join('|');
}

/** Forgets every cached token (tests; a rotated Secret needs nothing: it keys the cache). */
export function clearWecomTokens(): void {
  tokens.clear();
}

async function getToken(a: WecomAccount): Promise<CachedToken> {
  const query = new URLSearchParams({ corpid: a.corpId, corpsecret: a.secret });
  const body = await whileBusy(() => exchange(`${baseOf(a)}/cgi-bin/gettoken?${query}`, 'access_token', { method: 'GET' }));
  const code = errcodeOf(body);
  // Any errcode here is about the CorpID, the Secret or the calling IP: another token request cannot fix it.
  if (code !== 0) throw new WecomApiError(code, 'access_token', !BUSY_ERRCODES.has(code));
  if (typeof body.access_token !== 'string' || !body.access_token) throw new ChannelSendError('WeCom access_token: the answer has no access_token', 200);
  const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 7200) * 1000;
  return { token: body.access_token, expiresAt: Date.now() + lifetimeMs - Math.min(wecomClientOptions.tokenMarginMs, lifetimeMs / 2), lifetimeS: lifetimeMs / 1000 };
}

/**
 * "Test connection": one gettoken with the stored CorpID and Secret (the cache would prove nothing). Its lifetime in
 * seconds; failures throw as every call does (WecomApiError with the errcode, ChannelSendError, network errors).
 */
export async function checkWecomCredentials(a: WecomAccount): Promise<{ expiresInS: number }> {
  const fresh = await getToken(a);
  tokens.set(cacheKey(a), fresh);
  return { expiresInS: fresh.lifetimeS };
}

/** The access_token: cached, or fetched once however many callers ask at the same time; `refused` is never returned. */
export async function wecomAccessToken(a: WecomAccount, opts: { refused?: string } = {}): Promise<string> {
  const key = cacheKey(a);
  const hit = tokens.get(key);
  if (hit && hit.token !== opts.refused && Date.now() < hit.expiresAt) return hit.token;
  const flight = `${key}|${opts.refused ?? ''}`;
  let pending = fetching.get(flight);
  if (!pending) {
    pending = getToken(a).finally(() => fetching.delete(flight));
    fetching.set(flight, pending);
  }
  const fresh = await pending;
  if (tokens.size > 1000) tokens.clear();
  tokens.set(key, fresh);
  return fresh.token;
}
