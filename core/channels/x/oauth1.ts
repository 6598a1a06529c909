/**
 * OAuth 1.0a request signing (RFC 5849, HMAC-SHA1), as X documents it for user-context calls ("Authorizing a
 * request", "Creating a signature"). An account connected this way keeps working: its Access Token and Secret do not
 * expire, where an OAuth 2.0 user token lasts two hours. Signed: the method, the URL without its query, and every
 * query and form parameter with the oauth_* ones; a JSON body is not part of the signature.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/** RFC 3986 percent-encoding, as OAuth 1.0a requires (unreserved characters only are left as they are). */
export function percentEncode(v: string): string {
  return encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function signatureBaseString(method: string, baseUrl: string, params: [string, string][]): string {
  const normalized = params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return [method.toUpperCase(), percentEncode(baseUrl), percentEncode(normalized)].join('&');
}

export function oauth1Signature(c: Pick<OAuth1Credentials, 'consumerSecret' | 'tokenSecret'>, base: string): string {
  return createHmac('sha1', `${percentEncode(c.consumerSecret)}&${percentEncode(c.tokenSecret)}`).update(base, 'utf8').digest('base64');
}

/**
 * The Authorization header of one request. `url` may carry a query (its parameters are signed); `form` holds the
 * parameters of an application/x-www-form-urlencoded body, if any.
 */
export function oauth1Header(c: OAuth1Credentials, method: string, url: string, form: Record<string, string> = {}, o: { nonce?: string; timestamp?: number } = {}): string {
  const u = new URL(url);
  const oauth: Record<string, string> = {
    oauth_consumer_key: c.consumerKey,
    oauth_nonce: o.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_token: c.token,
    oauth_version: '1.0',
  };
  const params: [string, string][] = [...u.searchParams.entries(), ...Object.entries(form), ...Object.entries(oauth)];
  const base = signatureBaseString(method, `${u.protocol}//${u.host}${u.pathname}`, params);
  oauth.oauth_signature = oauth1Signature(c, base);
  return `OAuth ${Object.entries(oauth).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ')}`;
}
