/**
 * A fake Telegram Bot API on 127.0.0.1 (random port), strict as the Bot API documents
 * (https://core.telegram.org/bots/api): POST /bot<token>/<method> with a token the fake issued, else 401
 * `{"ok":false,"error_code":401,"description":"Unauthorized"}`; sendMessage needs chat_id and text, and a chat whose
 * user `block()`ed the bot is 403 "Forbidden: bot was blocked by the user"; `rateLimitOnce()` answers 429 with
 * parameters.retry_after once; getMe, getChat. Updates are what Telegram posts to the webhook, with the secret_token
 * in X-Telegram-Bot-Api-Secret-Token; `{ redeliver }` posts the same update twice. Allow-listed while it runs.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { allowOutbound } from './outbound-allow';

export type TelegramPost = (raw: string, secret: string | undefined) => Promise<{ statusCode: number; body: string }>;

export interface FakeTelegram {
  url: string;
  token: string;
  secret: string;
  username: string;
  sent: { chat_id: string; text: string; reply_to_message_id?: number; message_id: number }[];
  requests: { method: string; token: string; body: any }[];
  block(chatId: string): void;
  rateLimitOnce(retryAfterS?: number): void;
  dm(user: { id: number; first_name: string; username?: string }, text: string): any;
  groupMention(chatId: number, user: { id: number; first_name: string; username?: string }, text: string): any;
  deliver(update: any, send: TelegramPost, o?: { redeliver?: boolean; secret?: string }): Promise<{ statusCode: number; body: string }[]>;
  close(): Promise<void>;
}

export async function startFakeTelegram(): Promise<FakeTelegram> {
  const token = `${100000 + Math.floor(Math.random() * 900000)}:${randomBytes(18).toString('base64url')}`;
  const secret = randomBytes(16).toString('hex');
  const username = 'JourneysTestBot';
  const blocked = new Set<string>();
  const sent: FakeTelegram['sent'] = [];
  const requests: FakeTelegram['requests'] = [];
  let retryAfter: number | undefined;
  let updateId = Math.floor(Date.now() / 1000);
  let messageId = 1000;

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://fake').pathname);
      let body: any = {};
      try { body = raw ? JSON.parse(raw) : {}; } catch { body = undefined; }
      requests.push({ method: m?.[2] ?? '', token: m?.[1] ?? '', body });
      const answer = (status: number, v: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      const fail = (code: number, description: string, parameters?: unknown) => answer(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
      if (!m) return fail(404, 'Not Found');
      if (m[1] !== token) return fail(401, 'Unauthorized');
      if (!body) return fail(400, 'Bad Request: can\'t parse JSON');
      if (retryAfter !== undefined) {
        const s = retryAfter;
        retryAfter = undefined;
        return fail(429, `Too Many Requests: retry after ${s}`, { retry_after: s });
      }
      if (m[2] === 'getMe') return answer(200, { ok: true, result: { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Journeys', username } });
      if (m[2] === 'getChat') return answer(200, { ok: true, result: { id: Number(body.chat_id), type: 'private', first_name: 'Chat', username: 'chat_user' } });
      if (m[2] === 'sendMessage') {
        if (body.chat_id === undefined || body.chat_id === '') return fail(400, 'Bad Request: chat_id is empty');
        if (typeof body.text !== 'string' || !body.text) return fail(400, 'Bad Request: message text is empty');
        if (blocked.has(String(body.chat_id))) return fail(403, 'Forbidden: bot was blocked by the user');
        const id = ++messageId;
        sent.push({ chat_id: String(body.chat_id), text: body.text, ...(body.reply_to_message_id ? { reply_to_message_id: body.reply_to_message_id } : {}), message_id: id });
        return answer(200, { ok: true, result: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id) }, text: body.text } });
      }
      return fail(404, 'Not Found: method not found');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  const user = (u: { id: number; first_name: string; username?: string }) => ({ id: u.id, is_bot: false, first_name: u.first_name, ...(u.username ? { username: u.username } : {}) });
  return {
    url: `http://127.0.0.1:${port}`, token, secret, username, sent, requests,
    block: (chatId) => blocked.add(chatId),
    rateLimitOnce: (s = 1) => { retryAfter = s; },
    dm: (u, text) => ({ update_id: ++updateId, message: { message_id: ++messageId, from: user(u), chat: { id: u.id, type: 'private', first_name: u.first_name }, date: Math.floor(Date.now() / 1000), text } }),
    groupMention: (chatId, u, text) => {
      const at = `@${username}`;
      const full = `${at} ${text}`;
      return { update_id: ++updateId, message: { message_id: ++messageId, from: user(u), chat: { id: chatId, type: 'supergroup', title: 'Coffee fans' }, date: Math.floor(Date.now() / 1000), text: full, entities: [{ type: 'mention', offset: 0, length: at.length }] } };
    },
    async deliver(update, send, o = {}) {
      const raw = JSON.stringify(update);
      const s = 'secret' in o ? o.secret : secret;
      const answers = [await send(raw, s)];
      if (o.redeliver) answers.push(await send(raw, s));
      return answers;
    },
    close: () => new Promise<void>((r) => {
      revoke();
      server.close(() => r());
    }),
  };
}
