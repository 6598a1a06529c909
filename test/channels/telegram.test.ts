/**
 * Telegram bots end to end on the real stack (Temporal + FerretDB + worker) and a strict fake Bot API on 127.0.0.1
 * (test/helpers/fake-telegram.ts): a private message starting a journey whose reply reaches the same chat, quoting
 * the message; a group mention answered in the group; a redelivered update ingested once; a missing or wrong
 * secret_token refused with nothing stored; a blocked bot taking the blocked port; 401 a clear error; a 429 waited
 * out as retry_after says; Test connection (getMe).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { telegramSend } from '../../core/channels/telegram/adapter';
import { findContactByIdentity } from '../../core/store/contacts';
import { call, publishJourney } from '../helpers/api';
import { startFakeTelegram, type FakeTelegram, type TelegramPost } from '../helpers/fake-telegram';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let tg: FakeTelegram;
let seq = 0;
const newUser = (first_name = 'Ana') => ({ id: 500_000_000 + (Date.now() % 1_000_000) * 10 + (seq++ % 10), first_name, username: `${first_name.toLowerCase()}_${seq}` });
let replyJourney: string;
let mentionJourney: string;
let nudgeJourney: string;

beforeAll(async () => {
  tg = await startFakeTelegram();
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
  const put = await call(stack.app, 'PUT', '/api/v1/channels/telegram', { settings: { kind: 'telegram', botUsername: tg.username, apiBaseUrl: tg.url }, token: tg.token, webhookSecret: tg.secret });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  replyJourney = await publishJourney(stack.app, {
    name: 'Telegram DM reply',
    nodes: [
      { id: 'dm', type: 'trigger.event', version: 1, config: { eventTypes: ['social.dm'], channels: ['telegram'] } },
      { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Hi {{event.data.firstName | "there"}}, you said: {{event.text}}' } },
    ],
    edges: [{ from: 'dm', port: 'next', to: 'reply' }],
    settings: { reentry: 'always' },
  });
  mentionJourney = await publishJourney(stack.app, {
    name: 'Telegram group mention',
    nodes: [
      { id: 'mention', type: 'trigger.social-mention', version: 1, config: { channels: ['telegram'] } },
      { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks for the mention!' } },
    ],
    edges: [{ from: 'mention', port: 'next', to: 'reply' }],
    settings: { reentry: 'always' },
  });
  nudgeJourney = await publishJourney(stack.app, {
    name: 'Telegram nudge',
    nodes: [
      { id: 'nudge', type: 'trigger.event', version: 1, config: { eventTypes: ['cart.abandoned'], channels: ['telegram'] } },
      { id: 'dm', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'You left something in your cart' } },
      { id: 'blocked', type: 'response.update-contact', version: 1, config: { addTags: ['tg-blocked'] } },
    ],
    edges: [{ from: 'nudge', port: 'next', to: 'dm' }, { from: 'dm', port: 'blocked', to: 'blocked' }],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await stack?.close();
  await tg?.close();
});

const send: TelegramPost = (raw, secret) => stack.app.inject({
  method: 'POST', url: `/api/v1/hooks/${stack.workspaceId}/telegram`, payload: raw,
  headers: { authorization: '', 'content-type': 'application/json', ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
}).then((r) => ({ statusCode: r.statusCode, body: r.body }));
async function deliver(update: any, o: { redeliver?: boolean } = {}) {
  for (const a of await tg.deliver(update, send, o)) expect(a, a.body).toEqual({ statusCode: 200, body: 'ok' });
}
const eventsOf = (handle: string) => stack.store.interactions.find({ workspaceId: stack.workspaceId, kind: 'event', handle }).toArray();
const contactOf = (handle: string) => eventually(() => findContactByIdentity(stack.store, stack.workspaceId, { channel: 'telegram', handle }));
type Run = { id: string; journeyId: string; status: string; steps: any[] };
const finishedRun = (contactId: string, journeyId: string) => eventually(async () => {
  const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
  return (r.body.enrollments as Run[]).find((e) => e.status !== 'active' && e.journeyId === journeyId);
});

describe('Telegram', () => {
  it('Test connection calls getMe; the token and secret are never returned', async () => {
    const test = await call(stack.app, 'POST', '/api/v1/channels/telegram/test');
    expect(test.body).toMatchObject({ ok: true, details: { kind: 'telegram', account: `@${tg.username} (Journeys)` } });
    const list = JSON.stringify((await call(stack.app, 'GET', '/api/v1/channels')).body);
    expect(list).not.toContain(tg.token);
    expect(list).not.toContain(tg.secret);
    const short = await call(stack.app, 'PUT', '/api/v1/channels/tg-check', { settings: { kind: 'telegram' }, token: tg.token, webhookSecret: 'has spaces in it!!' });
    expect(short.body.fields[0].field).toBe('body/webhookSecret');
    await call(stack.app, 'PUT', '/api/v1/channels/tg-check', { settings: { kind: 'telegram', apiBaseUrl: tg.url }, token: '123:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', webhookSecret: tg.secret });
    const wrong = await call(stack.app, 'POST', '/api/v1/channels/tg-check/test', {}, { 'accept-language': 'zh-CN' });
    expect(wrong.body).toMatchObject({ ok: false, status: 401, details: { errcode: 401 } });
    expect(wrong.body.message).toContain('机器人令牌无效');
  });

  it('a private message starts a journey whose reply lands in the same chat, quoting it; a redelivery is ingested once', async () => {
    const u = newUser('Mia');
    const update = tg.dm(u, 'Are you open today?');
    await deliver(update, { redeliver: true });
    const contact = await contactOf(String(u.id));
    const run = await finishedRun(contact._id, replyJourney);
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'reply')).toMatchObject({ port: 'sent' });
    expect(tg.sent.filter((m) => m.chat_id === String(u.id))).toEqual([{ chat_id: String(u.id), text: 'Hi Mia, you said: Are you open today?', reply_to_message_id: update.message.message_id, message_id: expect.any(Number) }]);
    const events = await eventsOf(String(u.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'social.dm', data: { firstName: 'Mia', username: u.username, updateId: update.update_id } });
    const profile = await call(stack.app, 'GET', `/api/v1/contacts/${contact._id}`);
    expect(profile.status).toBe(200);
  });

  it('a group mention is answered in the group, on the message', async () => {
    const u = newUser('Leo');
    const update = tg.groupMention(-1001234567890, u, 'do you ship abroad?');
    await deliver(update);
    const contact = await contactOf(String(u.id));
    await finishedRun(contact._id, mentionJourney);
    expect(tg.sent.filter((m) => m.chat_id === '-1001234567890').at(-1)).toMatchObject({ text: 'Thanks for the mention!', reply_to_message_id: update.message.message_id });
  });

  it('a missing or wrong secret token is 401 and nothing is stored', async () => {
    const u = newUser();
    const update = tg.dm(u, 'hello');
    const [missing] = await tg.deliver(update, send, { secret: undefined });
    expect(missing.statusCode).toBe(401);
    expect(JSON.parse(missing.body).message).toContain('x-telegram-bot-api-secret-token is missing');
    const [wrong] = await tg.deliver(update, send, { secret: 'not-the-secret-token' });
    expect(wrong.statusCode).toBe(401);
    expect(await eventsOf(String(u.id))).toEqual([]);
    expect(await findContactByIdentity(stack.store, stack.workspaceId, { channel: 'telegram', handle: String(u.id) })).toBeNull();
  });

  it('an update replayed after Telegram stops keeping it (24 hours) is 401 and stores nothing; a late one inside is taken', async () => {
    const u = newUser();
    const update = tg.dm(u, 'two days ago');
    update.message.date = Math.floor(Date.now() / 1000) - 2 * 86_400;
    const [replay] = await tg.deliver(update, send);
    expect(replay.statusCode, replay.body).toBe(401);
    expect(JSON.parse(replay.body).message).toMatch(/2 days old, past the 24 hours Telegram redelivers for/);
    expect(await eventsOf(String(u.id))).toEqual([]);
    expect(await findContactByIdentity(stack.store, stack.workspaceId, { channel: 'telegram', handle: String(u.id) })).toBeNull();
    const v = newUser();
    const late = tg.dm(v, 'twenty hours ago');
    late.message.date = Math.floor(Date.now() / 1000) - 20 * 3600;
    await deliver(late);
    expect(await eventually(async () => (await eventsOf(String(v.id))).length || undefined)).toBe(1);
  });

  it('a bot the user blocked takes the blocked port with the reason; 401 is a clear error; a 429 is waited out', async () => {
    const u = newUser();
    tg.block(String(u.id));
    await call(stack.app, 'POST', '/api/v1/events', { id: `cart-${u.id}`, type: 'cart.abandoned', channel: 'telegram', handle: String(u.id), occurredAt: new Date().toISOString() });
    const contact = await contactOf(String(u.id));
    const run = await finishedRun(contact._id, nudgeJourney);
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'dm')).toMatchObject({ port: 'blocked', output: { reason: 'bot_blocked', message: expect.stringContaining('屏蔽') } });
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'blocked', port: 'next' });

    const cfg = { store: stack.store, workspaceId: stack.workspaceId, channel: 'telegram', settings: { kind: 'telegram' as const, apiBaseUrl: tg.url } };
    const calls = tg.requests.length;
    const unauthorized = await telegramSend({ ...cfg, token: '42:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' }, { channel: 'telegram', to: '1', kind: 'dm', text: 'x' }, `${stack.workspaceId}|tg-401`).catch((e: Error) => e);
    expect(unauthorized).toMatchObject({ name: 'NodeError', code: 'telegram_unauthorized' });
    expect(tg.requests.length).toBe(calls + 1);

    tg.rateLimitOnce(1);
    const started = Date.now();
    const ok = await telegramSend({ ...cfg, token: tg.token }, { channel: 'telegram', to: '777', kind: 'dm', text: 'after the limit' }, `${stack.workspaceId}|tg-429`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(ok.providerId).toMatch(/^777:\d+$/);
    expect(tg.requests.slice(calls + 1).map((r) => r.method)).toEqual(['sendMessage', 'sendMessage']);
  });
});
