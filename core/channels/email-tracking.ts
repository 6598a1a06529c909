/**
 * Email engagement links: an open pixel, click-tracking links and a one-click unsubscribe (RFC 8058), each a URL
 * under the API's public address carrying a signed token. The token names the workspace, the contact, the outbox
 * key of the email (and, for a click, the destination), and is signed with a key derived from JOURNEYS_SECRET_KEY:
 * a forged or altered link verifies as nothing, so it records nothing and redirects nowhere (no open redirect).
 * Rewriting is a pure function of the email and its outbox key, so a retried send sends the same links.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { secretKey } from '../store/credentials';

export interface TrackingToken {
  /** Workspace, contact, the email's outbox key. */
  w: string;
  c: string;
  k: string;
  /** Journey and node that sent it, when a journey did. */
  j?: string;
  n?: string;
  /** A click's destination. */
  u?: string;
}

export interface EmailTracking {
  /** Where recipients reach the API, e.g. https://crm.example.com (JOURNEYS_PUBLIC_URL). */
  publicUrl: string;
  /** The signing key (derived from JOURNEYS_SECRET_KEY when not given). */
  key?: Buffer;
}

const SIG_BYTES = 16;
export const TRACKING_PATHS = { open: '/t/o/', click: '/t/c/', unsubscribe: '/t/u/' } as const;

let derived: { from: Buffer; key: Buffer } | undefined;
/** A key of its own for tracking links, so a leaked link key reveals nothing about the credentials key. */
export function trackingKey(base = secretKey()): Buffer {
  if (derived?.from.equals(base)) return derived.key;
  const key = createHmac('sha256', base).update('journeys email tracking links v1').digest();
  derived = { from: base, key };
  return key;
}

const sign = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest().subarray(0, SIG_BYTES);

export function signToken(t: TrackingToken, key = trackingKey()): string {
  const body = Buffer.from(JSON.stringify(t)).toString('base64url');
  return `${body}.${sign(key, body).toString('base64url')}`;
}

/** The token's content when its signature is ours; undefined for anything else (forged, altered, malformed). */
export function readToken(token: string, key = trackingKey()): TrackingToken | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 4000) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = sign(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const t = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TrackingToken;
    const str = (v: unknown) => typeof v === 'string' && v.length > 0;
    if (!str(t.w) || !str(t.c) || !str(t.k) || (t.u !== undefined && !/^https?:\/\//i.test(String(t.u)))) return undefined;
    return t;
  } catch {
    return undefined;
  }
}

/** A click's own id: one `email.clicked` per link of an email, however often it is clicked. */
export const linkId = (url: string) => createHash('sha256').update(url).digest('hex').slice(0, 16);

const decodeAttr = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/**
 * The email's HTML with every http(s) link going through the click URL and the open pixel at the end of the body,
 * and the List-Unsubscribe headers (RFC 2369 + RFC 8058 one-click) for mail clients' own unsubscribe button.
 */
export function trackEmail(html: string | undefined, t: Omit<TrackingToken, 'u'>, o: EmailTracking): { html?: string; headers: Record<string, string>; unsubscribeUrl: string } {
  const base = o.publicUrl.replace(/\/+$/, '');
  const url = (path: string, token: TrackingToken) => `${base}${path}${signToken(token, o.key)}`;
  const unsubscribeUrl = url(TRACKING_PATHS.unsubscribe, t);
  const headers = { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  if (html === undefined) return { headers, unsubscribeUrl };
  const linked = html.replace(/(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi, (_m, pre: string, q: string, href: string) => {
    const target = decodeAttr(href);
    // Our own links (the unsubscribe page) are not tracked again.
    if (target.startsWith(`${base}/t/`)) return `${pre}${q}${href}${q}`;
    return `${pre}${q}${url(TRACKING_PATHS.click, { ...t, u: target })}${q}`;
  });
  const pixel = `<img src="${url(TRACKING_PATHS.open, t)}" width="1" height="1" alt="" style="display:none;border:0">`;
  const tracked = /<\/body>/i.test(linked) ? linked.replace(/<\/body>/i, `${pixel}</body>`) : `${linked}${pixel}`;
  return { html: tracked, headers, unsubscribeUrl };
}
