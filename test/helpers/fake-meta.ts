/**
 * A fake Meta Graph API (graph.facebook.com) on 127.0.0.1 (random port), strict the way Graph is, written from Meta's
 * documentation independently of the code under test:
 * - Every call needs `Authorization: Bearer <token>` (or `access_token=`) with a token the fake issued; an unknown
 *   token is code 190 (OAuthException), an expired one (`expireToken()`) 190 with subcode 463 — Graph's error shape
 *   `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`, HTTP 400/401.
 * - GET /{v}/me?fields=id,name (the Page), GET /{v}/{phone-number-id}?fields=display_phone_number,verified_name,
 *   GET /{v}/{psid|igsid}?fields=… (a person's profile; 100 for an unknown id).
 * - POST /{v}/me/messages (Send API): `RESPONSE` only within 24 h of the person's last message (its webhook made
 *   here), `MESSAGE_TAG` HUMAN_AGENT within 7 days; else code 10, subcode 2018278. Answers {recipient_id, message_id}.
 * - POST /{v}/me/messages with `recipient.comment_id` (a private reply): a comment the fake made, within 7 days of it
 *   (else 10 / 2018278), once per comment (else 10900, "Activity already replied to").
 * - POST /{v}/{comment-id}/replies (Instagram) and /{v}/{comment-id}/comments (Facebook): a public reply to a comment
 *   the fake made; 100 for an unknown one.
 * - POST /{v}/{phone-number-id}/messages (WhatsApp): text only within 24 h of the customer's last message, else
 *   131047; a template must exist in that language (132001) with as many body variables as it has (132000).
 * - The app has "Require App Secret" on: every call needs `appsecret_proof` = hex HMAC-SHA256 of its token keyed
 *   with the App Secret; missing or wrong is code 100 (GraphMethodException), as Graph answers.
 * - `rateLimitOnce(code)` answers the next call with a rate limit (4, 613, 130429…), once.
 * Webhooks are what Meta posts, signed X-Hub-Signature-256 with the App Secret; `deliver(…, {redeliver})` posts the
 * same bytes twice, as Meta does when no 200 came in time. The host:port is allow-listed while the fake runs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { allowOutbound } from './outbound-allow';

export interface MetaRequest { method: string; path: string; query: Record<string, string>; body: any; token?: string }

export interface FakeMeta {
  url: string;
  appSecret: string;
  pageId: string;
  igAccountId: string;
  phoneNumberId: string;
  wabaId: string;
  pageToken: string;
  whatsappToken: string;
  requests: MetaRequest[];
  /** Messages and comment replies the fake accepted. */
  sent: { path: string; body: any; id: string }[];
  templates: { name: string; language: string; variables: number }[];
  profiles: Record<string, Record<string, unknown>>;
  expireToken(token: string): void;
  /** The same token valid again (as if the admin had saved a fresh one; keeps later tests on one token). */
  reviveToken(token: string): void;
  rateLimitOnce(code: number): void;
  /** The person last wrote `ms` ago (the window the fake enforces). */
  lastInbound(userId: string, msAgo: number): void;
  messengerMessage(psid: string, text: string, o?: { platform?: 'messenger' | 'instagram' }): { payload: any; mid: string };
  instagramComment(igsid: string, text: string, o?: { username?: string; msAgo?: number }): { payload: any; commentId: string };
  whatsappMessage(waId: string, text: string, o?: { name?: string }): { payload: any; wamid: string };
  whatsappStatus(waId: string, wamid: string, status: 'sent' | 'delivered' | 'read' | 'failed'): any;
  messengerDelivery(psid: string, mids: string[]): any;
  sign(raw: string, secret?: string): string;
  /** Posts the payload as Meta does (the JSON bytes, signed); `redeliver`: the same bytes once more. */
  deliver(payload: any, send: (raw: string, signature: string) => Promise<{ statusCode: number; body: string }>, o?: { redeliver?: boolean }): Promise<{ statusCode: number; body: string }[]>;
  close(): Promise<void>;
}

const H = 3_600_000;

export async function startFakeMeta(opts: { appSecret?: string } = {}): Promise<FakeMeta> {
  const appSecret = opts.appSecret ?? randomBytes(16).toString('hex');
  const pageId = '104812345678901';
  const igAccountId = '17841400000000001';
  const phoneNumberId = '106540352242922';
  const wabaId = '102290129340398';
  const tokens = new Map<string, { expired: boolean; kind: 'page' | 'whatsapp' }>();
  const pageToken = `EAAG${randomBytes(24).toString('hex')}`;
  const whatsappToken = `EAAW${randomBytes(24).toString('hex')}`;
  tokens.set(pageToken, { expired: false, kind: 'page' });
  tokens.set(whatsappToken, { expired: false, kind: 'whatsapp' });
  const requests: MetaRequest[] = [];
  const sent: FakeMeta['sent'] = [];
  const templates = [{ name: 'order_update', language: 'en_US', variables: 2 }, { name: 'order_update', language: 'zh_CN', variables: 2 }, { name: 'welcome_back', language: 'en_US', variables: 0 }];
  const profiles: Record<string, Record<string, unknown>> = {};
  const inboundAt = new Map<string, number>();
  const commentAt = new Map<string, number>();
  const commentAuthor = new Map<string, string>();
  const privatelyAnswered = new Set<string>();
  const comments = new Set<string>();
  let rateLimit: number | undefined;
  let seq = 0;

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const query = Object.fromEntries(u.searchParams);
      let body: any;
      try { body = raw ? JSON.parse(raw) : undefined; } catch { body = raw; }
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? query.access_token;
      requests.push({ method: req.method ?? 'GET', path: u.pathname, query, body, token: auth });
      const ok = (data: unknown) => res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(data));
      const error = (status: number, code: number, message: string, o: { subcode?: number; type?: string } = {}) => res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...(code === 190 ? { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token"' } : {}) })
        .end(JSON.stringify({ error: { message, type: o.type ?? 'OAuthException', code, ...(o.subcode ? { error_subcode: o.subcode } : {}), fbtrace_id: `Fk${randomBytes(8).toString('base64url')}` } }));

      const m = /^\/(v\d+\.\d)\/(.+)$/.exec(u.pathname);
      if (!m) return error(400, 2500, 'Unknown path components: ' + u.pathname);
      const parts = m[2].split('/');
      if (!auth) return error(400, 2500, 'An active access token must be used to query information about the current user.');
      const tok = tokens.get(auth);
      if (!tok) return error(400, 190, 'Invalid OAuth access token - Cannot parse access token');
      if (tok.expired) return error(400, 190, 'Error validating access token: Session has expired on Friday, 01-Mar-24 10:00:00 PST.', { subcode: 463 });
      if (!query.appsecret_proof) return error(400, 100, 'API calls from the server require an appsecret_proof argument', { type: 'GraphMethodException' });
      if (query.appsecret_proof !== createHmac('sha256', appSecret).update(auth, 'utf8').digest('hex')) return error(400, 100, 'Invalid appsecret_proof provided in the API argument', { type: 'GraphMethodException' });
      if (rateLimit !== undefined) {
        const code = rateLimit;
        rateLimit = undefined;
        return error(code >= 130000 ? 400 : 400, code, code === 130429 ? '(#130429) Rate limit hit' : code === 613 ? '(#613) Calls to this api have exceeded the rate limit.' : '(#4) Application request limit reached');
      }
      const now = Date.now();

      if (req.method === 'GET') {
        if (parts[0] === 'me' && tok.kind === 'page') return ok({ id: pageId, name: 'Journeys Coffee' });
        if (parts[0] === phoneNumberId && tok.kind === 'whatsapp') return ok({ display_phone_number: '+1 555-078-3881', verified_name: 'Journeys Coffee', id: phoneNumberId });
        const p = profiles[parts[0]];
        if (!p || tok.kind !== 'page') return error(400, 100, `(#100) Unsupported get request. Object with ID '${parts[0]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { subcode: 33, type: 'GraphMethodException' });
        const fields = (query.fields ?? '').split(',');
        return ok({ id: parts[0], ...Object.fromEntries(Object.entries(p).filter(([k]) => fields.includes(k))) });
      }
      if (req.method !== 'POST' || !body || typeof body !== 'object') return error(400, 100, '(#100) Invalid parameter');

      if (parts[0] === 'me' && parts[1] === 'messages' && tok.kind === 'page' && body.recipient?.comment_id !== undefined) {
        const commentId = String(body.recipient.comment_id);
        const at = commentAt.get(commentId);
        if (at === undefined) return error(400, 100, `(#100) Unsupported post request. Object with ID '${commentId}' does not exist`, { subcode: 33, type: 'GraphMethodException' });
        if (typeof body.message?.text !== 'string' || !body.message.text) return error(400, 100, '(#100) The parameter message is required');
        if (now - at > 7 * 24 * H) return error(400, 10, '(#10) This message is sent outside of allowed window.', { subcode: 2018278 });
        if (privatelyAnswered.has(commentId)) return error(400, 10900, '(#10900) Activity already replied to');
        privatelyAnswered.add(commentId);
        const id = `m_${randomBytes(16).toString('base64url')}`;
        sent.push({ path: u.pathname, body, id });
        return ok({ recipient_id: commentAuthor.get(commentId), message_id: id });
      }
      if (parts[0] === 'me' && parts[1] === 'messages' && tok.kind === 'page') {
        const to = body.recipient?.id;
        if (typeof to !== 'string' || typeof body.message?.text !== 'string' || !body.message.text) return error(400, 100, '(#100) The parameter recipient is required');
        const since = now - (inboundAt.get(to) ?? -Infinity);
        const allowed = body.messaging_type === 'RESPONSE' ? since <= 24 * H : body.messaging_type === 'MESSAGE_TAG' && body.tag === 'HUMAN_AGENT' ? since <= 7 * 24 * H : false;
        if (!allowed) return error(400, 10, '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview', { subcode: 2018278 });
        const id = `m_${randomBytes(16).toString('base64url')}`;
        sent.push({ path: u.pathname, body, id });
        return ok({ recipient_id: to, message_id: id });
      }
      if ((parts[1] === 'replies' || parts[1] === 'comments') && parts.length === 2 && tok.kind === 'page') {
        if (!comments.has(parts[0])) return error(400, 100, `(#100) Unsupported post request. Object with ID '${parts[0]}' does not exist`, { subcode: 33, type: 'GraphMethodException' });
        if (typeof body.message !== 'string' || !body.message) return error(400, 100, '(#100) The parameter message is required');
        const id = `${now}${++seq}`;
        sent.push({ path: u.pathname, body, id });
        return ok({ id });
      }
      if (parts[0] === phoneNumberId && parts[1] === 'messages' && tok.kind === 'whatsapp') {
        if (body.messaging_product !== 'whatsapp' || typeof body.to !== 'string') return error(400, 100, '(#100) The parameter messaging_product is required.');
        if (body.type === 'text') {
          if (typeof body.text?.body !== 'string' || !body.text.body) return error(400, 100, '(#100) Param text[\'body\'] is required');
          if (now - (inboundAt.get(body.to) ?? -Infinity) > 24 * H) return error(400, 131047, '(#131047) Re-engagement message');
        } else if (body.type === 'template') {
          const t = templates.find((x) => x.name === body.template?.name && x.language === body.template?.language?.code);
          if (!t) return error(400, 132001, '(#132001) Template name does not exist in the translation');
          const params = (body.template.components ?? []).find((c: any) => c.type === 'body')?.parameters ?? [];
          if (params.length !== t.variables) return error(400, 132000, '(#132000) Number of parameters does not match the expected number of params');
        } else return error(400, 100, '(#100) Invalid parameter');
        const id = `wamid.${randomBytes(20).toString('base64url')}`;
        sent.push({ path: u.pathname, body, id });
        return ok({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] });
      }
      return error(400, 100, `(#100) Unsupported post request: ${u.pathname}`, { type: 'GraphMethodException' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  const sign = (raw: string, secret = appSecret) => `sha256=${createHmac('sha256', secret).update(raw, 'utf8').digest('hex')}`;

  const fake: FakeMeta = {
    url: `http://127.0.0.1:${port}`, appSecret, pageId, igAccountId, phoneNumberId, wabaId, pageToken, whatsappToken, requests, sent, templates, profiles,
    expireToken(token) {
      const t = tokens.get(token);
      if (t) t.expired = true;
    },
    reviveToken(token) {
      const t = tokens.get(token);
      if (t) t.expired = false;
    },
    rateLimitOnce(code) { rateLimit = code; },
    lastInbound(userId, msAgo) { inboundAt.set(userId, Date.now() - msAgo); },
    messengerMessage(psid, text, o = {}) {
      const platform = o.platform ?? 'messenger';
      const account = platform === 'instagram' ? igAccountId : pageId;
      const mid = `m_${randomBytes(18).toString('base64url')}`;
      inboundAt.set(psid, Date.now());
      return {
        mid,
        payload: { object: platform === 'instagram' ? 'instagram' : 'page', entry: [{ id: account, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: account }, timestamp: Date.now(), message: { mid, text } }] }] },
      };
    },
    instagramComment(igsid, text, o = {}) {
      const commentId = `1790${Date.now()}${++seq}`;
      const at = Date.now() - (o.msAgo ?? 0);
      comments.add(commentId);
      commentAt.set(commentId, at);
      commentAuthor.set(commentId, igsid);
      return {
        commentId,
        payload: { object: 'instagram', entry: [{ id: igAccountId, time: Math.floor(at / 1000), changes: [{ field: 'comments', value: { id: commentId, from: { id: igsid, username: o.username ?? 'coffee.lover' }, text, media: { id: '18172143295349192', media_product_type: 'FEED' } } }] }] },
      };
    },
    whatsappMessage(waId, text, o = {}) {
      const wamid = `wamid.${randomBytes(20).toString('base64url')}`;
      inboundAt.set(waId, Date.now());
      return {
        wamid,
        payload: {
          object: 'whatsapp_business_account',
          entry: [{ id: wabaId, changes: [{ field: 'messages', value: {
            messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
            contacts: [{ profile: { name: o.name ?? 'Ana' }, wa_id: waId }],
            messages: [{ from: waId, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
          } }] }],
        },
      };
    },
    whatsappStatus(waId, wamid, status) {
      return {
        object: 'whatsapp_business_account',
        entry: [{ id: wabaId, changes: [{ field: 'messages', value: {
          messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
          statuses: [{ id: wamid, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: waId, ...(status === 'failed' ? { errors: [{ code: 131026, title: 'Message undeliverable' }] } : {}) }],
        } }] }],
      };
    },
    messengerDelivery(psid, mids) {
      return { object: 'page', entry: [{ id: pageId, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: pageId }, timestamp: Date.now(), delivery: { mids, watermark: Date.now() } }] }] };
    },
    sign,
    async deliver(payload, send, o = {}) {
      const raw = JSON.stringify(payload);
      const answers = [await send(raw, sign(raw))];
      if (o.redeliver) answers.push(await send(raw, sign(raw)));
      return answers;
    },
    close: () => new Promise<void>((r) => {
      revoke();
      server.close(() => r());
    }),
  };
  return fake;
}
