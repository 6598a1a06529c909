/**
 * A fake Twilio REST API on 127.0.0.1 (random port), strict the way Twilio is, written from Twilio's documentation
 * independently of the code under test:
 * - Every call needs basic auth AccountSid:AuthToken of the fake's account: else 401 `{"code":20003,…}`; another
 *   account in the path is 404 (20404). Errors are `{"code","message","more_info","status"}`.
 * - POST /2010-04-01/Accounts/{sid}/Messages.json (form-encoded To, From or MessagingServiceSid, Body, StatusCallback):
 *   To must be E.164 (21211), an `unsubscribe()`d number is refused with 21610; answers 201 with the message's SID.
 * - GET /2010-04-01/Accounts/{sid}.json: the account.
 * - `rateLimitOnce()` answers the next call 429 with code 20429, once.
 * Webhooks are what Twilio posts: form-encoded, signed X-Twilio-Signature over the URL and sorted parameters with the
 * Auth Token. `status()` posts to the StatusCallback the send named; `incoming()` to the number's configured URL;
 * `{ redeliver }` posts the same request twice. The host:port is allow-listed while the fake runs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { allowOutbound } from './outbound-allow';

export interface TwilioMessage { sid: string; to: string; from?: string; messagingServiceSid?: string; body: string; statusCallback?: string }
export type TwilioPost = (url: string, raw: string, signature: string) => Promise<{ statusCode: number; body: string }>;

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  number: string;
  messages: TwilioMessage[];
  requests: { method: string; path: string; form: Record<string, string>; authorized: boolean }[];
  unsubscribe(number: string): void;
  rateLimitOnce(): void;
  sign(url: string, params: Record<string, string>, token?: string): string;
  status(sid: string, status: 'sent' | 'delivered' | 'undelivered' | 'failed', send: TwilioPost, o?: { errorCode?: number; redeliver?: boolean }): Promise<{ statusCode: number; body: string }[]>;
  incoming(from: string, body: string, hookUrl: string, send: TwilioPost, o?: { redeliver?: boolean }): Promise<{ sid: string; answers: { statusCode: number; body: string }[] }>;
  close(): Promise<void>;
}

const hex = (n: number) => randomBytes(n).toString('hex');

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = `AC${hex(16)}`;
  const authToken = hex(16);
  const number = '+15005550006';
  const messages: TwilioMessage[] = [];
  const requests: FakeTwilio['requests'] = [];
  const unsubscribed = new Set<string>();
  let rateLimit = false;

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const form = Object.fromEntries(new URLSearchParams(raw));
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      const authorized = req.headers.authorization === expected;
      requests.push({ method: req.method ?? 'GET', path: u.pathname, form, authorized });
      const answer = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      const error = (status: number, code: number, message: string) => answer(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
      if (!authorized) return error(401, 20003, 'Authenticate');
      const m = /^\/2010-04-01\/Accounts\/([^/.]+)(\/Messages)?\.json$/.exec(u.pathname);
      if (!m) return error(404, 20404, `The requested resource ${u.pathname} was not found`);
      if (m[1] !== accountSid) return error(404, 20404, `The requested resource ${u.pathname} was not found`);
      if (rateLimit) {
        rateLimit = false;
        return error(429, 20429, 'Too Many Requests');
      }
      if (!m[2] && req.method === 'GET') return answer(200, { sid: accountSid, friendly_name: 'Journeys Coffee', status: 'active', type: 'Full' });
      if (!m[2] || req.method !== 'POST') return error(405, 20004, 'Method not allowed');
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return error(400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
      if (!form.To) return error(400, 21604, "A 'To' phone number is required.");
      if (!form.From && !form.MessagingServiceSid) return error(400, 21603, "A 'From' phone number is required.");
      if (!form.Body) return error(400, 21602, 'Message body is required.');
      if (!/^\+[1-9]\d{7,14}$/.test(form.To)) return error(400, 21211, `Invalid 'To' Phone Number: ${form.To}`);
      if (unsubscribed.has(form.To)) return error(400, 21610, 'Attempt to send to unsubscribed recipient');
      const sid = `SM${hex(16)}`;
      messages.push({ sid, to: form.To, from: form.From, messagingServiceSid: form.MessagingServiceSid, body: form.Body, statusCallback: form.StatusCallback });
      return answer(201, { sid, account_sid: accountSid, to: form.To, from: form.From ?? null, body: form.Body, status: 'queued', num_segments: '1', uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  const sign = (url: string, params: Record<string, string>, token = authToken) =>
    createHmac('sha1', token).update(url + Object.keys(params).sort().map((k) => k + params[k]).join(''), 'utf8').digest('base64');
  async function post(url: string, params: Record<string, string>, send: TwilioPost, redeliver?: boolean) {
    const raw = new URLSearchParams(params).toString();
    const answers = [await send(url, raw, sign(url, params))];
    if (redeliver) answers.push(await send(url, raw, sign(url, params)));
    return answers;
  }

  return {
    url: `http://127.0.0.1:${port}`, accountSid, authToken, number, messages, requests,
    unsubscribe: (n) => unsubscribed.add(n),
    rateLimitOnce: () => { rateLimit = true; },
    sign,
    async status(sid, status, send, o = {}) {
      const m = messages.find((x) => x.sid === sid);
      if (!m?.statusCallback) throw new Error(`message ${sid} named no StatusCallback`);
      const params: Record<string, string> = {
        AccountSid: accountSid, ApiVersion: '2010-04-01', From: m.from ?? number, MessageSid: sid, MessageStatus: status, SmsSid: sid, SmsStatus: status, To: m.to,
        ...(o.errorCode ? { ErrorCode: String(o.errorCode) } : {}),
      };
      return post(m.statusCallback, params, send, o.redeliver);
    },
    async incoming(from, body, hookUrl, send, o = {}) {
      const sid = `SM${hex(16)}`;
      const params = { AccountSid: accountSid, ApiVersion: '2010-04-01', Body: body, From: from, FromCountry: 'US', MessageSid: sid, NumMedia: '0', NumSegments: '1', SmsMessageSid: sid, SmsSid: sid, SmsStatus: 'received', To: number };
      return { sid, answers: await post(hookUrl, params, send, o.redeliver) };
    },
    close: () => new Promise<void>((r) => {
      revoke();
      server.close(() => r());
    }),
  };
}
