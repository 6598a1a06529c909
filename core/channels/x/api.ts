/**
 * One HTTP exchange with X API v2, and what its answers mean. Every exchange goes through the outbound destination
 * policy.
 * - X answers errors as a problem object `{"title","detail","type","status"}` (v2), sometimes with
 *   `errors: [{message, code}]` (the v1.1 shape, e.g. 187 duplicate content, 89/32 bad token, 349/150 DM refused).
 *   Both are read; the text kept is X's (admins need it), cut short and without anything token-like.
 * - 429 carries `x-rate-limit-reset` (unix seconds): the call is repeated after it, a bounded number of times and only
 *   when the wait is short; 5xx is repeated with back-off. Past that the error is left to the activity's retries.
 * - The access token travels in the Authorization header only, never in a URL or an error.
 */
import { oauth1Header } from './oauth1';
import { outboundHttp } from '../../outbound/destination-policy';
import { ChannelSendError } from '../http-adapter';

export const X_API_BASE = 'https://api.x.com';

export interface XAccount {
  workspaceId: string;
  channel: string;
  /** The OAuth 2.0 user-context access token, or with `oauth1` the OAuth 1.0a Access Token. */
  accessToken: string;
  /** OAuth 1.0a: every request is signed with these and the Access Token (oauth1.ts). */
  oauth1?: { consumerKey: string; consumerSecret: string; tokenSecret: string };
  apiBaseUrl?: string;
}

/** v1.1 codes meaning the token is not (or no longer) valid. */
const TOKEN_CODES = new Set([32, 89, 215]);
/** v1.1 codes of a DM X will not deliver to this person. */
const DM_REFUSED_CODES = new Set([150, 151, 349, 476]);
export const DUPLICATE_CODE = 187;

export function safeXText(v: unknown): string {
  if (typeof v !== 'string') return '';
  return v.replace(/\b(AAAA[A-Za-z0-9%_-]{20,}|[A-Za-z0-9_-]{60,})/g, '[token]').slice(0, 300);
}

export class XApiError extends ChannelSendError {
  override name = 'XApiError';
  constructor(
    readonly operation: string,
    status: number,
    readonly title: string,
    readonly detail: string,
    readonly code: number | undefined,
    readonly type: string | undefined,
    /** When X says the call may be made again (x-rate-limit-reset), for a 429. */
    readonly resetAt?: Date,
  ) {
    super(`X ${operation}: ${status}${title ? ` ${title}` : ''}${code ? ` (code ${code})` : ''}${detail && detail !== title ? `: ${detail}` : ''}`, status);
  }

  get tokenInvalid(): boolean {
    return this.status === 401 || (this.code !== undefined && TOKEN_CODES.has(this.code));
  }

  get rateLimited(): boolean {
    return this.status === 429;
  }

  /** X's own failure or throttling: a later attempt may succeed. */
  get transient(): boolean {
    return this.status === 429 || this.status >= 500;
  }

  get duplicate(): boolean {
    return this.code === DUPLICATE_CODE || /duplicate content/i.test(this.detail);
  }

  /** A DM X refuses to deliver to this person (they do not accept DMs from the account, blocked it…). */
  get dmRefused(): boolean {
    return this.status === 403 && ((this.code !== undefined && DM_REFUSED_CODES.has(this.code)) || /message|dm/i.test(`${this.detail} ${this.type ?? ''}`));
  }

  /** What X said, for a step or a toast. */
  get said(): string {
    return this.detail || this.title;
  }
}

export interface XClientOptions {
  /** Back-off before repeating after a 5xx; its length also bounds the repeats after a 429. */
  retryBackoffMs: number[];
  /** The longest wait for x-rate-limit-reset honoured here; longer, the error goes back to the activity. */
  maxRateLimitWaitMs: number;
  timeoutMs: number;
}

export const xClientOptions: XClientOptions = { retryBackoffMs: [1000, 2000, 4000], maxRateLimitWaitMs: 30_000, timeoutMs: 10_000 };

export const baseOf = (a: Pick<XAccount, 'apiBaseUrl'>) => (a.apiBaseUrl ?? X_API_BASE).replace(/\/+$/, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorOf(operation: string, status: number, body: Record<string, unknown> | undefined, reset: string | undefined): XApiError {
  const first = Array.isArray(body?.errors) ? (body.errors[0] as Record<string, unknown> | undefined) : undefined;
  const code = typeof first?.code === 'number' ? first.code : undefined;
  const detail = safeXText(body?.detail) || safeXText(first?.message) || safeXText(first?.detail);
  const resetAt = reset && /^\d{1,12}$/.test(reset) ? new Date(Number(reset) * 1000) : undefined;
  return new XApiError(operation, status, safeXText(body?.title), detail, code, typeof body?.type === 'string' ? body.type.slice(0, 200) : undefined, resetAt);
}

export type XRequest = { method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: unknown };

/** Bearer for an OAuth 2.0 user token; an OAuth 1.0a signature (fresh nonce and time) for an Access Token and Secret. */
function authorization(a: XAccount, method: string, url: string): string {
  if (!a.oauth1) return `Bearer ${a.accessToken}`;
  return oauth1Header({ ...a.oauth1, token: a.accessToken }, method, url);
}

async function exchangeOnce(a: XAccount, operation: string, init: XRequest): Promise<Record<string, unknown>> {
  const query = init.query ? `?${new URLSearchParams(init.query)}` : '';
  const url = `${baseOf(a)}/${init.path.replace(/^\/+/, '')}${query}`;
  const res = await outboundHttp(url, {
    method: init.method,
    headers: { authorization: authorization(a, init.method, url), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    timeoutMs: xClientOptions.timeoutMs,
    maxBodyChars: 64_000,
    // X's problem object is read for its title, detail and code; nothing else of an error answer is kept.
    maxErrorBodyChars: 8_000,
    keepHeaders: ['x-rate-limit-reset'],
  });
  const body = parseJson(res.body);
  if (!res.ok) throw errorOf(operation, res.status, body, res.headers?.['x-rate-limit-reset']);
  if (!body) throw new ChannelSendError(`X ${operation}: the answer is not JSON`, res.status);
  // v2 answers a partial failure 200 with `errors` and no `data` (e.g. a user that does not exist).
  if (body.data === undefined && Array.isArray(body.errors)) throw errorOf(operation, 404, body, undefined);
  return body;
}

/** How long to wait before repeating, or undefined when this failure is not repeated here. */
function waitFor(err: unknown, n: number, now: number): number | undefined {
  if (!(err instanceof XApiError) || !err.transient || n >= xClientOptions.retryBackoffMs.length) return undefined;
  if (!err.rateLimited) return xClientOptions.retryBackoffMs[n];
  const wait = err.resetAt ? Math.max(0, err.resetAt.getTime() - now) + 250 : xClientOptions.retryBackoffMs[n];
  return wait <= xClientOptions.maxRateLimitWaitMs ? wait : undefined;
}

/** An X API call, repeated while X throttles (until x-rate-limit-reset) or fails on its side. */
export async function xCall(a: XAccount, operation: string, init: XRequest): Promise<Record<string, unknown>> {
  for (let n = 0; ; n++) {
    try {
      return await exchangeOnce(a, operation, init);
    } catch (err) {
      const wait = waitFor(err, n, Date.now());
      if (wait === undefined) throw err;
      await sleep(wait);
    }
  }
}
