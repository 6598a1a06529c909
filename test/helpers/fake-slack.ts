/**
 * A fake Slack Web API on 127.0.0.1 (random port), strict as Slack documents (https://api.slack.com/web): POST
 * /<method> with `Authorization: Bearer <bot token>`; a wrong token is HTTP 200 `{"ok":false,"error":"invalid_auth"}`,
 * an unknown channel `channel_not_found`; `rateLimitOnce()` answers 429 with Retry-After once. chat.postMessage,
 * auth.test. Allow-listed while it runs.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { allowOutbound } from './outbound-allow';

export interface FakeSlack {
  url: string;
  token: string;
  channelId: string;
  posted: { channel: string; text: string; ts: string }[];
  requests: { method: string; body: any; authorized: boolean }[];
  rateLimitOnce(retryAfterS?: number): void;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const token = `xoxb-${Date.now()}-${randomBytes(12).toString('hex')}`;
  const channelId = 'C0CARE1234';
  const channels = new Set([channelId, 'C0OPS56789']);
  const posted: FakeSlack['posted'] = [];
  const requests: FakeSlack['requests'] = [];
  let retryAfter: number | undefined;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const method = new URL(req.url ?? '/', 'http://fake').pathname.slice(1);
      let body: any = {};
      try { body = raw ? JSON.parse(raw) : {}; } catch { body = {}; }
      const authorized = req.headers.authorization === `Bearer ${token}`;
      requests.push({ method, body, authorized });
      const answer = (v: unknown) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(v));
      if (retryAfter !== undefined) {
        const s = retryAfter;
        retryAfter = undefined;
        return res.writeHead(429, { 'retry-after': String(s), 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      }
      if (!req.headers.authorization) return answer({ ok: false, error: 'not_authed' });
      if (!authorized) return answer({ ok: false, error: 'invalid_auth' });
      if (method === 'auth.test') return answer({ ok: true, url: 'https://journeys.slack.com/', team: 'Journeys', user: 'alerts-bot', team_id: 'T0001', user_id: 'U0001' });
      if (method === 'chat.postMessage') {
        if (!channels.has(body.channel)) return answer({ ok: false, error: 'channel_not_found' });
        if (typeof body.text !== 'string' || !body.text) return answer({ ok: false, error: 'no_text' });
        const ts = `${Math.floor(Date.now() / 1000)}.${String(posted.length).padStart(6, '0')}`;
        posted.push({ channel: body.channel, text: body.text, ts });
        return answer({ ok: true, channel: body.channel, ts, message: { text: body.text } });
      }
      return answer({ ok: false, error: 'unknown_method' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}`, token, channelId, posted, requests,
    rateLimitOnce: (s = 1) => { retryAfter = s; },
    close: () => new Promise<void>((r) => {
      revoke();
      server.close(() => r());
    }),
  };
}
