/**
 * A fake X API v2 (api.x.com) on 127.0.0.1 (random port), strict the way X is, written from X's documentation
 * independently of the code under test:
 * - Every call needs `Authorization: Bearer <token>` with a token the fake issued; an unknown or expired one is 401
 *   with X's problem object `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`.
 *   Or OAuth 1.0a (`Authorization: OAuth …`): the app's consumer key and the account's access token, HMAC-SHA1 over
 *   the method, the URL without query and the sorted, RFC 3986-encoded query and oauth_* parameters, keyed with the
 *   Consumer Secret and the Access Token Secret; a timestamp more than 5 minutes off or a nonce used before is 401.
 * - GET /2/users/me, GET /2/users/:id?user.fields=… (`{"data":{…}}`; an unknown id: 200 with `errors`, as X does).
 * - POST /2/tweets `{text, reply:{in_reply_to_tweet_id}}`: the post replied to must be one the fake delivered; more
 *   than 280 characters (code points, URLs as 23) is 400; the same text twice is 403 duplicate content (code 187).
 * - POST /2/dm_conversations/with/:participant_id/messages `{text}` → `{data:{dm_conversation_id, dm_event_id}}`;
 *   `refuseDmTo(id)` answers 403 as X does for a person who does not accept the account's DMs.
 * - `rateLimitOnce()` answers the next call 429 with `x-rate-limit-reset` a second ahead, once.
 * Webhooks are what X posts (Account Activity v1.1 payloads), signed `x-twitter-webhooks-signature` with the
 * Consumer Secret; `deliver(…, {redeliver})` posts the same bytes twice; `crc(get)` performs X's CRC against our
 * endpoint and says whether the answer is right. The host:port is allow-listed while the fake runs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { allowOutbound } from './outbound-allow';

export interface XRequest { method: string; path: string; query: Record<string, string>; body: any; token?: string }
type Sender = (raw: string, signature: string) => Promise<{ statusCode: number; body: string }>;

export interface FakeX {
  url: string;
  consumerSecret: string;
  accountId: string;
  token: string;
  /** OAuth 1.0a: the app's API Key, and the account's Access Token and Secret (which never expire). */
  consumerKey: string;
  oauth1Token: string;
  oauth1TokenSecret: string;
  requests: XRequest[];
  /** Posts and DMs the fake accepted. */
  sent: { path: string; body: any; id: string }[];
  users: Record<string, { name: string; username: string; followers: number; verified: boolean }>;
  expireToken(): void;
  reviveToken(): void;
  rateLimitOnce(): void;
  refuseDmTo(userId: string): void;
  /** A post by `userId` mentioning the account; `reply`: a reply to one of the account's posts. */
  mention(userId: string, text: string, o?: { reply?: boolean }): { payload: any; tweetId: string };
  dm(userId: string, text: string): { payload: any; dmId: string };
  /** A DM the account itself sent (X delivers those too). */
  ownDm(toUserId: string, text: string): any;
  sign(raw: string, secret?: string): string;
  deliver(payload: any, send: Sender, o?: { redeliver?: boolean }): Promise<{ statusCode: number; body: string }[]>;
  /** X's CRC: a GET with a fresh crc_token; true when the response_token is right. */
  crc(get: (crcToken: string) => Promise<{ statusCode: number; body: string }>): Promise<{ ok: boolean; statusCode: number; body: string }>;
  close(): Promise<void>;
}

const URL_RE = /https?:\/\/[^\s]+/g;
const weighted = (t: string) => [...t.replace(URL_RE, '')].length + (t.match(URL_RE) ?? []).length * 23;

export async function startFakeX(): Promise<FakeX> {
  const consumerSecret = randomBytes(25).toString('hex').slice(0, 50);
  const accountId = '1450000000000000001';
  const token = `xoat_${randomBytes(24).toString('base64url')}`;
  const consumerKey = randomBytes(16).toString('hex').slice(0, 25);
  const oauth1Token = `1450000000000000001-${randomBytes(20).toString('hex').slice(0, 30)}`;
  const oauth1TokenSecret = randomBytes(30).toString('hex').slice(0, 45);
  const nonces = new Set<string>();
  // RFC 3986 encoding and the signature as X's "Creating a signature" describes them (not the code under test's).
  const enc = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const oauth1Valid = (header: string, method: string, url: URL): boolean => {
    const fields: Record<string, string> = {};
    for (const m of header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g)) fields[m[1]] = decodeURIComponent(m[2]);
    if (fields.oauth_consumer_key !== consumerKey || fields.oauth_token !== oauth1Token) return false;
    if (fields.oauth_signature_method !== 'HMAC-SHA1' || fields.oauth_version !== '1.0' || !fields.oauth_nonce || !fields.oauth_signature) return false;
    if (Math.abs(Date.now() / 1000 - Number(fields.oauth_timestamp)) > 300 || nonces.has(fields.oauth_nonce)) return false;
    const params = [...url.searchParams.entries(), ...Object.entries(fields).filter(([k]) => k !== 'oauth_signature')]
      .map(([k, v]) => [enc(k), enc(v)]).sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
    const base = `${method}&${enc(`${url.protocol}//${url.host}${url.pathname}`)}&${enc(params)}`;
    const expected = createHmac('sha1', `${enc(consumerSecret)}&${enc(oauth1TokenSecret)}`).update(base).digest('base64');
    if (expected !== fields.oauth_signature) return false;
    nonces.add(fields.oauth_nonce);
    return true;
  };
  let expired = false;
  let rateLimit = false;
  const refusedDm = new Set<string>();
  const requests: XRequest[] = [];
  const sent: FakeX['sent'] = [];
  const users: FakeX['users'] = { [accountId]: { name: 'Journeys Coffee', username: 'journeyscoffee', followers: 5120, verified: true } };
  const knownTweets = new Set<string>();
  const texts = new Set<string>();
  let seq = BigInt(Date.now()) * 1_000_000n;
  const nextId = () => String(++seq);

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const query = Object.fromEntries(u.searchParams);
      let body: any;
      try { body = raw ? JSON.parse(raw) : undefined; } catch { body = raw; }
      const header = req.headers.authorization ?? '';
      const auth = header.startsWith('OAuth ') ? (oauth1Valid(header, req.method ?? 'GET', u) ? oauth1Token : 'invalid-oauth1') : /^Bearer (.+)$/.exec(header)?.[1];
      requests.push({ method: req.method ?? 'GET', path: u.pathname, query, body, token: auth });
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(data));
      const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => send(status, { title, type: 'about:blank', status, detail, ...extra }, headers);

      if (!auth || (auth !== token && auth !== oauth1Token) || (auth === token && expired)) return problem(401, 'Unauthorized', 'Unauthorized');
      if (rateLimit) {
        rateLimit = false;
        return problem(429, 'Too Many Requests', 'Too Many Requests', {}, { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 1) });
      }
      const parts = u.pathname.split('/').filter(Boolean);
      if (parts[0] !== '2') return problem(404, 'Not Found Error', `Could not find ${u.pathname}`);
      const userView = (id: string) => {
        const p = users[id];
        const fields = (query['user.fields'] ?? '').split(',');
        return {
          id, name: p.name, username: p.username,
          ...(fields.includes('public_metrics') ? { public_metrics: { followers_count: p.followers, following_count: 10, tweet_count: 100, listed_count: 1 } } : {}),
          ...(fields.includes('verified') ? { verified: p.verified } : {}),
          ...(fields.includes('profile_image_url') ? { profile_image_url: `https://pbs.twimg.com/profile_images/${id}/normal.jpg` } : {}),
        };
      };
      if (req.method === 'GET' && parts[1] === 'users' && parts.length === 3) {
        const id = parts[2] === 'me' ? accountId : parts[2];
        if (!users[id]) return send(200, { errors: [{ value: id, detail: `Could not find user with id: [${id}].`, title: 'Not Found Error', resource_type: 'user', parameter: 'id', resource_id: id, type: 'https://api.twitter.com/2/problems/resource-not-found' }] });
        return send(200, { data: userView(id) });
      }
      if (req.method !== 'POST' || !body || typeof body !== 'object') return problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.');
      const text = body.text;
      if (parts[1] === 'tweets' && parts.length === 2) {
        if (typeof text !== 'string' || !text) return problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.', { errors: [{ message: 'text is required' }] });
        if (weighted(text) > 280) return problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.', { errors: [{ message: 'Your Tweet text is too long.' }] });
        const to = body.reply?.in_reply_to_tweet_id;
        if (to !== undefined && !knownTweets.has(to)) return problem(403, 'Forbidden', 'You attempted to reply to a Tweet that is deleted or not visible to you.');
        if (texts.has(text)) return problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.', { errors: [{ code: 187, message: 'Status is a duplicate.' }] });
        texts.add(text);
        const id = nextId();
        sent.push({ path: u.pathname, body, id });
        return send(201, { data: { id, text, edit_history_tweet_ids: [id] } });
      }
      if (parts[1] === 'dm_conversations' && parts[2] === 'with' && parts[4] === 'messages' && parts.length === 5) {
        const to = parts[3];
        if (typeof text !== 'string' || !text) return problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.');
        if (refusedDm.has(to)) return problem(403, 'Forbidden', 'You are not permitted to send a message to this user.', { type: 'https://api.twitter.com/2/problems/dm-not-permitted' });
        const id = nextId();
        const conversation = BigInt(to) < BigInt(accountId) ? `${to}-${accountId}` : `${accountId}-${to}`;
        sent.push({ path: u.pathname, body, id });
        return send(201, { data: { dm_conversation_id: conversation, dm_event_id: id } });
      }
      return problem(404, 'Not Found Error', `Could not find ${u.pathname}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  const sign = (raw: string, secret = consumerSecret) => `sha256=${createHmac('sha256', secret).update(raw).digest('base64')}`;
  const userObject = (id: string) => {
    const p = users[id] ?? (users[id] = { name: `User ${id.slice(-4)}`, username: `user${id.slice(-6)}`, followers: 42, verified: false });
    return { id: Number(id), id_str: id, name: p.name, screen_name: p.username, followers_count: p.followers, verified: p.verified, profile_image_url_https: `https://pbs.twimg.com/profile_images/${id}/normal.jpg` };
  };
  const account = userObject(accountId);

  const fake: FakeX = {
    url: `http://127.0.0.1:${port}`, consumerSecret, accountId, token, consumerKey, oauth1Token, oauth1TokenSecret, requests, sent, users,
    expireToken() { expired = true; },
    reviveToken() { expired = false; },
    rateLimitOnce() { rateLimit = true; },
    refuseDmTo(userId) { refusedDm.add(userId); },
    mention(userId, text, o = {}) {
      const tweetId = nextId();
      knownTweets.add(tweetId);
      const accountTweet = nextId();
      knownTweets.add(accountTweet);
      const author = userObject(userId);
      const tweet = {
        created_at: new Date().toUTCString(), id: Number(tweetId), id_str: tweetId, text: o.reply ? text : `@${account.screen_name} ${text}`,
        in_reply_to_status_id: o.reply ? Number(accountTweet) : null, in_reply_to_status_id_str: o.reply ? accountTweet : null,
        in_reply_to_user_id: o.reply ? Number(accountId) : null, in_reply_to_user_id_str: o.reply ? accountId : null, in_reply_to_screen_name: o.reply ? account.screen_name : null,
        user: author, entities: { user_mentions: [{ screen_name: account.screen_name, id_str: accountId, indices: [0, account.screen_name.length + 1] }] },
        timestamp_ms: String(Date.now()),
      };
      return { tweetId, payload: { for_user_id: accountId, user_has_blocked: false, tweet_create_events: [tweet] } };
    },
    dm(userId, text) {
      const dmId = nextId();
      return {
        dmId,
        payload: {
          for_user_id: accountId,
          direct_message_events: [{ type: 'message_create', id: dmId, created_timestamp: String(Date.now()), message_create: { target: { recipient_id: accountId }, sender_id: userId, message_data: { text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } } }],
          users: { [userId]: userObject(userId), [accountId]: account },
        },
      };
    },
    ownDm(toUserId, text) {
      return {
        for_user_id: accountId,
        direct_message_events: [{ type: 'message_create', id: nextId(), created_timestamp: String(Date.now()), message_create: { target: { recipient_id: toUserId }, sender_id: accountId, message_data: { text } } }],
        users: { [toUserId]: userObject(toUserId), [accountId]: account },
      };
    },
    sign,
    async deliver(payload, send, o = {}) {
      const raw = JSON.stringify(payload);
      const answers = [await send(raw, sign(raw))];
      if (o.redeliver) answers.push(await send(raw, sign(raw)));
      return answers;
    },
    async crc(get) {
      const crcToken = randomBytes(24).toString('base64url');
      const answer = await get(crcToken);
      const expected = `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}`;
      let ok = false;
      try { ok = answer.statusCode === 200 && JSON.parse(answer.body).response_token === expected; } catch { ok = false; }
      return { ok, ...answer };
    },
    close: () => new Promise<void>((r) => {
      revoke();
      server.close(() => r());
    }),
  };
  return fake;
}
