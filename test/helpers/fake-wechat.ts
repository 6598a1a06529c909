/**
 * A fake WeChat Official Account API on 127.0.0.1 (random port), answering as api.weixin.qq.com does — HTTP 200
 * with `{errcode, errmsg}` on failure:
 * - POST /cgi-bin/stable_token {grant_type, appid, secret, force_refresh?} → {access_token, expires_in}, as the
 *   stable-token API documents it: the normal mode hands out the current token while it has more than five minutes
 *   left (expires_in is what remains), else a new one, the old staying valid to its end; force_refresh: true revokes
 *   the current token and issues another, at most 20 times a day (45009) and not within 30 s of the last one (the
 *   current token comes back). Errors: 43002 not POST, 44002 empty body, 47001 not JSON or a non-boolean
 *   force_refresh, 40002 bad grant_type, 40013 unknown AppID, 40125 wrong AppSecret. The legacy GET /cgi-bin/token
 *   is not served, so a client falling back to it shows up as a 404.
 * - `expireTokens()` makes every issued token expired (42001); `distrustCurrentToken()` makes the APIs refuse the
 *   current token (40001) while the normal mode still hands it out, the case only a forced refresh mends.
 * - POST /cgi-bin/message/custom/send, POST /cgi-bin/message/template/send (→ msgid), GET /cgi-bin/user/info, each
 *   checking the access_token (40001 unknown or revoked, 42001 expired) and the body;
 * - `failNext(n, errcode)` answers the next n API calls (not token requests) with that errcode (45009 rate limit,
 *   -1 busy…). Every request is recorded; the host:port is allow-listed while the fake runs.
 * Also the sender's side of WeChat's inbound deliveries, written from the documentation independently of the code
 * under test: signatures and safe-mode encryption.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { allowOutbound } from './outbound-allow';

export interface WechatRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
}

export interface FakeWechatUser {
  subscribe: 0 | 1;
  nickname?: string;
  headimgurl?: string;
  [field: string]: unknown;
}

export interface FakeWechat {
  url: string;
  appId: string;
  appSecret: string;
  requests: WechatRequest[];
  /** How many times /cgi-bin/stable_token was asked. */
  tokenCalls(): number;
  /** The bodies of the stable_token requests, in order (secrets included: the test reads them, nothing else). */
  tokenRequests(): any[];
  /** Customer-service messages accepted (bodies). */
  customMessages(): any[];
  /** Template messages accepted (bodies). */
  templateMessages(): any[];
  users: Record<string, FakeWechatUser>;
  expireTokens(): void;
  distrustCurrentToken(): void;
  failNext(n: number, errcode: number): void;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40125: 'invalid appsecret',
  42001: 'access_token expired',
  43002: 'require POST method',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  47001: 'data format error',
};

export async function startFakeWechat(opts: { appId?: string; appSecret?: string; expiresIn?: number } = {}): Promise<FakeWechat> {
  const appId = opts.appId ?? 'wx1234567890abcdef';
  const appSecret = opts.appSecret ?? 'fake-app-secret-0123456789abcdef';
  const requests: WechatRequest[] = [];
  const users: Record<string, FakeWechatUser> = {};
  const lifetimeS = opts.expiresIn ?? 7200;
  /** revoked: by a forced refresh; distrusted: refused by the APIs although the normal mode still hands it out. */
  const issued = new Map<string, { expiresAt: number; expired: boolean; revoked: boolean; distrusted: boolean }>();
  let current: string | undefined;
  const forced: number[] = [];
  const accepted: { custom: any[]; template: any[] } = { custom: [], template: [] };
  let failures = 0;
  let failErrcode = 45009;
  let seq = 0;

  const issue = () => {
    const token = `FAKE_ACCESS_TOKEN_${++seq}_${randomBytes(6).toString('hex')}`;
    issued.set(token, { expiresAt: Date.now() + lifetimeS * 1000, expired: false, revoked: false, distrusted: false });
    current = token;
    return token;
  };
  /** The normal mode's rule: the current token while more than five minutes of it remain. */
  const stillCurrent = (t: string | undefined): t is string => {
    const rec = t ? issued.get(t) : undefined;
    return !!rec && !rec.expired && !rec.revoked && rec.expiresAt - Date.now() > 300_000;
  };

  function stableToken(method: string | undefined, raw: string, body: unknown, json: (d: unknown) => void, error: (c: number) => void) {
    if (method !== 'POST') return error(43002);
    if (!raw.trim()) return error(44002);
    if (!body || typeof body !== 'object' || Array.isArray(body)) return error(47001);
    const b = body as Record<string, unknown>;
    if (b.force_refresh !== undefined && typeof b.force_refresh !== 'boolean') return error(47001);
    if (b.grant_type !== 'client_credential') return error(40002);
    if (b.appid !== appId) return error(40013);
    if (b.secret !== appSecret) return error(40125);
    let token = stillCurrent(current) ? current : undefined;
    if (b.force_refresh === true) {
      const today = forced.filter((t) => Date.now() - t < 86_400_000);
      if (today.length >= 20) return error(45009);
      // Within 30 s of the last forced refresh nothing is refreshed: the current token comes back.
      if (!token || !today.length || Date.now() - today[today.length - 1] >= 30_000) {
        forced.push(Date.now());
        if (current) issued.get(current)!.revoked = true;
        token = undefined;
      }
    }
    token ??= issue();
    return json({ access_token: token, expires_in: Math.ceil((issued.get(token)!.expiresAt - Date.now()) / 1000) });
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const query = Object.fromEntries(u.searchParams);
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      requests.push({ method: req.method ?? 'GET', path: u.pathname, query, body });
      const json = (data: unknown) => res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' }).end(JSON.stringify(data));
      const error = (errcode: number) => json({ errcode, errmsg: `${ERRMSG[errcode] ?? 'error'} rid: fake-${++seq}` });

      if (u.pathname === '/cgi-bin/stable_token') return stableToken(req.method, raw, body, json, error);
      const api = ['/cgi-bin/message/custom/send', '/cgi-bin/message/template/send', '/cgi-bin/user/info'];
      if (!api.includes(u.pathname)) return res.writeHead(404).end('not found');
      const token = issued.get(query.access_token ?? '');
      if (!token || token.revoked || token.distrusted) return error(40001);
      if (token.expired || Date.now() >= token.expiresAt) return error(42001);
      if (failures > 0) {
        failures--;
        return error(failErrcode);
      }
      const b = body as Record<string, any> | undefined;
      if (u.pathname === '/cgi-bin/user/info' && req.method === 'GET') {
        const user = users[query.openid ?? ''];
        if (!user) return error(40003);
        return json(user.subscribe ? { openid: query.openid, language: 'zh_CN', ...user } : { subscribe: 0, openid: query.openid });
      }
      if (req.method !== 'POST') return error(47001);
      if (!b || typeof b !== 'object') return error(44002);
      if (typeof b.touser !== 'string' || !b.touser) return error(40003);
      if (u.pathname === '/cgi-bin/message/custom/send') {
        if (b.msgtype !== 'text' || typeof b.text?.content !== 'string') return error(47001);
        accepted.custom.push(b);
        return json({ errcode: 0, errmsg: 'ok' });
      }
      if (typeof b.template_id !== 'string' || !b.data || typeof b.data !== 'object') return error(47001);
      accepted.template.push(b);
      return json({ errcode: 0, errmsg: 'ok', msgid: 200228332 + seq++ });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}`, appId, appSecret, requests, users,
    tokenCalls: () => requests.filter((r) => r.path === '/cgi-bin/stable_token').length,
    tokenRequests: () => requests.filter((r) => r.path === '/cgi-bin/stable_token').map((r) => r.body),
    customMessages: () => accepted.custom,
    templateMessages: () => accepted.template,
    expireTokens() {
      for (const t of issued.values()) t.expired = true;
    },
    distrustCurrentToken() {
      if (current) issued.get(current)!.distrusted = true;
    },
    failNext(n, errcode) {
      failures = n;
      failErrcode = errcode;
    },
    close: () => new Promise<void>((r) => {
      revoke();
      server.close(() => r());
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The platform's side of inbound deliveries, from WeChat's documentation (消息加解密说明).

/** sha1 of the dictionary-sorted parts, concatenated, as hex. */
export function wechatSign(...parts: string[]): string {
  return createHash('sha1').update(parts.slice().sort().join('')).digest('hex');
}

/** Encrypts `xml` for `appId` with an EncodingAESKey: AES-256-CBC, IV = key[0..16), PKCS#7 to 32-byte blocks. */
export function wechatEncrypt(xml: string, encodingAesKey: string, appId: string, random = randomBytes(16)): string {
  const key = Buffer.from(encodingAesKey + '=', 'base64');
  const msg = Buffer.from(xml);
  const length = Buffer.from([(msg.length >>> 24) & 0xff, (msg.length >>> 16) & 0xff, (msg.length >>> 8) & 0xff, msg.length & 0xff]);
  const plain = Buffer.concat([random, length, msg, Buffer.from(appId)]);
  const n = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(n, n)])), cipher.final()]).toString('base64');
}

/** A WeChat push as XML: every value in CDATA except numbers, as WeChat writes them. */
export function wechatXml(fields: Record<string, string | number>): string {
  const inner = Object.entries(fields).map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`)).join('\n');
  return `<xml>\n${inner}\n</xml>`;
}

export interface Delivery {
  query: Record<string, string>;
  body: string;
}

/** The query and body WeChat posts for `xml`: plaintext (signature) or safe mode (msg_signature over Encrypt). */
export function wechatDelivery(xml: string, o: { token: string; mode: 'plain' | 'safe'; encodingAesKey?: string; appId?: string; timestamp?: number; nonce?: string; toUserName?: string }): Delivery {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? String(Math.floor(Math.random() * 1e9));
  const query: Record<string, string> = { signature: wechatSign(o.token, timestamp, nonce), timestamp, nonce, openid: 'o-ignored' };
  if (o.mode === 'plain') return { query, body: xml };
  const encrypt = wechatEncrypt(xml, o.encodingAesKey!, o.appId!);
  return {
    query: { ...query, encrypt_type: 'aes', msg_signature: wechatSign(o.token, timestamp, nonce, encrypt) },
    body: `<xml>\n<ToUserName><![CDATA[${o.toUserName ?? 'gh_fake'}]]></ToUserName>\n<Encrypt><![CDATA[${encrypt}]]></Encrypt>\n</xml>`,
  };
}
