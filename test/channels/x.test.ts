/**
 * X (Twitter) channels end to end, on the real stack (Temporal + FerretDB + worker) and a strict fake X API on
 * 127.0.0.1 (test/helpers/fake-x.ts) whose webhooks are signed with the Consumer Secret as X does: the CRC; a mention
 * starting a journey whose public reply answers the same post; a reply to the account's post as social.comment; a DM
 * answered by DM; a DM X refuses, and one our policy refuses, taking the blocked port; forged signatures refused with
 * nothing stored; a redelivery ingested once; an expired token as a clear error; a 429 waited out; profiles;
 * connecting and testing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { workspaceChannelsAdapter } from '../../core/channels/workspace-adapter';
import { xSend } from '../../core/channels/x/adapter';
import { xClientOptions } from '../../core/channels/x/client';
import { findContactByIdentity } from '../../core/store/contacts';
import type { XChannelSettings } from '../../core/store/channel-configs';
import { SendBlockedError } from '../../nodes/contract';
import { call, publishJourney } from '../helpers/api';
import { startFakeX, type FakeX } from '../helpers/fake-x';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let fx: FakeX;
let seq = 0;
const userId = () => `17${Date.now()}${seq++}`.slice(0, 19);

let mentionJourney: string;
let dmJourney: string;
let nudgeJourney: string;

beforeAll(async () => {
  fx = await startFakeX();
  xClientOptions.retryBackoffMs = [50, 50, 50];
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
  const put = await call(stack.app, 'PUT', '/api/v1/channels/x', { settings: { kind: 'x', userId: fx.accountId, apiBaseUrl: fx.url }, token: fx.token, webhookSecret: fx.consumerSecret });
  expect(put.status, JSON.stringify(put.body)).toBe(200);

  mentionJourney = await publishJourney(stack.app, {
    name: 'X mention reply',
    nodes: [
      { id: 'mention', type: 'trigger.social-mention', version: 1, config: { channels: ['x'] } },
      { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks {{contact.profile.name | "friend"}}! Re: {{event.text}}' } },
    ],
    edges: [{ from: 'mention', port: 'next', to: 'reply' }],
    settings: { reentry: 'always' },
  });
  dmJourney = await publishJourney(stack.app, {
    name: 'X DM reply',
    nodes: [
      { id: 'dm', type: 'trigger.event', version: 1, config: { eventTypes: ['social.dm'], channels: ['x'] } },
      { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Got your DM: {{event.text}}' } },
    ],
    edges: [{ from: 'dm', port: 'next', to: 'reply' }],
    settings: { reentry: 'always' },
  });
  nudgeJourney = await publishJourney(stack.app, {
    name: 'X nudge',
    nodes: [
      { id: 'nudge', type: 'trigger.event', version: 1, config: { eventTypes: ['cart.abandoned'], channels: ['x'] } },
      { id: 'dm', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'You left something in your cart ({{event.id}})' } },
      { id: 'blocked', type: 'response.update-contact', version: 1, config: { addTags: ['x-blocked'] } },
    ],
    edges: [{ from: 'nudge', port: 'next', to: 'dm' }, { from: 'dm', port: 'blocked', to: 'blocked' }],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await stack?.close();
  await fx?.close();
});

// What X sends: no credentials, the signature in a header, JSON in the body.
const post = (raw: string, signature?: string) => stack.app.inject({
  method: 'POST', url: `/api/v1/hooks/${stack.workspaceId}/x`, payload: raw,
  headers: { authorization: '', 'content-type': 'application/json', ...(signature ? { 'x-twitter-webhooks-signature': signature } : {}) },
}).then((r) => ({ statusCode: r.statusCode, body: r.body }));
async function deliver(payload: unknown, o: { redeliver?: boolean } = {}) {
  const answers = await fx.deliver(payload, (raw, sig) => post(raw, sig), o);
  for (const a of answers) expect(a, a.body).toEqual({ statusCode: 200, body: 'OK' });
}
const crcGet = (crcToken?: string) => stack.app.inject({ method: 'GET', url: `/api/v1/hooks/${stack.workspaceId}/x${crcToken ? `?crc_token=${encodeURIComponent(crcToken)}` : ''}`, headers: { authorization: '' } })
  .then((r) => ({ statusCode: r.statusCode, body: r.body, contentType: String(r.headers['content-type']) }));
const contactOf = (handle: string) => eventually(() => findContactByIdentity(stack.store, stack.workspaceId, { channel: 'x', handle }));
const eventsOf = (handle: string) => stack.store.interactions.find({ workspaceId: stack.workspaceId, kind: 'event', handle }).toArray();
const cfg = () => ({ store: stack.store, workspaceId: stack.workspaceId, channel: 'x', settings: { kind: 'x', userId: fx.accountId, apiBaseUrl: fx.url } as XChannelSettings, accessToken: fx.token });

type Run = { id: string; journeyId: string; status: string; steps: any[] };
async function finishedRun(contactId: string, journeyId: string): Promise<Run> {
  return eventually(async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    return (r.body.enrollments as Run[]).find((e) => e.status !== 'active' && e.journeyId === journeyId);
  });
}

describe('connecting an X channel', () => {
  it('validates settings and secrets with field-named 400s, and never returns a secret', async () => {
    const put = (body: unknown, lang = 'en') => call(stack.app, 'PUT', '/api/v1/channels/x-check', body, { 'accept-language': lang });
    const settings = { kind: 'x', userId: fx.accountId, apiBaseUrl: fx.url };
    const badId = await put({ settings: { ...settings, userId: '@journeyscoffee' }, token: 't', webhookSecret: fx.consumerSecret });
    expect(badId.body.fields[0].field).toBe('body/settings/userId');
    const badSecret = await put({ settings, token: 't', webhookSecret: 'short' });
    expect(badSecret.body.fields[0].field).toBe('body/webhookSecret');
    const missing = await put({ settings }, 'zh-CN');
    expect(missing.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body/token', 'body/webhookSecret']);
    expect(missing.body.message).toContain('Consumer Secret');
    const internal = await put({ settings: { ...settings, apiBaseUrl: 'http://10.0.0.8' }, token: 't', webhookSecret: fx.consumerSecret });
    expect(internal.body.fields[0]).toMatchObject({ field: 'body/settings/apiBaseUrl', code: 'destination_refused' });
    const ok = await put({ settings, token: 'xoat-secret-token-1234567890', webhookSecret: fx.consumerSecret });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ channel: 'x-check', settings, hasToken: true, hasWebhookSecret: true, hasTokenSecret: false });
    const toHttp = await put({ settings: { kind: 'http', baseUrl: 'https://api.example.com' } });
    expect(toHttp.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body/token', 'body/webhookSecret']);
    const list = JSON.stringify((await call(stack.app, 'GET', '/api/v1/channels')).body);
    for (const secret of [fx.consumerSecret, fx.token, 'xoat-secret-token-1234567890']) expect(list).not.toContain(secret);
    const stored = JSON.stringify(await stack.store.db.collection('credentials').find({}).toArray());
    for (const secret of [fx.consumerSecret, fx.token]) expect(stored).not.toContain(secret);
  });

  it('Test connection makes one GET /2/users/me and shows X\'s answer on failure, in both languages', async () => {
    const ok = await call(stack.app, 'POST', '/api/v1/channels/x/test');
    expect(ok.body).toMatchObject({ ok: true, status: 200, details: { kind: 'x', account: `@journeyscoffee (Journeys Coffee, ${fx.accountId})` } });
    expect(fx.requests.at(-1)).toMatchObject({ method: 'GET', path: '/2/users/me', token: fx.token });
    await call(stack.app, 'PUT', '/api/v1/channels/x-wrong', { settings: { kind: 'x', userId: fx.accountId, apiBaseUrl: fx.url }, token: 'xoat-wrong-token-000000', webhookSecret: fx.consumerSecret });
    const wrong = await call(stack.app, 'POST', '/api/v1/channels/x-wrong/test');
    expect(wrong.body).toMatchObject({ ok: false, status: 401, details: { kind: 'x', description: 'Unauthorized' } });
    expect(wrong.body.message).toContain('X refused the access token (401 Unauthorized)');
    expect(JSON.stringify(wrong.body)).not.toContain('xoat-wrong');
    const zh = await call(stack.app, 'POST', '/api/v1/channels/x-wrong/test', {}, { 'accept-language': 'zh-CN' });
    expect(zh.body.message).toContain('X 拒绝了访问令牌');
  });
});

describe('CRC and signatures', () => {
  it('answers X\'s CRC with the HMAC of the crc_token under the Consumer Secret, as JSON', async () => {
    const crc = await fx.crc((token) => crcGet(token));
    expect(crc.ok, crc.body).toBe(true);
    expect((await crcGet('abc')).contentType).toContain('application/json');
    expect((await crcGet()).statusCode).toBe(400);
  });

  it('a missing, forged or wrong-key signature is 401 and nothing is stored', async () => {
    const uid = userId();
    const raw = JSON.stringify(fx.dm(uid, 'hello').payload);
    const missing = await post(raw);
    expect(missing.statusCode).toBe(401);
    expect(JSON.parse(missing.body).message).toContain('x-twitter-webhooks-signature is missing');
    const forged = await post(raw, `sha256=${Buffer.alloc(32).toString('base64')}`);
    expect(forged.statusCode).toBe(401);
    expect(JSON.parse(forged.body).message).toContain('Consumer Secret');
    expect((await post(raw, fx.sign(raw, 'another-consumer-secret-000000000000'))).statusCode).toBe(401);
    expect((await post(raw.replace('hello', 'hellO'), fx.sign(raw))).statusCode).toBe(401);
    expect(await eventsOf(uid)).toEqual([]);
    expect(await findContactByIdentity(stack.store, stack.workspaceId, { channel: 'x', handle: uid })).toBeNull();
  });

  it('a signed delivery replayed after X stops redelivering (five minutes) is 401 and stores nothing; one inside is taken', async () => {
    const aged = (payload: any, ms: number) => {
      const at = Date.now() - ms;
      for (const t of payload.tweet_create_events ?? []) { t.timestamp_ms = String(at); t.created_at = new Date(at).toUTCString(); }
      for (const e of payload.direct_message_events ?? []) e.created_timestamp = String(at);
      return JSON.stringify(payload);
    };
    const uid = userId();
    const raw = aged(fx.dm(uid, 'an hour ago').payload, 3_600_000);
    const replay = await post(raw, fx.sign(raw));
    expect(replay.statusCode, replay.body).toBe(401);
    expect(JSON.parse(replay.body).message).toMatch(/60 minutes old, past the 5 minutes X redelivers for: a replayed delivery is refused/);
    const mention = fx.mention(uid, 'hello from an hour ago');
    const mentionRaw = aged(mention.payload, 3_600_000);
    expect((await post(mentionRaw, fx.sign(mentionRaw))).statusCode).toBe(401);
    expect(await eventsOf(uid)).toEqual([]);
    expect(await findContactByIdentity(stack.store, stack.workspaceId, { channel: 'x', handle: uid })).toBeNull();
    // X's last retry comes within five minutes: a delivery two minutes late is taken.
    const late = userId();
    const lateRaw = aged(fx.dm(late, 'two minutes ago').payload, 120_000);
    expect((await post(lateRaw, fx.sign(lateRaw))).statusCode).toBe(200);
    expect(await eventually(async () => (await eventsOf(late)).length || undefined)).toBe(1);
    // Its DM journey answers it: wait for that run, so its reply does not land among the next test's requests.
    await finishedRun((await contactOf(late))._id, dmJourney);
  });
});

describe('OAuth 1.0a (an Access Token and Secret, which do not expire)', () => {
  const settings = () => ({ kind: 'x', userId: fx.accountId, consumerKey: fx.consumerKey, apiBaseUrl: fx.url });

  it('validates the pair with field-named 400s, never returns the secret, and Test connection signs its GET', async () => {
    const put = (channel: string, body: unknown, lang = 'en') => call(stack.app, 'PUT', `/api/v1/channels/${channel}`, body, { 'accept-language': lang });
    const noSecret = await put('x1', { settings: settings(), token: fx.oauth1Token, webhookSecret: fx.consumerSecret }, 'zh-CN');
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.fields.map((f: { field: string }) => f.field)).toEqual(['body/tokenSecret']);
    expect(noSecret.body.message).toContain('Access Token Secret');
    const noKey = await put('x1', { settings: { kind: 'x', userId: fx.accountId, apiBaseUrl: fx.url }, token: fx.oauth1Token, tokenSecret: fx.oauth1TokenSecret, webhookSecret: fx.consumerSecret });
    expect(noKey.body.fields.map((f: { field: string }) => f.field)).toEqual(['body/tokenSecret']);
    expect(noKey.body.message).toContain('settings.consumerKey');
    const onHttp = await put('x1-http', { settings: { kind: 'http', baseUrl: 'https://api.example.com' }, token: 't', webhookSecret: 'a-webhook-secret-16', tokenSecret: fx.oauth1TokenSecret });
    expect(onHttp.body.fields.map((f: { field: string }) => f.field)).toEqual(['body/tokenSecret']);
    const badKey = await put('x1', { settings: { ...settings(), consumerKey: 'not a key!' }, token: fx.oauth1Token, tokenSecret: fx.oauth1TokenSecret, webhookSecret: fx.consumerSecret });
    expect(badKey.body.fields[0].field).toBe('body/settings/consumerKey');

    const ok = await put('x1', { settings: settings(), token: fx.oauth1Token, tokenSecret: fx.oauth1TokenSecret, webhookSecret: fx.consumerSecret });
    expect(ok.body).toEqual({ channel: 'x1', settings: settings(), hasToken: true, hasWebhookSecret: true, hasTokenSecret: true });
    const list = JSON.stringify((await call(stack.app, 'GET', '/api/v1/channels')).body);
    expect(list).not.toContain(fx.oauth1TokenSecret);
    expect(JSON.stringify(await stack.store.db.collection('credentials').find({}).toArray())).not.toContain(fx.oauth1TokenSecret);

    const test = await call(stack.app, 'POST', '/api/v1/channels/x1/test');
    expect(test.body).toMatchObject({ ok: true, status: 200, details: { kind: 'x', account: `@journeyscoffee (Journeys Coffee, ${fx.accountId})` } });
    expect(fx.requests.at(-1)).toMatchObject({ method: 'GET', path: '/2/users/me', token: fx.oauth1Token });
    // Saving again without the secrets keeps them (only the settings change).
    expect((await put('x1', { settings: { ...settings(), plan: 'pro' } })).body).toMatchObject({ hasTokenSecret: true });

    // A wrong Access Token Secret: X refuses the signature, in words.
    await put('x1-wrong', { settings: settings(), token: fx.oauth1Token, tokenSecret: 'W'.repeat(45), webhookSecret: fx.consumerSecret });
    const wrong = await call(stack.app, 'POST', '/api/v1/channels/x1-wrong/test', {}, { 'accept-language': 'zh-CN' });
    expect(wrong.body).toMatchObject({ ok: false, status: 401 });
    expect(wrong.body.message).toContain('X 拒绝了访问令牌');
  });

  it('a signed reply and a profile read (with a query string) go through', async () => {
    const uid = userId();
    const { payload, tweetId } = fx.mention(uid, 'hello over OAuth 1.0a');
    const raw = JSON.stringify(payload);
    const hook = await stack.app.inject({ method: 'POST', url: `/api/v1/hooks/${stack.workspaceId}/x1`, payload: raw, headers: { authorization: '', 'content-type': 'application/json', 'x-twitter-webhooks-signature': fx.sign(raw) } });
    expect(hook.statusCode, hook.body).toBe(200);
    await eventually(async () => (await stack.store.interactions.findOne({ workspaceId: stack.workspaceId, channel: 'x1', handle: uid })) ?? undefined);
    const adapter = workspaceChannelsAdapter(stack.store);
    const sent = await adapter.send({ channel: 'x1', to: uid, kind: 'reply', inReplyTo: tweetId, text: 'Signed and sent' }, `${stack.workspaceId}|x1-reply-${uid}`);
    expect(sent.providerId).toMatch(/^\d+$/);
    expect(fx.sent.at(-1)).toMatchObject({ path: '/2/tweets', body: { text: 'Signed and sent', reply: { in_reply_to_tweet_id: tweetId } } });
    expect(fx.requests.at(-1)!.token).toBe(fx.oauth1Token);
    const profile = await adapter.fetchProfile!(stack.workspaceId, 'x1', uid);
    expect(profile).toMatchObject({ handle: uid, username: expect.any(String) });
    expect(fx.requests.at(-1)).toMatchObject({ path: `/2/users/${uid}`, query: { 'user.fields': expect.stringContaining('public_metrics') }, token: fx.oauth1Token });
  });
});

describe('mentions and replies', () => {
  it('a mention starts a journey whose public reply answers the same post; a redelivery is ingested once', async () => {
    const uid = userId();
    fx.users[uid] = { name: 'Mia Chen', username: 'miachen', followers: 812, verified: false };
    const { payload, tweetId } = fx.mention(uid, 'do you open on Sundays?');
    await deliver(payload, { redeliver: true });
    const contact = await contactOf(uid);
    const run = await finishedRun(contact._id, mentionJourney);
    expect(run.steps.find((s) => s.nodeId === 'reply')).toMatchObject({ port: 'sent' });
    const events = await eventsOf(uid);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'social.mention', threadId: tweetId, data: { platform: 'x', tweetId, accountId: fx.accountId, screenName: 'miachen', user: { followers: 812, verified: false } } });
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.profile).toMatchObject({ name: 'Mia Chen', username: 'miachen', followers: 812, verified: false });
    expect(await stack.store.enrollments.countDocuments({ contactId: contact._id, journeyId: mentionJourney })).toBe(1);
    const sent = fx.sent.filter((s) => s.body.reply?.in_reply_to_tweet_id === tweetId);
    expect(sent.map((s) => s.body)).toEqual([{ text: 'Thanks Mia Chen! Re: @journeyscoffee do you open on Sundays?', reply: { in_reply_to_tweet_id: tweetId } }]);
    const row = (await stack.store.outbox.findOne({ contactId: contact._id, nodeId: 'reply' }))!;
    expect(row.result).toMatchObject({ providerId: sent[0].id });

    const profile = await workspaceChannelsAdapter(stack.store).fetchProfile!(stack.workspaceId, 'x', uid);
    expect(profile).toEqual({ handle: uid, name: 'Mia Chen', username: 'miachen', avatarUrl: expect.stringContaining(uid), followers: 812, verified: false });
    expect(fx.requests.at(-1)).toMatchObject({ path: `/2/users/${uid}`, query: { 'user.fields': 'name,username,profile_image_url,public_metrics,verified' } });
  });

  it('a reply to the account\'s post is social.comment, answered under it; the account\'s own DMs are ignored', async () => {
    const uid = userId();
    const { payload, tweetId } = fx.mention(uid, 'love this one', { reply: true });
    await deliver(payload);
    const contact = await contactOf(uid);
    await finishedRun(contact._id, mentionJourney);
    expect(await eventsOf(uid)).toEqual([expect.objectContaining({ type: 'social.comment', threadId: tweetId, data: expect.objectContaining({ inReplyToUserId: fx.accountId }) })]);
    expect(fx.sent.filter((s) => s.body.reply?.in_reply_to_tweet_id === tweetId)).toHaveLength(1);
    await deliver(fx.ownDm(uid, 'our own message'));
    expect((await eventsOf(uid)).filter((e) => e.type === 'social.dm')).toEqual([]);
  });
});

describe('DMs', () => {
  it('a DM is answered by DM in the same conversation', async () => {
    const uid = userId();
    const { payload, dmId } = fx.dm(uid, 'is my order ready?');
    await deliver(payload, { redeliver: true });
    const contact = await contactOf(uid);
    const run = await finishedRun(contact._id, dmJourney);
    expect(run.steps.find((s) => s.nodeId === 'reply')).toMatchObject({ port: 'sent' });
    const conversation = BigInt(uid) < BigInt(fx.accountId) ? `${uid}-${fx.accountId}` : `${fx.accountId}-${uid}`;
    expect(await eventsOf(uid)).toEqual([expect.objectContaining({ type: 'social.dm', threadId: conversation, text: 'is my order ready?', data: expect.objectContaining({ dmEventId: dmId, dmConversationId: conversation }) })]);
    const sent = fx.sent.filter((s) => s.path === `/2/dm_conversations/with/${uid}/messages`);
    expect(sent.map((s) => s.body)).toEqual([{ text: 'Got your DM: is my order ready?' }]);
    expect((await stack.store.outbox.findOne({ contactId: contact._id, nodeId: 'reply' }))!.result).toMatchObject({ providerId: sent[0].id });
  });

  it('a DM X refuses (403) takes the blocked port with X\'s reason; one to someone who never DMed is blocked before the call', async () => {
    const uid = userId();
    const { payload } = fx.dm(uid, 'hi');
    await deliver(payload);
    const contact = await contactOf(uid);
    await finishedRun(contact._id, dmJourney);
    fx.refuseDmTo(uid);
    expect((await call(stack.app, 'POST', '/api/v1/events', { id: `cart-${uid}`, type: 'cart.abandoned', channel: 'x', handle: uid, occurredAt: new Date().toISOString() })).status).toBe(200);
    const run = await finishedRun(contact._id, nudgeJourney);
    const dm = run.steps.find((s) => s.nodeId === 'dm');
    expect(dm).toMatchObject({ port: 'blocked', output: { reason: 'x_dm_not_permitted' } });
    expect(dm.output.message).toContain('You are not permitted to send a message to this user.');
    expect(dm.output.message).toContain('该用户不接受此账号的私信');
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'blocked', port: 'next' });

    const stranger = userId();
    const calls = fx.requests.length;
    expect((await call(stack.app, 'POST', '/api/v1/events', { id: `cart-${stranger}`, type: 'cart.abandoned', channel: 'x', handle: stranger, occurredAt: new Date().toISOString() })).status).toBe(200);
    const other = await finishedRun((await contactOf(stranger))._id, nudgeJourney);
    expect(other.steps.find((s) => s.nodeId === 'dm')).toMatchObject({ port: 'blocked', output: { reason: 'x_no_dm_conversation' } });
    expect(fx.requests.slice(calls).filter((r) => r.path.includes(stranger))).toEqual([]);
  });
});

describe('outbound errors and limits', () => {
  it('a 429 is waited out until x-rate-limit-reset, then the post goes out once', async () => {
    const uid = userId();
    const { payload, tweetId } = fx.mention(uid, 'rate me');
    await deliver(payload);
    await finishedRun((await contactOf(uid))._id, mentionJourney);
    fx.rateLimitOnce();
    const started = Date.now();
    const out = await xSend(cfg(), { channel: 'x', to: uid, kind: 'reply', inReplyTo: tweetId, text: `after the limit ${uid}` }, `${stack.workspaceId}|rate-${uid}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(fx.requests.filter((r) => r.body?.text === `after the limit ${uid}`)).toHaveLength(2);
    expect(fx.sent.filter((s) => s.body.text === `after the limit ${uid}`).map((s) => s.id)).toEqual([out.providerId]);
  });

  it('more than 280 characters, or the same text again, is blocked before the call', async () => {
    const uid = userId();
    const { payload, tweetId } = fx.mention(uid, 'long one');
    await deliver(payload);
    await finishedRun((await contactOf(uid))._id, mentionJourney);
    const calls = fx.requests.length;
    const long = await xSend(cfg(), { channel: 'x', to: uid, kind: 'reply', inReplyTo: tweetId, text: 'x'.repeat(281) }, `${stack.workspaceId}|long-${uid}`).catch((e: unknown) => e);
    expect(long).toBeInstanceOf(SendBlockedError);
    expect(long).toMatchObject({ code: 'x_too_long', params: { length: 281, max: 280 } });
    expect((long as Error).message).toContain('280');
    // The journey's own reply went out already: the same text again is what X refuses (187).
    const first = fx.sent.find((s) => s.body.reply?.in_reply_to_tweet_id === tweetId)!;
    const same = await xSend(cfg(), { channel: 'x', to: uid, kind: 'reply', inReplyTo: tweetId, text: first.body.text }, `${stack.workspaceId}|dup-${uid}`).catch((e: unknown) => e);
    expect(same).toMatchObject({ code: 'x_duplicate_content' });
    expect(fx.requests.length).toBe(calls);
  });

  it('an expired token is a clear error on the step, not retried', async () => {
    const uid = userId();
    const { payload, tweetId } = fx.mention(uid, 'token test');
    await deliver(payload);
    await finishedRun((await contactOf(uid))._id, mentionJourney);
    fx.expireToken();
    try {
      const calls = fx.requests.length;
      const err = await xSend(cfg(), { channel: 'x', to: uid, kind: 'reply', inReplyTo: tweetId, text: `expired ${uid}` }, `${stack.workspaceId}|expired-${uid}`).catch((e: Error) => e);
      expect(err).toMatchObject({ name: 'NodeError', code: 'x_token_invalid', params: { status: 401 } });
      expect((err as Error).message).toContain('authorize the account again');
      expect(fx.requests.length).toBe(calls + 1);
      const test = await call(stack.app, 'POST', '/api/v1/channels/x/test');
      expect(test.body).toMatchObject({ ok: false, status: 401 });
    } finally {
      fx.reviveToken();
    }
  });
});
