/**
 * Meta channels (Messenger, Instagram, WhatsApp) end to end, on the real stack (Temporal + FerretDB + worker) and a
 * strict fake Graph API on 127.0.0.1 (test/helpers/fake-meta.ts) whose webhooks are signed with the App Secret as
 * Meta does: the verification GET; a Messenger message starting a journey whose reply reaches the same PSID through
 * the Send API; an Instagram comment answered publicly on that comment; a WhatsApp message answered inside the
 * 24-hour window, and sends outside it taking the template fallback or the blocked port; a status webhook becoming
 * message.delivered linked to its send; forged signatures and wrong verify tokens refused with nothing stored; a
 * redelivery ingested once; a rate limit repeated; an expired token as a clear error; profiles; connecting and testing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { workspaceChannelsAdapter } from '../../core/channels/workspace-adapter';
import { metaSend } from '../../core/channels/meta/adapter';
import { metaClientOptions } from '../../core/channels/meta/client';
import { findContactByIdentity } from '../../core/store/contacts';
import type { MetaChannelSettings } from '../../core/store/channel-configs';
import { SendBlockedError } from '../../nodes/contract';
import { call, publishJourney } from '../helpers/api';
import { startFakeMeta, type FakeMeta } from '../helpers/fake-meta';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let fm: FakeMeta;
let seq = 0;
const userId = () => `${Date.now()}${seq++}`.slice(-16);
const phone = () => `1555${String(Date.now() + seq++).slice(-7)}`;
const H = 3_600_000;
const VERIFY = 'journeys-verify-2024';

let replyJourney: string;
let commentJourney: string;
let templateJourney: string;
let blockedJourney: string;
let privateReplyJourney: string;

beforeAll(async () => {
  fm = await startFakeMeta();
  metaClientOptions.rateLimitBackoffMs = [50, 50, 50];
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
  const connect = async (channel: string, settings: Record<string, unknown>, token: string) => {
    const put = await call(stack.app, 'PUT', `/api/v1/channels/${channel}`, { settings: { kind: 'meta', verifyToken: VERIFY, apiBaseUrl: fm.url, ...settings }, token, webhookSecret: fm.appSecret });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  };
  await connect('messenger', { platform: 'messenger', pageId: fm.pageId }, fm.pageToken);
  await connect('instagram', { platform: 'instagram', pageId: fm.igAccountId }, fm.pageToken);
  await connect('whatsapp', { platform: 'whatsapp', phoneNumberId: fm.phoneNumberId, businessAccountId: fm.wabaId, templateLanguage: 'en_US' }, fm.whatsappToken);

  replyJourney = await publishJourney(stack.app, {
    name: 'Meta DM reply',
    nodes: [
      { id: 'dm', type: 'trigger.event', version: 1, config: { eventTypes: ['social.dm'], channels: ['messenger', 'instagram', 'whatsapp'] } },
      { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks {{contact.profile.name | "friend"}}, we got: {{event.text}}' } },
    ],
    edges: [{ from: 'dm', port: 'next', to: 'reply' }],
    settings: { reentry: 'always' },
  });
  commentJourney = await publishJourney(stack.app, {
    name: 'Instagram comment reply',
    nodes: [
      { id: 'comment', type: 'trigger.social-mention', version: 1, config: { channels: ['instagram'] } },
      { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thank you for the comment!' } },
    ],
    edges: [{ from: 'comment', port: 'next', to: 'reply' }],
    settings: { reentry: 'always' },
  });
  // A business event days after the customer last wrote: only a template reaches them on WhatsApp.
  templateJourney = await publishJourney(stack.app, {
    name: 'WhatsApp order update',
    nodes: [
      { id: 'shipped', type: 'trigger.event', version: 1, config: { eventTypes: ['order.shipped'], channels: ['whatsapp'] } },
      {
        id: 'notify', type: 'response.reply', version: 1,
        config: { mode: 'dm', message: 'Your order shipped', fallback: { mode: 'template', templateId: 'order_update', templateData: { 1: '{{contact.profile.name | "there"}}', 2: '{{event.data.order}}' } } },
      },
    ],
    edges: [{ from: 'shipped', port: 'next', to: 'notify' }],
    settings: { reentry: 'always' },
  });
  // "Comment INFO and we DM you the link": the DM answers the comment, so it goes out as its private reply.
  privateReplyJourney = await publishJourney(stack.app, {
    name: 'Comment to DM',
    nodes: [
      { id: 'comment', type: 'trigger.social-mention', version: 1, config: { channels: ['instagram'], keywords: ['INFO'] } },
      { id: 'dm', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Here is the link you asked for: https://example.com/latte' } },
      { id: 'blocked', type: 'response.update-contact', version: 1, config: { addTags: ['dm-blocked'] } },
    ],
    edges: [{ from: 'comment', port: 'next', to: 'dm' }, { from: 'dm', port: 'blocked', to: 'blocked' }],
    settings: { reentry: 'always' },
  });
  blockedJourney = await publishJourney(stack.app, {
    name: 'Messenger nudge',
    nodes: [
      { id: 'nudge', type: 'trigger.event', version: 1, config: { eventTypes: ['cart.abandoned'], channels: ['messenger', 'whatsapp'] } },
      { id: 'dm', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'You left something in your cart' } },
      { id: 'blocked', type: 'response.update-contact', version: 1, config: { addTags: ['meta-blocked'] } },
    ],
    edges: [{ from: 'nudge', port: 'next', to: 'dm' }, { from: 'dm', port: 'blocked', to: 'blocked' }],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await stack?.close();
  await fm?.close();
});

// What Meta sends: no credentials, the signature in a header, JSON in the body.
const post = (channel: string, raw: string, signature?: string) => stack.app.inject({
  method: 'POST', url: `/api/v1/hooks/${stack.workspaceId}/${channel}`, payload: raw,
  headers: { authorization: '', 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
}).then((r) => ({ statusCode: r.statusCode, body: r.body }));
const sender = (channel: string) => (raw: string, signature: string) => post(channel, raw, signature);
async function deliver(channel: string, payload: unknown, o: { redeliver?: boolean } = {}) {
  const answers = await fm.deliver(payload, sender(channel), o);
  for (const a of answers) expect(a, a.body).toEqual({ statusCode: 200, body: 'EVENT_RECEIVED' });
}
const contactOf = (channel: string, handle: string) => eventually(() => findContactByIdentity(stack.store, stack.workspaceId, { channel, handle }));
const eventsOf = (handle: string) => stack.store.interactions.find({ workspaceId: stack.workspaceId, kind: 'event', handle }).toArray();

type Run = { id: string; journeyId: string; status: string; steps: any[] };
async function finishedRun(contactId: string, journeyId: string): Promise<Run> {
  return eventually(async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    return (r.body.enrollments as Run[]).find((e) => e.status !== 'active' && e.journeyId === journeyId);
  });
}

describe('connecting a Meta channel', () => {
  it('validates settings and secrets with field-named 400s, and never returns a secret', async () => {
    const put = (body: unknown, lang = 'en') => call(stack.app, 'PUT', '/api/v1/channels/meta-check', body, { 'accept-language': lang });
    const settings = { kind: 'meta', platform: 'whatsapp', verifyToken: VERIFY, phoneNumberId: fm.phoneNumberId, apiBaseUrl: fm.url };
    const noNumber = await put({ settings: { ...settings, phoneNumberId: undefined }, token: 't', webhookSecret: fm.appSecret });
    expect(noNumber.status).toBe(400);
    expect(noNumber.body.message).toContain('phoneNumberId');
    const badSecret = await put({ settings, token: 't', webhookSecret: 'not-an-app-secret' });
    expect(badSecret.body.fields[0].field).toBe('body/webhookSecret');
    const missing = await put({ settings }, 'zh-CN');
    expect(missing.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body/token', 'body/webhookSecret']);
    expect(missing.body.message).toContain('App Secret');
    const internal = await put({ settings: { ...settings, apiBaseUrl: 'http://10.0.0.8' }, token: 't', webhookSecret: fm.appSecret });
    expect(internal.body.fields[0]).toMatchObject({ field: 'body/settings/apiBaseUrl', code: 'destination_refused' });
    const ok = await put({ settings, token: 'EAAsecret-token-1234567890', webhookSecret: fm.appSecret });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ channel: 'meta-check', settings, hasToken: true, hasWebhookSecret: true });
    const toHttp = await put({ settings: { kind: 'http', baseUrl: 'https://api.example.com' } });
    expect(toHttp.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body/token', 'body/webhookSecret']);
    const list = JSON.stringify((await call(stack.app, 'GET', '/api/v1/channels')).body);
    for (const secret of [fm.appSecret, fm.pageToken, fm.whatsappToken, 'EAAsecret-token-1234567890']) expect(list).not.toContain(secret);
    expect(list).toContain(VERIFY); // pasted into Meta's console: shown
    const stored = JSON.stringify(await stack.store.db.collection('credentials').find({}).toArray());
    for (const secret of [fm.appSecret, fm.pageToken, fm.whatsappToken]) expect(stored).not.toContain(secret);
  });

  it('Test connection makes one authenticated GET and shows Meta\'s code and message on failure, in both languages', async () => {
    const ok = await call(stack.app, 'POST', '/api/v1/channels/messenger/test');
    expect(ok.body).toMatchObject({ ok: true, status: 200, details: { kind: 'meta', account: `Journeys Coffee (${fm.pageId})` } });
    expect(fm.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v21.0/me', query: { fields: 'id,name' }, token: fm.pageToken });
    const wa = await call(stack.app, 'POST', '/api/v1/channels/whatsapp/test', {}, { 'accept-language': 'zh-CN' });
    expect(wa.body).toMatchObject({ ok: true, details: { account: '+1 555-078-3881 (Journeys Coffee)' } });
    expect(wa.body.message).toContain('Meta 已接受访问令牌');
    expect(fm.requests.at(-1)).toMatchObject({ path: `/v21.0/${fm.phoneNumberId}`, query: { fields: 'display_phone_number,verified_name' } });

    await call(stack.app, 'PUT', '/api/v1/channels/meta-wrong', { settings: { kind: 'meta', platform: 'messenger', verifyToken: VERIFY, pageId: fm.pageId, apiBaseUrl: fm.url }, token: 'EAAwrongtoken0000000000', webhookSecret: fm.appSecret });
    const wrong = await call(stack.app, 'POST', '/api/v1/channels/meta-wrong/test');
    expect(wrong.body).toMatchObject({ ok: false, status: 400, details: { kind: 'meta', errcode: 190, fbtraceId: expect.any(String) } });
    expect(wrong.body.message).toContain('code 190');
    expect(wrong.body.message).toContain('Invalid OAuth access token');
    expect(JSON.stringify(wrong.body)).not.toContain('EAAwrongtoken');
    const zh = await call(stack.app, 'POST', '/api/v1/channels/meta-wrong/test', {}, { 'accept-language': 'zh-CN' });
    expect(zh.body.message).toContain('访问令牌已过期或无效');

    // Every call is signed with the App Secret (appsecret_proof): a secret of another app fails the test call, in words.
    expect(fm.requests.at(-1)!.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/);
    await call(stack.app, 'PUT', '/api/v1/channels/meta-other-app', { settings: { kind: 'meta', platform: 'messenger', verifyToken: VERIFY, pageId: fm.pageId, apiBaseUrl: fm.url }, token: fm.pageToken, webhookSecret: 'e'.repeat(32) });
    const otherApp = await call(stack.app, 'POST', '/api/v1/channels/meta-other-app/test');
    expect(otherApp.body).toMatchObject({ ok: false, status: 400, details: { kind: 'meta', errcode: 100 } });
    expect(otherApp.body.message).toContain('Invalid appsecret_proof');
    expect(JSON.stringify(otherApp.body)).not.toContain(fm.pageToken);
  });
});

describe('webhook verification and signatures', () => {
  const verify = (q: Record<string, string>, channel = 'messenger') => stack.app.inject({ method: 'GET', url: `/api/v1/hooks/${stack.workspaceId}/${channel}?${new URLSearchParams(q)}`, headers: { authorization: '' } });

  it('answers hub.challenge as plain text when the verify token matches, else 403', async () => {
    const ok = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1158201444' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('text/plain');
    expect(ok.body).toBe('1158201444');
    const wrong = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': 'not-the-token', 'hub.challenge': '1' });
    expect(wrong.statusCode).toBe(403);
    expect(JSON.parse(wrong.body)).toMatchObject({ error: 'verify_token_mismatch' });
    expect((await verify({ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1' })).statusCode).toBe(403);
  });

  it('a missing, forged or wrong-key signature is 401 and nothing is stored', async () => {
    const psid = userId();
    const raw = JSON.stringify(fm.messengerMessage(psid, 'hello').payload);
    const missing = await post('messenger', raw);
    expect(missing.statusCode).toBe(401);
    expect(JSON.parse(missing.body).message).toContain('x-hub-signature-256 is missing');
    const forged = await post('messenger', raw, `sha256=${'0'.repeat(64)}`);
    expect(forged.statusCode).toBe(401);
    expect(JSON.parse(forged.body).message).toContain('App Secret');
    expect((await post('messenger', raw, fm.sign(raw, 'f'.repeat(32)))).statusCode).toBe(401);
    // The bytes are signed: a changed body with the old signature is refused too.
    expect((await post('messenger', raw.replace('hello', 'hellO'), fm.sign(raw))).statusCode).toBe(401);
    expect(await eventsOf(psid)).toEqual([]);
    expect(await findContactByIdentity(stack.store, stack.workspaceId, { channel: 'messenger', handle: psid })).toBeNull();
  });

  it('a signed delivery replayed after Meta stops redelivering (36 h; WhatsApp 7 days) is 401 and stores nothing; a late one inside is taken', async () => {
    const HOUR = 3_600_000;
    const aged = (payload: any, ms: number) => {
      const at = Date.now() - ms;
      for (const e of payload.entry) {
        if (e.time) e.time = at;
        for (const m of e.messaging ?? []) m.timestamp = at;
        for (const c of e.changes ?? []) for (const m of c.value.messages ?? []) m.timestamp = String(Math.floor(at / 1000));
      }
      return JSON.stringify(payload);
    };
    const old = fm.messengerMessage(userId(), 'hello from last week');
    const replay = await post('messenger', aged(old.payload, 37 * HOUR), '');
    expect(replay.statusCode).toBe(401); // unsigned first: the signature is checked before the age
    const raw = aged(old.payload, 37 * HOUR);
    const refused = await post('messenger', raw, fm.sign(raw));
    expect(refused.statusCode, refused.body).toBe(401);
    expect(JSON.parse(refused.body).message).toMatch(/37 hours old, past the 36 hours Messenger redelivers for: a replayed delivery is refused/);
    const zh = await stack.app.inject({ method: 'POST', url: `/api/v1/hooks/${stack.workspaceId}/messenger`, payload: raw, headers: { authorization: '', 'accept-language': 'zh-CN', 'content-type': 'application/json', 'x-hub-signature-256': fm.sign(raw) } });
    expect(zh.json().message).toContain('重放的投递将被拒绝');
    const psid = old.payload.entry[0].messaging[0].sender.id;
    expect(await eventsOf(psid)).toEqual([]);
    expect(await findContactByIdentity(stack.store, stack.workspaceId, { channel: 'messenger', handle: psid })).toBeNull();

    // A redelivery Meta may still make (our endpoint was down for a day) is ingested.
    const late = fm.messengerMessage(userId(), 'sent yesterday');
    const lateRaw = aged(late.payload, 30 * HOUR);
    expect((await post('messenger', lateRaw, fm.sign(lateRaw))).statusCode).toBe(200);
    expect(await eventually(async () => (await eventsOf(late.payload.entry[0].messaging[0].sender.id)).length || undefined)).toBe(1);

    // WhatsApp redelivers for 7 days: 6 days old is taken, 8 days old is a replay.
    const waOld = fm.whatsappMessage(phone(), 'eight days ago');
    const waRaw = aged(waOld.payload, 8 * 24 * HOUR);
    expect((await post('whatsapp', waRaw, fm.sign(waRaw))).statusCode).toBe(401);
    expect(await eventsOf(waOld.payload.entry[0].changes[0].value.messages[0].from)).toEqual([]);
    const waLate = fm.whatsappMessage(phone(), 'six days ago');
    const waLateRaw = aged(waLate.payload, 6 * 24 * HOUR);
    expect((await post('whatsapp', waLateRaw, fm.sign(waLateRaw))).statusCode).toBe(200);
  });
});

describe('Messenger', () => {
  it('a message starts a journey whose reply reaches the same PSID with messaging_type RESPONSE; a redelivery is ingested once', async () => {
    const psid = userId();
    fm.profiles[psid] = { name: 'Mia Chen', first_name: 'Mia', last_name: 'Chen', profile_pic: 'https://cdn.example/mia.jpg' };
    const { payload, mid } = fm.messengerMessage(psid, 'Do you open on Sundays?');
    await deliver('messenger', payload, { redeliver: true });
    const contact = await contactOf('messenger', psid);
    const run = await finishedRun(contact._id, replyJourney);
    const reply = run.steps.find((s) => s.nodeId === 'reply');
    expect(reply).toMatchObject({ port: 'sent' });
    const events = await eventsOf(psid);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'social.dm', text: 'Do you open on Sundays?', data: { platform: 'messenger', mid, accountId: fm.pageId } });
    expect(await stack.store.enrollments.countDocuments({ contactId: contact._id, journeyId: replyJourney })).toBe(1);
    const sent = fm.sent.filter((s) => s.body.recipient?.id === psid);
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toEqual({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Thanks friend, we got: Do you open on Sundays?' } });
    // Meta's message id is the send's provider id, which delivery webhooks name.
    const row = (await stack.store.outbox.findOne({ contactId: contact._id, nodeId: 'reply' }))!;
    expect(row.result).toMatchObject({ providerId: sent[0].id });
    await deliver('messenger', fm.messengerDelivery(psid, [sent[0].id]));
    const delivered = await eventually(async () => (await eventsOf(psid)).find((e) => e.type === 'message.delivered'));
    expect(delivered.data).toMatchObject({ providerId: sent[0].id, outboxId: row._id, nodeId: 'reply' });

    const profile = await workspaceChannelsAdapter(stack.store).fetchProfile!(stack.workspaceId, 'messenger', psid);
    expect(profile).toEqual({ handle: psid, name: 'Mia Chen', avatarUrl: 'https://cdn.example/mia.jpg' });
    expect(fm.requests.at(-1)).toMatchObject({ path: `/v21.0/${psid}`, query: { fields: 'name,first_name,last_name,profile_pic' } });
  });

  it('outside the 24-hour window a DM takes the blocked port before anything is sent; a rate limit is repeated', async () => {
    const psid = userId();
    const raw = { id: `cart-${psid}`, type: 'cart.abandoned', channel: 'messenger', handle: psid, occurredAt: new Date().toISOString() };
    const calls = fm.requests.length;
    expect((await call(stack.app, 'POST', '/api/v1/events', raw)).status).toBe(200);
    const contact = await contactOf('messenger', psid);
    const run = await finishedRun(contact._id, blockedJourney);
    const dm = run.steps.find((s) => s.nodeId === 'dm');
    expect(dm).toMatchObject({ port: 'blocked', output: { reason: 'outside_24h_window' } });
    expect(dm.output.message).toContain('24 hours');
    expect(dm.output.message).toContain('24 小时');
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'blocked', port: 'next' });
    expect(fm.requests.slice(calls).filter((r) => r.body?.recipient?.id === psid)).toEqual([]);

    // Inside the window, a rate limit (code 4) is repeated with back-off and the message goes out once.
    const cfg = { store: stack.store, workspaceId: stack.workspaceId, channel: 'messenger', settings: { kind: 'meta', platform: 'messenger', verifyToken: VERIFY, pageId: fm.pageId, apiBaseUrl: fm.url } as MetaChannelSettings, accessToken: fm.pageToken, appSecret: fm.appSecret };
    const { payload } = fm.messengerMessage(psid, 'hi again');
    await deliver('messenger', payload);
    // The journey answers 'hi again' first: the rate limit is then this call's.
    await eventually(async () => fm.sent.some((s) => s.body.recipient?.id === psid));
    fm.rateLimitOnce(4);
    const out = await metaSend(cfg, { channel: 'messenger', to: psid, kind: 'dm', text: 'after the limit' }, `${stack.workspaceId}|rate-${psid}`);
    expect(out.providerId).toMatch(/^m_/);
    expect(fm.requests.filter((r) => r.body?.message?.text === 'after the limit')).toHaveLength(2);
    expect(fm.sent.filter((s) => s.body.message?.text === 'after the limit')).toHaveLength(1);
    // A tag configured on the channel answers after 24 hours (the fake enforces HUMAN_AGENT's 7 days).
    fm.lastInbound(psid, 3 * 24 * H);
    const tagged = await metaSend({ ...cfg, settings: { ...cfg.settings, messageTag: 'HUMAN_AGENT' } }, { channel: 'messenger', to: psid, kind: 'dm', text: 'an agent here' }, `${stack.workspaceId}|tag-${psid}`, new Date(Date.now() + 3 * 24 * H));
    expect(tagged.providerId).toMatch(/^m_/);
    expect(fm.sent.at(-1)!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('an expired token is a clear error on the step, not retried', async () => {
    const psid = userId();
    const cfg = { store: stack.store, workspaceId: stack.workspaceId, channel: 'messenger', settings: { kind: 'meta', platform: 'messenger', verifyToken: VERIFY, pageId: fm.pageId, apiBaseUrl: fm.url } as MetaChannelSettings, accessToken: fm.pageToken, appSecret: fm.appSecret };
    const { payload } = fm.messengerMessage(psid, 'x');
    await deliver('messenger', payload);
    await eventually(async () => (await eventsOf(psid)).length > 0);
    const contact = await contactOf('messenger', psid);
    await finishedRun(contact._id, replyJourney);
    fm.expireToken(fm.pageToken);
    try {
      const calls = fm.requests.length;
      const err = await metaSend(cfg, { channel: 'messenger', to: psid, kind: 'dm', text: 'hello' }, `${stack.workspaceId}|expired-${psid}`).catch((e: Error) => e);
      expect(err).toMatchObject({ name: 'NodeError', code: 'meta_token_invalid', params: { code: 190, subcode: 463 } });
      expect((err as Error).message).toContain('access token expired or invalid');
      expect((err as Error).message).toContain('Session has expired');
      expect(fm.requests.length).toBe(calls + 1); // not repeated
      const test = await call(stack.app, 'POST', '/api/v1/channels/messenger/test');
      expect(test.body).toMatchObject({ ok: false, details: { errcode: 190, subcode: 463 } });
    } finally {
      // The page token is shared by later tests.
      fm.reviveToken(fm.pageToken);
    }
  });
});

describe('Instagram', () => {
  it('a comment gets a public reply on the same comment', async () => {
    const igsid = userId();
    const { payload, commentId } = fm.instagramComment(igsid, 'Love this latte art!');
    await deliver('instagram', payload, { redeliver: true });
    const contact = await contactOf('instagram', igsid);
    const run = await finishedRun(contact._id, commentJourney);
    expect(run.steps.find((s) => s.nodeId === 'reply')).toMatchObject({ port: 'sent' });
    const events = await eventsOf(igsid);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'social.comment', threadId: commentId, data: { commentId, mediaId: '18172143295349192', username: 'coffee.lover' } });
    const replies = fm.sent.filter((s) => s.path === `/v21.0/${commentId}/replies`);
    expect(replies).toEqual([{ path: `/v21.0/${commentId}/replies`, body: { message: 'Thank you for the comment!' }, id: expect.any(String) }]);
  });
});

describe('Instagram private replies', () => {
  const igCfg = () => ({ store: stack.store, workspaceId: stack.workspaceId, channel: 'instagram', settings: { kind: 'meta', platform: 'instagram', verifyToken: VERIFY, pageId: fm.igAccountId, apiBaseUrl: fm.url } as MetaChannelSettings, accessToken: fm.pageToken, appSecret: fm.appSecret });
  const privateSends = (commentId: string) => fm.sent.filter((s) => s.body.recipient?.comment_id === commentId);

  it('a DM answering a comment of someone who never wrote goes out as its private reply, once per comment', async () => {
    const igsid = userId();
    const { payload, commentId } = fm.instagramComment(igsid, 'INFO please, how do you make this?');
    await deliver('instagram', payload);
    const contact = await contactOf('instagram', igsid);
    const run = await finishedRun(contact._id, privateReplyJourney);
    expect(run.steps.find((s) => s.nodeId === 'dm')).toMatchObject({ port: 'sent' });
    expect(privateSends(commentId).map((s) => s.body)).toEqual([{ recipient: { comment_id: commentId }, message: { text: 'Here is the link you asked for: https://example.com/latte' } }]);

    // A second DM answering the same comment is refused before any call: Meta allows one.
    const before = fm.requests.length;
    const second = await metaSend(igCfg(), { channel: 'instagram', to: igsid, kind: 'dm', text: 'and one more thing', respondsTo: commentId }, `${stack.workspaceId}|second-${igsid}`).catch((e) => e);
    expect(second).toMatchObject({ code: 'private_reply_used' });
    expect(String(second.message)).toContain('Meta allows one per comment');
    expect(fm.requests.length).toBe(before);
    // Once the person writes back, the usual 24-hour window applies to further DMs.
    const { payload: dm } = fm.messengerMessage(igsid, 'thanks!', { platform: 'instagram' });
    await deliver('instagram', dm);
    await eventually(async () => (await eventsOf(igsid)).some((e) => e.type === 'social.dm') || undefined);
    const after = await metaSend(igCfg(), { channel: 'instagram', to: igsid, kind: 'dm', text: 'you are welcome', respondsTo: commentId }, `${stack.workspaceId}|third-${igsid}`);
    expect(after.providerId).toMatch(/^m_/);
    expect(fm.sent.at(-1)!.body).toMatchObject({ recipient: { id: igsid }, messaging_type: 'RESPONSE' });
  });

  it('past 7 days after the comment the DM takes the blocked port with the reason, before any call', async () => {
    const igsid = userId();
    const { payload, commentId } = fm.instagramComment(igsid, 'nice photo', { msAgo: 30 * H });
    await deliver('instagram', payload);
    await eventually(async () => (await eventsOf(igsid)).length || undefined);
    const before = fm.requests.length;
    const late = await metaSend(igCfg(), { channel: 'instagram', to: igsid, kind: 'dm', text: 'a week later', respondsTo: commentId }, `${stack.workspaceId}|late-${igsid}`, new Date(Date.now() + 7 * 24 * H)).catch((e) => e);
    expect(late).toMatchObject({ code: 'private_reply_window' });
    expect(fm.requests.length).toBe(before);
    // Still inside (30 hours old): it goes out, and an unrelated DM to a non-commenter stays blocked by the window.
    const inside = await metaSend(igCfg(), { channel: 'instagram', to: igsid, kind: 'dm', text: 'a day later', respondsTo: commentId }, `${stack.workspaceId}|inside-${igsid}`);
    expect(inside.providerId).toMatch(/^m_/);
    expect(privateSends(commentId)).toHaveLength(1);
    const stranger = await metaSend(igCfg(), { channel: 'instagram', to: userId(), kind: 'dm', text: 'hello', respondsTo: commentId }, `${stack.workspaceId}|stranger-${igsid}`).catch((e) => e);
    expect(stranger).toMatchObject({ code: 'outside_24h_window' });
  });
});

describe('WhatsApp', () => {
  it('a message is answered inside the window with the name from the webhook; its status becomes message.delivered', async () => {
    const waId = `1555${userId().slice(-8)}`;
    const { payload, wamid } = fm.whatsappMessage(waId, 'Is my order ready?', { name: 'Ana Souza' });
    await deliver('whatsapp', payload, { redeliver: true });
    const contact = await contactOf('whatsapp', waId);
    const run = await finishedRun(contact._id, replyJourney);
    expect(run.steps.find((s) => s.nodeId === 'reply')).toMatchObject({ port: 'sent' });
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.profile.name).toBe('Ana Souza');
    expect(await eventsOf(waId)).toEqual([expect.objectContaining({ type: 'social.dm', data: expect.objectContaining({ waMessageId: wamid, profileName: 'Ana Souza', phoneNumberId: fm.phoneNumberId }) })]);
    const sent = fm.sent.filter((s) => s.body.to === waId);
    expect(sent.map((s) => s.body)).toEqual([{ messaging_product: 'whatsapp', recipient_type: 'individual', to: waId, type: 'text', text: { preview_url: false, body: 'Thanks Ana Souza, we got: Is my order ready?' } }]);
    const row = (await stack.store.outbox.findOne({ contactId: contact._id, nodeId: 'reply' }))!;
    expect(row.result).toMatchObject({ providerId: sent[0].id });

    await deliver('whatsapp', fm.whatsappStatus(waId, sent[0].id, 'delivered'), { redeliver: true });
    await deliver('whatsapp', fm.whatsappStatus(waId, sent[0].id, 'sent'));
    const delivered = await eventually(async () => (await eventsOf(waId)).filter((e) => e.type === 'message.delivered'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0].data).toMatchObject({ providerId: sent[0].id, outboxId: row._id, enrollmentId: run.id, journeyId: replyJourney, nodeId: 'reply' });
    expect((await stack.store.outbox.findOne({ _id: row._id }))!.result).toMatchObject({ delivery: { status: 'delivered' } });
    expect(await workspaceChannelsAdapter(stack.store).fetchProfile!(stack.workspaceId, 'whatsapp', waId)).toEqual({ handle: waId, name: 'Ana Souza' });
  });

  it('outside the 24-hour window the reply falls back to a template message; without a fallback it is blocked', async () => {
    const waId = `1556${userId().slice(-8)}`;
    const { payload } = fm.whatsappMessage(waId, 'hello', { name: 'Bo' });
    await deliver('whatsapp', payload);
    const contact = await contactOf('whatsapp', waId);
    await finishedRun(contact._id, replyJourney);
    // Two days later (the customer has not written since), an order ships.
    fm.lastInbound(waId, 48 * H);
    await stack.store.interactions.updateMany({ workspaceId: stack.workspaceId, handle: waId, type: 'social.dm' }, { $set: { occurredAt: new Date(Date.now() - 48 * H) } });
    const shipped = { id: `ship-${waId}`, type: 'order.shipped', channel: 'whatsapp', handle: waId, data: { order: 'A-42' }, occurredAt: new Date().toISOString() };
    expect((await call(stack.app, 'POST', '/api/v1/events', shipped)).status).toBe(200);
    const run = await finishedRun(contact._id, templateJourney);
    const notify = run.steps.find((s) => s.nodeId === 'notify');
    expect(notify).toMatchObject({ port: 'sent', output: { fallback: { mode: 'template', reason: 'outside_24h_window', status: 'sent' } } });
    const templates = fm.sent.filter((s) => s.body.to === waId && s.body.type === 'template');
    expect(templates.map((s) => s.body.template)).toEqual([{ name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Bo' }, { type: 'text', text: 'A-42' }] }] }]);
    expect(fm.sent.filter((s) => s.body.to === waId && s.body.type === 'text')).toHaveLength(1); // the first reply only

    const cart = { id: `cart-${waId}`, type: 'cart.abandoned', channel: 'whatsapp', handle: waId, occurredAt: new Date().toISOString() };
    expect((await call(stack.app, 'POST', '/api/v1/events', cart)).status).toBe(200);
    const blocked = await finishedRun(contact._id, blockedJourney);
    const dm = blocked.steps.find((s) => s.nodeId === 'dm');
    expect(dm).toMatchObject({ port: 'blocked', output: { reason: 'outside_24h_window' } });
    expect(dm.output.message).toContain('template');
    expect((await stack.store.outbox.findOne({ contactId: contact._id, nodeId: 'dm' }))).toMatchObject({ status: 'failed', result: { blocked: true, reason: 'outside_24h_window' } });
  });

  it('a template fallback goes out in the node\'s template language; a language the template lacks fails in words (132001)', async () => {
    const waId = `1558${userId().slice(-8)}`;
    const { payload } = fm.whatsappMessage(waId, '你好', { name: '王芳' });
    await deliver('whatsapp', payload);
    const contact = await contactOf('whatsapp', waId);
    await finishedRun(contact._id, replyJourney);
    fm.lastInbound(waId, 48 * H);
    await stack.store.interactions.updateMany({ workspaceId: stack.workspaceId, handle: waId, type: 'social.dm' }, { $set: { occurredAt: new Date(Date.now() - 48 * H) } });
    const journey = (language: string) => publishJourney(stack.app, {
      name: `WhatsApp order update ${language}`,
      nodes: [
        { id: 'shipped', type: 'trigger.event', version: 1, config: { eventTypes: [`order.shipped.${language.toLowerCase()}`], channels: ['whatsapp'] } },
        { id: 'notify', type: 'response.reply', version: 1, config: { mode: 'dm', message: '您的订单已发货', fallback: { mode: 'template', templateId: 'order_update', templateLanguage: language, templateData: { 1: '{{contact.profile.name | "客户"}}', 2: '{{event.data.order}}' } } } },
      ],
      edges: [{ from: 'shipped', port: 'next', to: 'notify' }],
      settings: { reentry: 'always' },
    });
    const zhJourney = await journey('zh_CN');
    const frJourney = await journey('fr');
    for (const language of ['zh_CN', 'fr']) {
      const ev = { id: `ship-${language}-${waId}`, type: `order.shipped.${language.toLowerCase()}`, channel: 'whatsapp', handle: waId, data: { order: 'B-7' }, occurredAt: new Date().toISOString() };
      expect((await call(stack.app, 'POST', '/api/v1/events', ev)).status).toBe(200);
    }
    const zhRun = await finishedRun(contact._id, zhJourney);
    expect(zhRun.steps.find((s) => s.nodeId === 'notify')).toMatchObject({ port: 'sent', output: { fallback: { mode: 'template', status: 'sent' } } });
    expect(fm.sent.filter((s) => s.body.to === waId && s.body.type === 'template').map((s) => s.body.template)).toEqual([
      { name: 'order_update', language: { code: 'zh_CN' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '王芳' }, { type: 'text', text: 'B-7' }] }] },
    ]);
    const frRun = await finishedRun(contact._id, frJourney);
    const fr = frRun.steps.find((s) => s.nodeId === 'notify');
    expect(fr.outcome).toBe('error');
    expect(fr.error.message).toContain('132001');
    expect(fr.error.message).toContain('the template does not exist in this language');
    // An invalid language code is refused when the journey is saved, naming the field.
    const bad = await call(stack.app, 'POST', '/api/v1/journeys', {
      name: 'bad language', nodes: [{ id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['x'] } }, { id: 'r', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'hi', fallback: { mode: 'template', templateId: 'order_update', templateLanguage: 'Chinese' } } }],
      edges: [{ from: 't', port: 'next', to: 'r' }],
    });
    expect(JSON.stringify(bad.body)).toContain('templateLanguage');
  });

  it('Meta\'s own window refusal (131047) is the blocked path too, even if our record says the window is open', async () => {
    const waId = `1557${userId().slice(-8)}`;
    const { payload } = fm.whatsappMessage(waId, 'hi');
    await deliver('whatsapp', payload);
    await contactOf('whatsapp', waId);
    fm.lastInbound(waId, 30 * H);
    const cfg = { store: stack.store, workspaceId: stack.workspaceId, channel: 'whatsapp', settings: { kind: 'meta', platform: 'whatsapp', verifyToken: VERIFY, phoneNumberId: fm.phoneNumberId, apiBaseUrl: fm.url } as MetaChannelSettings, accessToken: fm.whatsappToken, appSecret: fm.appSecret };
    const err = await metaSend(cfg, { channel: 'whatsapp', to: waId, kind: 'dm', text: 'late' }, `${stack.workspaceId}|late-${waId}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendBlockedError);
    expect(err).toMatchObject({ code: 'outside_24h_window' });
    // A rate limit (130429) is repeated, then the template goes out.
    fm.rateLimitOnce(130429);
    const sent = await metaSend(cfg, { channel: 'whatsapp', to: waId, kind: 'dm', text: '', data: { wechatTemplate: { templateId: 'welcome_back', data: {} } } }, `${stack.workspaceId}|tpl-${waId}`);
    expect(sent.providerId).toMatch(/^wamid\./);
  });
});
