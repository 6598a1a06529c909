/**
 * End-to-end journeys for filters and responses on the real stack (Temporal + FerretDB + worker), a fake social
 * platform on 127.0.0.1 and a real SMTP server process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { signWebhook } from '../../core/channels/inbound-signature';
import { call, mention, publishJourney } from '../helpers/api';
import { startFakePlatform, type FakePlatform } from '../helpers/fake-platform';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let platform: FakePlatform;
let smtp: SmtpTestServer;
const WEBHOOK_SECRET = 'weibo-webhook-secret-0123456789';

beforeAll(async () => {
  [platform, smtp] = await Promise.all([startFakePlatform(), startSmtpServer()]);
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
  const weibo = await call(stack.app, 'PUT', '/api/v1/channels/weibo', {
    settings: { kind: 'http', baseUrl: platform.url, replyPath: '/replies', dmPath: '/messages', profilePath: '/users/{handle}' },
    token: 'weibo-token-123', webhookSecret: WEBHOOK_SECRET,
  });
  expect(weibo.status).toBe(200);
  const email = await call(stack.app, 'PUT', '/api/v1/channels/email', { settings: { kind: 'smtp', host: '127.0.0.1', port: smtp.port, from: 'care@brand.test' } });
  expect(email.status).toBe(200);
});
afterAll(async () => {
  await stack?.close();
  await Promise.all([platform?.close(), smtp?.close()]);
});

const ev = (type: string, channel: string, handle: string, extra: Record<string, unknown> = {}) => ({
  id: `e-${Math.random().toString(36).slice(2)}`, type, channel, handle, occurredAt: new Date().toISOString(), ...extra,
});

async function finished(contactId: string, n = 1) {
  return eventually(async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    const done = r.body.enrollments.filter((e: { status: string }) => e.status !== 'active');
    return done.length >= n ? r.body.enrollments : undefined;
  });
}

describe('negative mention rescue (filters: sentiment; responses: reply, ticket)', () => {
  it('a Chinese negative mention gets an apology and a ticket, a positive one a thank-you', async () => {
    await publishJourney(stack.app, {
      name: '负面提及挽回',
      nodes: [
        { id: 'mention', type: 'trigger.social-mention', version: 1, config: { channels: ['weibo'] } },
        { id: 'negative', type: 'filter.sentiment', version: 1, config: { label: 'negative' } },
        { id: 'positive', type: 'filter.sentiment', version: 1, config: { label: 'positive' } },
        { id: 'apology', type: 'response.reply', version: 1, config: { mode: 'reply', message: '非常抱歉给您带来不便，我们已安排专人处理。' } },
        { id: 'ticket', type: 'response.ticket', version: 1, config: { title: '微博投诉 {{event.handle}}', assignee: 'care-team', priority: 'high', slaMinutes: 30 } },
        { id: 'thanks', type: 'response.reply', version: 1, config: { mode: 'reply', message: '谢谢支持！❤️' } },
      ],
      edges: [
        { from: 'mention', port: 'next', to: 'negative' },
        { from: 'negative', port: 'yes', to: 'apology' },
        { from: 'apology', port: 'sent', to: 'ticket' },
        { from: 'negative', port: 'no', to: 'positive' },
        { from: 'positive', port: 'yes', to: 'thanks' },
      ],
      settings: { reentry: 'always' },
    });

    const angryText = '刚买的耳机用了两天就坏了，客服也不理人，太失望了😡';
    const angry = await call(stack.app, 'POST', '/api/v1/events', mention('@angry_user', angryText, { threadId: 'wb-post-1' }));
    const happy = await call(stack.app, 'POST', '/api/v1/events', mention('@happy_user', '新耳机音质太棒了，强烈推荐！', { threadId: 'wb-post-2' }));
    expect(angry.body.enrolled).toHaveLength(1);
    expect(happy.body.enrolled).toHaveLength(1);

    const [angryRun] = await finished(angry.body.contactId);
    const [happyRun] = await finished(happy.body.contactId);
    expect(angryRun.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual(['mention:next', 'negative:yes', 'apology:sent', 'ticket:created']);
    expect(happyRun.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual(['mention:next', 'negative:no', 'positive:yes', 'thanks:sent']);

    // The platform received exactly one reply each, on the right post, with the stored token and an idempotency key.
    const replies = platform.sent('reply');
    const toAngry = replies.filter((r) => r.body.to === '@angry_user');
    const toHappy = replies.filter((r) => r.body.to === '@happy_user');
    expect(toAngry).toHaveLength(1);
    expect(toAngry[0].body).toMatchObject({ inReplyTo: 'wb-post-1', text: '非常抱歉给您带来不便，我们已安排专人处理。' });
    expect(toAngry[0].headers.authorization).toBe('Bearer weibo-token-123');
    expect(toAngry[0].headers['idempotency-key']).toBeTruthy();
    expect(toHappy).toHaveLength(1);
    expect(toHappy[0].body.text).toBe('谢谢支持！❤️');

    const tickets = (await call(stack.app, 'GET', `/api/v1/tickets?contactId=${angry.body.contactId}`)).body.tickets;
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ assignee: 'care-team', priority: 'high', status: 'open', slaMinutes: 30, title: '微博投诉 @angry_user' });
    expect((await call(stack.app, 'GET', `/api/v1/tickets?contactId=${happy.body.contactId}`)).body.tickets).toHaveLength(0);

    // The stored interaction keeps the analysis exactly as POST /analyze answers it.
    const analysis = (await call(stack.app, 'POST', '/api/v1/analyze', { text: angryText })).body;
    expect(analysis).toMatchObject({ language: 'zh', sentiment: { label: 'negative' } });
    const timeline = (await call(stack.app, 'GET', `/api/v1/contacts/${angry.body.contactId}/timeline`)).body.items;
    const stored = timeline.find((i: { type: string }) => i.type === 'social.mention');
    expect(stored.analysis).toEqual(analysis);
  });

  it('accepts a mention through the HMAC-signed platform webhook and rejects a bad signature with 401', async () => {
    const body = JSON.stringify({ id: `wh-${Date.now()}`, type: 'social.comment', handle: '@hooked', text: 'love it', threadId: 'wb-post-9' });
    const bad = await stack.app.inject({ method: 'POST', url: '/api/v1/channels/weibo/webhook', payload: body, headers: { 'content-type': 'application/json', 'x-journeys-signature': signWebhook('wrong-secret', body) } });
    expect(bad.statusCode).toBe(401);
    const none = await stack.app.inject({ method: 'POST', url: '/api/v1/channels/weibo/webhook', payload: body, headers: { 'content-type': 'application/json' } });
    expect(none.statusCode).toBe(401);
    const ok = await stack.app.inject({ method: 'POST', url: '/api/v1/channels/weibo/webhook', payload: body, headers: { 'content-type': 'application/json', 'x-journeys-signature': signWebhook(WEBHOOK_SECRET, body) } });
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).enrolled).toHaveLength(1);
    // Secrets never come back from the API.
    const list = await call(stack.app, 'GET', '/api/v1/channels');
    expect(JSON.stringify(list.body)).not.toContain('weibo-token-123');
    expect(JSON.stringify(list.body)).not.toContain(WEBHOOK_SECRET);
    const stored = await stack.store.db.collection('credentials').find({}).toArray();
    expect(JSON.stringify(stored)).not.toContain('weibo-token-123');
  });

  it('answers 400 naming the field for bad analyze and channel input', async () => {
    const a = await call(stack.app, 'POST', '/api/v1/analyze', {});
    expect(a.status).toBe(400);
    expect(a.body.message).toContain('body/text');
    const b = await call(stack.app, 'POST', '/api/v1/analyze', { text: 42 });
    expect(b.status).toBe(400);
    const c = await call(stack.app, 'PUT', '/api/v1/channels/x', { settings: { kind: 'http' } });
    expect(c.status).toBe(400);
    expect(c.body.message).toContain('baseUrl');
  });
});

describe('email drip over real SMTP (responses: email; flow: wait for open)', () => {
  it('sends email 1, waits, sends email 2 only to contacts who did not open, and nothing to an unsubscribed contact', async () => {
    await publishJourney(stack.app, {
      name: 'Welcome drip',
      nodes: [
        { id: 'signup', type: 'trigger.form-submitted', version: 1, config: { formIds: ['newsletter'] } },
        { id: 'email1', type: 'response.email', version: 1, config: { subject: '欢迎, {{contact.profile.name | "friend"}}!', html: '<h1>Welcome {{event.data.name}}</h1><p>Your first tips.</p>', campaign: 'welcome-1' } },
        { id: 'opened', type: 'flow.wait-for-event', version: 1, config: { eventTypes: ['email.opened'], timeout: { amount: 4, unit: 'seconds' } } },
        { id: 'email2', type: 'response.email', version: 1, config: { subject: 'Did you miss this?', html: '<p>Reminder for {{event.data.name}}</p>', campaign: 'welcome-2' } },
      ],
      edges: [
        { from: 'signup', port: 'next', to: 'email1' },
        { from: 'email1', port: 'sent', to: 'opened' },
        { from: 'opened', port: 'timed_out', to: 'email2' },
      ],
      settings: { reentry: 'always' },
    });
    const form = (address: string, name: string) => ev('form.submitted', 'email', address, { data: { formId: 'newsletter', name } });

    // The unsubscribed contact exists first and opts out of email.
    const pre = await call(stack.app, 'POST', '/api/v1/events', ev('web.visit', 'email', 'gone@example.com'));
    const optOut = await call(stack.app, 'PUT', `/api/v1/contacts/${pre.body.contactId}/consent/email`, { status: 'opted_out', source: 'unsubscribe link' });
    expect(optOut.status).toBe(200);

    const opener = await call(stack.app, 'POST', '/api/v1/events', form('opener@example.com', '<script>alert(1)</script>'));
    const silent = await call(stack.app, 'POST', '/api/v1/events', form('silent@example.com', 'Silent Bob'));
    const gone = await call(stack.app, 'POST', '/api/v1/events', form('gone@example.com', 'Gone'));
    expect([opener, silent, gone].map((r) => r.body.enrolled.length)).toEqual([1, 1, 1]);

    await eventually(async () => smtp.to('opener@example.com').length >= 1 && smtp.to('silent@example.com').length >= 1);
    // The open happens once the run waits for it (only events after reaching the wait count).
    await eventually(async () => {
      const r = await call(stack.app, 'GET', `/api/v1/contacts/${opener.body.contactId}/journeys`);
      return r.body.enrollments[0]?.steps.some((st: { nodeId: string; outcome: string }) => st.nodeId === 'opened' && st.outcome === 'waiting');
    }, { intervalMs: 50 });
    await call(stack.app, 'POST', '/api/v1/events', ev('email.opened', 'email', 'opener@example.com'));

    await finished(opener.body.contactId);
    await finished(silent.body.contactId);
    const [goneRun] = await finished(gone.body.contactId);

    const first = smtp.to('opener@example.com')[0];
    expect(first.subject).toBe('欢迎, friend!');
    expect(first.headers['x-journeys-campaign']).toBe('welcome-1');
    expect(first.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(first.html).not.toContain('<script>');

    expect(smtp.to('opener@example.com').map((m) => m.headers['x-journeys-campaign'])).toEqual(['welcome-1']);
    expect(smtp.to('silent@example.com').map((m) => m.headers['x-journeys-campaign'])).toEqual(['welcome-1', 'welcome-2']);
    expect(smtp.to('gone@example.com')).toHaveLength(0);
    expect(goneRun.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual(['signup:next', 'email1:skipped']);
    expect(await stack.store.outbox.countDocuments({ contactId: gone.body.contactId, status: 'skipped', 'result.reason': 'no_consent' })).toBe(1);
  });
});
