/**
 * SMS through a Twilio-compatible gateway, end to end on the real stack (Temporal + FerretDB + worker) and a strict
 * fake Twilio on 127.0.0.1 (test/helpers/fake-twilio.ts) whose webhooks are signed X-Twilio-Signature as Twilio does:
 * an incoming SMS starting a journey whose reply reaches the same number (with a StatusCallback to our public hook
 * URL); the status callback becoming message.delivered linked to the send by its SID; forged, missing and
 * wrong-URL signatures refused with nothing stored; a redelivery ingested once; STOP and START as consent; 21610 as
 * the blocked port and an opt-out; 21211 a clear error; a rate limit repeated; the reply node's `sms` fallback going
 * out through the gateway when the primary channel refuses; connecting and testing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { smsSend } from '../../core/channels/sms/adapter';
import { twilioClientOptions } from '../../core/channels/sms/client';
import { findContactByIdentity } from '../../core/store/contacts';
import type { SmsChannelSettings } from '../../core/store/channel-configs';
import { SendBlockedError } from '../../nodes/contract';
import { call, publishJourney } from '../helpers/api';
import { startFakeTwilio, type FakeTwilio, type TwilioPost } from '../helpers/fake-twilio';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let ft: FakeTwilio;
let seq = 0;
const phone = () => `+1415${String(Date.now() % 1_000_000).padStart(6, '0')}${seq++ % 10}`;
let hookUrl: string;
let replyJourney: string;
let nudgeJourney: string;
let fallbackJourney: string;

/** A primary channel whose platform refuses every DM (a closed window), so the reply node falls back. */
const refusing: ChannelAdapter = {
  channels: ['chat'],
  async send() {
    throw new SendBlockedError('outside_24h_window', 'not sent: outside the window (窗口已关闭)');
  },
};

beforeAll(async () => {
  ft = await startFakeTwilio();
  twilioClientOptions.rateLimitBackoffMs = [50, 50, 50];
  const adapters: ChannelAdapter[] = [refusing];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store, { publicUrl: stack.rt.publicUrl }));
  await stack.startWorker();
  hookUrl = `${stack.rt.publicUrl}/api/v1/hooks/${stack.workspaceId}/sms`;
  const put = await call(stack.app, 'PUT', '/api/v1/channels/sms', { settings: { kind: 'sms', accountSid: ft.accountSid, from: ft.number, apiBaseUrl: ft.url }, token: ft.authToken });
  expect(put.status, JSON.stringify(put.body)).toBe(200);

  replyJourney = await publishJourney(stack.app, {
    name: 'SMS reply',
    nodes: [
      { id: 'dm', type: 'trigger.event', version: 1, config: { eventTypes: ['social.dm'], channels: ['sms'] } },
      { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks, we got: {{event.text}}' } },
    ],
    edges: [{ from: 'dm', port: 'next', to: 'reply' }],
    settings: { reentry: 'always' },
  });
  nudgeJourney = await publishJourney(stack.app, {
    name: 'SMS nudge',
    nodes: [
      { id: 'nudge', type: 'trigger.event', version: 1, config: { eventTypes: ['cart.abandoned'], channels: ['sms'] } },
      { id: 'dm', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'You left something in your cart' } },
      { id: 'blocked', type: 'response.update-contact', version: 1, config: { addTags: ['sms-blocked'] } },
    ],
    edges: [{ from: 'nudge', port: 'next', to: 'dm' }, { from: 'dm', port: 'blocked', to: 'blocked' }],
    settings: { reentry: 'always' },
  });
  fallbackJourney = await publishJourney(stack.app, {
    name: 'Chat notice, SMS when chat refuses',
    nodes: [
      { id: 'shipped', type: 'trigger.event', version: 1, config: { eventTypes: ['order.shipped'], channels: ['chat'] } },
      { id: 'notify', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Your order {{event.data.orderId}} shipped', fallback: { mode: 'sms' } } },
    ],
    edges: [{ from: 'shipped', port: 'next', to: 'notify' }],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await stack?.close();
  await ft?.close();
});

// What Twilio sends: no credentials, the signature in a header, a form in the body, to the URL it was given.
const send: TwilioPost = (url, raw, signature) => {
  const u = new URL(url);
  return stack.app.inject({
    method: 'POST', url: `${u.pathname}${u.search}`, payload: raw,
    headers: { authorization: '', 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
  }).then((r) => ({ statusCode: r.statusCode, body: r.body }));
};
const eventsOf = (handle: string) => stack.store.interactions.find({ workspaceId: stack.workspaceId, kind: 'event', handle }).toArray();
const contactOf = (handle: string) => eventually(() => findContactByIdentity(stack.store, stack.workspaceId, { channel: 'sms', handle }));
type Run = { id: string; journeyId: string; status: string; steps: any[] };
async function finishedRun(contactId: string, journeyId: string, after = 0): Promise<Run> {
  return eventually(async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    return (r.body.enrollments as Run[]).filter((e) => e.status !== 'active' && e.journeyId === journeyId)[after];
  });
}
/** Twilio signs no time: the same delivery again (a replay, or a retry of one already ingested) is 401. */
function expectOnce(answers: { statusCode: number; body: string }[]) {
  expect(answers[0].statusCode, answers[0].body).toBe(200);
  for (const a of answers.slice(1)) {
    expect(a.statusCode, a.body).toBe(401);
    expect(JSON.parse(a.body).message).toContain('a replayed delivery is refused');
  }
}
async function incoming(from: string, body: string, o: { redeliver?: boolean } = {}) {
  const r = await ft.incoming(from, body, hookUrl, send, o);
  expectOnce(r.answers);
  return r;
}

describe('connecting an SMS channel', () => {
  it('needs the Auth Token and a sender, never returns the token, and Test connection GETs the account', async () => {
    const settings = { kind: 'sms', accountSid: ft.accountSid, from: ft.number, apiBaseUrl: ft.url };
    const noToken = await call(stack.app, 'PUT', '/api/v1/channels/sms-check', { settings });
    expect(noToken.body.fields.map((f: { field: string }) => f.field)).toEqual(['body/token']);
    const noSender = await call(stack.app, 'PUT', '/api/v1/channels/sms-check', { settings: { ...settings, from: undefined }, token: ft.authToken });
    expect(noSender.status).toBe(400);
    expect((await call(stack.app, 'PUT', '/api/v1/channels/sms-check', { settings: { ...settings, accountSid: 'AC123' }, token: 'x' })).body.fields[0].field).toBe('body/settings/accountSid');
    const ok = await call(stack.app, 'PUT', '/api/v1/channels/sms-check', { settings, token: ft.authToken });
    expect(ok.body).toEqual({ channel: 'sms-check', settings, hasToken: true, hasWebhookSecret: false });
    expect(JSON.stringify((await call(stack.app, 'GET', '/api/v1/channels')).body)).not.toContain(ft.authToken);
    expect(JSON.stringify(await stack.store.db.collection('credentials').find({}).toArray())).not.toContain(ft.authToken);

    const test = await call(stack.app, 'POST', '/api/v1/channels/sms/test');
    expect(test.body).toMatchObject({ ok: true, status: 200, details: { kind: 'sms', account: 'Journeys Coffee (active)' } });
    expect(ft.requests.at(-1)).toMatchObject({ method: 'GET', path: `/2010-04-01/Accounts/${ft.accountSid}.json`, authorized: true });
    await call(stack.app, 'PUT', '/api/v1/channels/sms-check', { settings, token: 'wrong-token' });
    const wrong = await call(stack.app, 'POST', '/api/v1/channels/sms-check/test', {}, { 'accept-language': 'zh-CN' });
    expect(wrong.body).toMatchObject({ ok: false, status: 401, details: { kind: 'sms', errcode: 20003 } });
    expect(wrong.body.message).toContain('认证失败');
  });
});

describe('incoming SMS and status callbacks', () => {
  it('an SMS starts a journey whose reply goes to the same number, naming our hook as StatusCallback; the same delivery again is refused and ingested once', async () => {
    const from = phone();
    const { sid } = await incoming(from, 'Do you deliver?', { redeliver: true });
    const contact = await contactOf(from);
    const run = await finishedRun(contact._id, replyJourney);
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'reply')).toMatchObject({ port: 'sent', output: { providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/) } });
    const sent = ft.messages.filter((m) => m.to === from);
    expect(sent).toEqual([{ sid: expect.any(String), to: from, from: ft.number, body: 'Thanks, we got: Do you deliver?', statusCallback: hookUrl }]);
    expect((await eventsOf(from)).filter((e) => e.type === 'social.dm')).toHaveLength(1);
    expect((await eventsOf(from))[0]).toMatchObject({ text: 'Do you deliver?', data: { messageSid: sid } });
    const rows = await stack.store.outbox.find({ enrollmentId: run.id }).toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0].result?.providerId).toBe(sent[0].sid);
  });

  it('a delivered status becomes message.delivered linked to the send; undelivered becomes message.failed with the error code', async () => {
    const from = phone();
    await incoming(from, 'hello');
    const contact = await contactOf(from);
    const run = await finishedRun(contact._id, replyJourney);
    const sid = ft.messages.find((m) => m.to === from)!.sid;
    for (const a of await ft.status(sid, 'sent', send)) expect(a.statusCode).toBe(200);
    expectOnce(await ft.status(sid, 'delivered', send, { redeliver: true }));
    const delivered = await eventually(async () => (await eventsOf(from)).filter((e) => e.type === 'message.delivered'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0].data).toMatchObject({ providerId: sid, enrollmentId: run.id, nodeId: 'reply', journeyId: replyJourney, outboxId: expect.any(String) });
    expect((await stack.store.outbox.findOne({ 'result.providerId': sid }))?.result?.delivery).toMatchObject({ status: 'delivered' });
    expect((await eventsOf(from)).filter((e) => e.type.startsWith('message.') && e.type !== 'message.delivered')).toHaveLength(0);

    await ft.status(sid, 'undelivered', send, { errorCode: 30003 });
    const failed = await eventually(async () => (await eventsOf(from)).find((e) => e.type === 'message.failed'));
    expect(failed.data).toMatchObject({ providerId: sid, reason: 'twilio_30003', errorCode: 30003, outboxId: expect.any(String) });
  });

  it('a missing or forged signature, or one over another URL, is 401 and nothing is stored', async () => {
    const from = phone();
    const params = { AccountSid: ft.accountSid, Body: 'hi', From: from, MessageSid: `SM${'9'.repeat(32)}`, To: ft.number };
    const raw = new URLSearchParams(params).toString();
    const missing = await send(hookUrl, raw, '');
    expect(missing.statusCode).toBe(401);
    expect(JSON.parse(missing.body).message).toContain('x-twilio-signature is missing');
    expect((await send(hookUrl, raw, ft.sign(hookUrl, params, 'f'.repeat(32)))).statusCode).toBe(401);
    expect((await send(hookUrl, raw, ft.sign('https://elsewhere.example/api/v1/hooks/default/sms', params))).statusCode).toBe(401);
    expect((await send(hookUrl, raw.replace('hi', 'ho'), ft.sign(hookUrl, params))).statusCode).toBe(401);
    expect(await eventsOf(from)).toEqual([]);
    expect(await findContactByIdentity(stack.store, stack.workspaceId, { channel: 'sms', handle: from })).toBeNull();
  });
});

describe('consent and refusals', () => {
  it('STOP opts the number out of SMS (no journey replies) and START opts it back in', async () => {
    const from = phone();
    await incoming(from, 'hi');
    const contact = await contactOf(from);
    await finishedRun(contact._id, replyJourney);
    await incoming(from, 'STOP');
    await eventually(async () => (await stack.store.contacts.findOne({ _id: contact._id }))?.consent?.sms?.status === 'opted_out');
    expect((await eventsOf(from)).map((e) => e.type)).toContain('sms.opted_out');
    const before = ft.messages.filter((m) => m.to === from).length;
    await call(stack.app, 'POST', '/api/v1/events', { id: `cart-${from}`, type: 'cart.abandoned', channel: 'sms', handle: from, occurredAt: new Date().toISOString() });
    const nudge = await finishedRun(contact._id, nudgeJourney);
    expect(nudge.steps.find((s: { nodeId: string }) => s.nodeId === 'dm')).toMatchObject({ port: 'skipped', output: { reason: 'no_consent' } });
    expect(ft.messages.filter((m) => m.to === from)).toHaveLength(before);
    await incoming(from, 'start');
    await eventually(async () => (await stack.store.contacts.findOne({ _id: contact._id }))?.consent?.sms?.status === 'opted_in');
    const timeline = await stack.store.interactions.find({ contactId: contact._id, type: 'consent.changed' }).sort({ occurredAt: 1 }).toArray();
    expect(timeline.map((t) => t.data?.status)).toEqual(['opted_out', 'opted_in']);
  });

  it('a captured START sent again after a STOP is refused with 401 and does not opt the number back in', async () => {
    const from = phone();
    // Keep the signed START request as it went over the wire.
    let captured: { url: string; raw: string; signature: string } | undefined;
    const capture: typeof send = async (url, raw, signature) => { captured ??= { url, raw, signature }; return send(url, raw, signature); };
    expectOnce((await ft.incoming(from, 'START', hookUrl, capture)).answers);
    const contact = await contactOf(from);
    await incoming(from, 'STOP');
    await eventually(async () => (await stack.store.contacts.findOne({ _id: contact._id }))?.consent?.sms?.status === 'opted_out');
    const replay = await send(captured!.url, captured!.raw, captured!.signature);
    expect(replay.statusCode, replay.body).toBe(401);
    const zh = await stack.app.inject({ method: 'POST', url: new URL(captured!.url).pathname, payload: captured!.raw, headers: { authorization: '', 'accept-language': 'zh-CN', 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': captured!.signature } });
    expect(zh.json().message).toContain('重放的投递将被拒绝');
    await new Promise((r) => setTimeout(r, 300));
    expect((await stack.store.contacts.findOne({ _id: contact._id }))?.consent?.sms?.status).toBe('opted_out');
    expect((await eventsOf(from)).filter((e) => e.type === 'sms.opted_in')).toHaveLength(1);
  });

  it('21610 (unsubscribed at the carrier) takes the blocked port and opts the contact out; 21211 is a clear error; a rate limit is repeated', async () => {
    const to = phone();
    ft.unsubscribe(to);
    await call(stack.app, 'POST', '/api/v1/events', { id: `cart-${to}`, type: 'cart.abandoned', channel: 'sms', handle: to, occurredAt: new Date().toISOString() });
    const contact = await contactOf(to);
    const run = await finishedRun(contact._id, nudgeJourney);
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'dm')).toMatchObject({ port: 'blocked', output: { reason: 'unsubscribed', message: expect.stringContaining('退订') } });
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'blocked', port: 'next' });
    expect((await stack.store.contacts.findOne({ _id: contact._id }))?.consent?.sms).toMatchObject({ status: 'opted_out', source: 'twilio.21610' });

    const settings: SmsChannelSettings = { kind: 'sms', accountSid: ft.accountSid, from: ft.number, apiBaseUrl: ft.url };
    const cfg = { store: stack.store, workspaceId: stack.workspaceId, channel: 'sms', settings, authToken: ft.authToken };
    const calls = ft.requests.length;
    const bad = await smsSend(cfg, { channel: 'sms', to: '12345', kind: 'sms', text: 'x' }, `${stack.workspaceId}|bad-number`).catch((e: Error) => e);
    expect(bad).toMatchObject({ name: 'NodeError', code: 'sms_refused', params: { code: 21211 } });
    expect((bad as Error).message).toContain('not a valid phone number');
    expect(ft.requests.length).toBe(calls + 1);

    ft.rateLimitOnce();
    const ok = await smsSend(cfg, { channel: 'sms', to: phone(), kind: 'sms', text: 'after the limit' }, `${stack.workspaceId}|rate-limited`);
    expect(ok.providerId).toMatch(/^SM/);
    expect(ft.requests.slice(calls + 1).map((r) => r.path.endsWith('Messages.json'))).toEqual([true, true]);
  });
});

describe('the reply node\'s sms fallback', () => {
  it('a DM the primary channel refuses goes out as an SMS through the gateway', async () => {
    const number = phone();
    await incoming(number, 'hi');
    const contact = await contactOf(number);
    await finishedRun(contact._id, replyJourney);
    // The same person on the chat channel: one contact with both identities.
    const handle = `chat-${seq++}`;
    await stack.store.identities.insertOne({ _id: `${stack.workspaceId}|chat|${handle}`, workspaceId: stack.workspaceId, channel: 'chat', handle, contactId: contact._id, createdAt: new Date() } as never);
    await stack.store.contacts.updateOne({ _id: contact._id }, { $push: { identities: { channel: 'chat', handle } } });
    await call(stack.app, 'POST', '/api/v1/events', { id: `ship-${handle}`, type: 'order.shipped', channel: 'chat', handle, data: { orderId: 'A-7' }, occurredAt: new Date().toISOString() });
    const run = await finishedRun(contact._id, fallbackJourney);
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'notify')).toMatchObject({
      port: 'sent', output: { providerId: expect.stringMatching(/^SM/), fallback: { channel: 'sms', mode: 'sms', reason: 'outside_24h_window', status: 'sent' } },
    });
    expect(ft.messages.filter((m) => m.to === number).map((m) => m.body)).toContain('Your order A-7 shipped');
  });
});
