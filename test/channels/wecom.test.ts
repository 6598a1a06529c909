/**
 * A WeCom customer-contact channel (企业微信 · 客户联系) end to end, on the real stack (Temporal + FerretDB + worker)
 * and a fake WeCom API on 127.0.0.1 (test/helpers/fake-wecom.ts), whose callbacks are signed and encrypted as WeCom
 * documents it: the URL verification; an add_external_contact callback that tags the contact with its channel-QR
 * state and starts a journey whose reply is the welcome message (with the event's welcome code); WeCom's redelivery
 * ingested once; forged, tampered, stale and replayed callbacks refused with 401 and nothing stored; the one-a-day
 * mass message rule taking the reply node's `blocked` port; tags both ways; the access_token refreshed once when it
 * expired; the profile; connecting and testing the channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { workspaceChannelsAdapter } from '../../core/channels/workspace-adapter';
import { wecomSend } from '../../core/channels/wecom/adapter';
import { clearWecomTokens, wecomClientOptions } from '../../core/channels/wecom/client';
import { getChannelConfig, type WecomChannelSettings } from '../../core/store/channel-configs';
import { findContactByIdentity } from '../../core/store/contacts';
import { SendBlockedError } from '../../nodes/contract';
import { call, publishJourney } from '../helpers/api';
import { startFakeWecom, type FakeWecom } from '../helpers/fake-wecom';
import type { Delivery } from '../helpers/fake-wechat';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let wc: FakeWecom;
let seq = 0;
const customer = (name: string) => `wm${name}${Date.now().toString(36)}${seq++}`.slice(0, 32);
const now = () => Math.floor(Date.now() / 1000);

let welcomeJourney: string;
let massJourney: string;

beforeAll(async () => {
  wc = await startFakeWecom();
  wecomClientOptions.busyBackoffMs = [50, 50, 50];
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
  const put = await call(stack.app, 'PUT', '/api/v1/channels/wecom', {
    settings: { kind: 'wecom', corpId: wc.corpId, apiBaseUrl: wc.url }, token: wc.secret, webhookSecret: wc.token, encodingAesKey: wc.aesKey,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  expect(put.body).toMatchObject({ hasToken: true, hasWebhookSecret: true, hasEncodingAesKey: true });

  // A new customer: those who scanned the spring-fair QR code get their own welcome; every refusal is tagged.
  welcomeJourney = await publishJourney(stack.app, {
    name: 'WeCom welcome',
    nodes: [
      { id: 'added', type: 'trigger.event', version: 1, config: { eventTypes: ['wecom.contact_added'], channels: ['wecom'] } },
      { id: 'fair', type: 'filter.condition', version: 1, config: { conditions: { groups: [{ rules: [{ field: 'contact.tags', op: 'includes', value: 'source:spring-fair' }] }] } } },
      { id: 'welcomeFair', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Welcome, fair visitor! (via {{event.data.staff}})' } },
      { id: 'welcome', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Welcome!' } },
      { id: 'blocked', type: 'response.update-contact', version: 1, config: { addTags: ['welcome-blocked'] } },
    ],
    edges: [
      { from: 'added', port: 'next', to: 'fair' },
      { from: 'fair', port: 'yes', to: 'welcomeFair' },
      { from: 'fair', port: 'no', to: 'welcome' },
      { from: 'welcomeFair', port: 'blocked', to: 'blocked' },
      { from: 'welcome', port: 'blocked', to: 'blocked' },
    ],
    settings: { reentry: 'always' },
  });
  // A customer's record edited by staff: a (mass) message, which WeCom allows once a day.
  massJourney = await publishJourney(stack.app, {
    name: 'WeCom follow-up',
    nodes: [
      { id: 'edited', type: 'trigger.event', version: 1, config: { eventTypes: ['wecom.contact_edited'], channels: ['wecom'], conditions: { groups: [{ rules: [{ field: 'event.data.staff', op: 'eq', value: 'sales-mass' }] }] } } },
      { id: 'news', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Our spring offer is here' } },
      { id: 'blocked', type: 'response.update-contact', version: 1, config: { addTags: ['mass-blocked'] } },
    ],
    edges: [{ from: 'edited', port: 'next', to: 'news' }, { from: 'news', port: 'blocked', to: 'blocked' }],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await stack?.close();
  await wc?.close();
});

// What WeCom sends: no credentials, the signature in the query, XML in the body.
const hook = (d: Delivery, method: 'GET' | 'POST' = 'POST', lang = 'en', channel = 'wecom') => stack.app.inject({
  method, url: `/api/v1/hooks/${stack.workspaceId}/${channel}?${new URLSearchParams(d.query)}`,
  payload: method === 'POST' ? d.body : undefined,
  headers: { authorization: '', 'accept-language': lang, ...(method === 'POST' ? { 'content-type': 'text/xml' } : {}) },
});
const send = (d: Delivery) => hook(d).then((r) => ({ statusCode: r.statusCode, body: r.body }));
async function deliver(xml: string) {
  const [res] = await wc.push(xml, send);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.body).toBe('success');
}
const interactionsOf = (handle: string) => stack.store.interactions.find({ workspaceId: stack.workspaceId, handle }).toArray();
const contactOf = (handle: string) => eventually(() => findContactByIdentity(stack.store, stack.workspaceId, { channel: 'wecom', handle }));

type Run = { id: string; journeyId: string; triggerEventId: string; status: string; steps: any[] };
async function finishedRuns(contactId: string, which: (r: Run) => boolean, count = 1): Promise<Run[]> {
  return eventually(async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    const done = (r.body.enrollments as Run[]).filter((e) => e.status !== 'active' && which(e));
    return done.length >= count ? done : undefined;
  });
}

describe('connecting a WeCom channel', () => {
  it('validates the settings and secrets with field-named 400s in both languages, and never returns a secret', async () => {
    const settings = { kind: 'wecom', corpId: wc.corpId, apiBaseUrl: wc.url };
    const put = (body: unknown, lang = 'en') => call(stack.app, 'PUT', '/api/v1/channels/wecom-check', body, { 'accept-language': lang });
    const badCorp = await put({ settings: { ...settings, corpId: 'not-a-corp' }, token: 's', webhookSecret: 'abc', encodingAesKey: wc.aesKey });
    expect(badCorp.status).toBe(400);
    expect(badCorp.body.message).toContain('body/settings/corpId');
    const badToken = await put({ settings, token: 's', webhookSecret: 'not letters!', encodingAesKey: wc.aesKey });
    expect(badToken.status).toBe(400);
    expect(badToken.body.fields[0].field).toBe('body/webhookSecret');
    const missing = await put({ settings });
    expect(missing.status).toBe(400);
    expect(missing.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body/encodingAesKey', 'body/token', 'body/webhookSecret']);
    const zh = await put({ settings, token: 's', webhookSecret: 'abc123' }, 'zh-CN');
    expect(zh.body.message).toContain('为必填项');
    expect(zh.body.message).toContain('EncodingAESKey');
    const badKey = await put({ settings, token: 's', webhookSecret: 'abc123', encodingAesKey: 'short' });
    expect(badKey.body.message).toContain('body/encodingAesKey');
    const internal = await put({ settings: { ...settings, apiBaseUrl: 'http://10.0.0.8' }, token: 's', webhookSecret: 'abc123', encodingAesKey: wc.aesKey });
    expect(internal.status).toBe(400);
    expect(internal.body.fields[0]).toMatchObject({ field: 'body/settings/apiBaseUrl', code: 'destination_refused' });

    const ok = await put({ settings, token: 'contact-secret-xyz', webhookSecret: 'abc123', encodingAesKey: wc.aesKey });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ channel: 'wecom-check', settings, hasToken: true, hasWebhookSecret: true, hasEncodingAesKey: true });
    // Stored secrets are kept when left out…
    expect((await put({ settings })).status).toBe(200);
    // …but never carried over to another platform: the Secret and the callback Token are WeCom's.
    const toHttp = await put({ settings: { kind: 'http', baseUrl: 'https://api.example.com' } });
    expect(toHttp.status).toBe(400);
    expect(toHttp.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body/token', 'body/webhookSecret']);

    const list = JSON.stringify((await call(stack.app, 'GET', '/api/v1/channels')).body);
    for (const secret of [wc.secret, wc.token, wc.aesKey, 'contact-secret-xyz']) expect(list).not.toContain(secret);
    expect(list).toContain('"kind":"wecom"');
    const stored = JSON.stringify(await stack.store.db.collection('credentials').find({}).toArray());
    for (const secret of [wc.secret, wc.token, wc.aesKey, 'contact-secret-xyz']) expect(stored).not.toContain(secret);
  });

  it('Test connection asks gettoken once and says what WeCom answered, secrets left out', async () => {
    clearWecomTokens();
    const before = wc.tokenCalls();
    const ok = await call(stack.app, 'POST', '/api/v1/channels/wecom/test', {}, { 'accept-language': 'zh-CN' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, status: 200, details: { kind: 'wecom', expiresInS: expect.any(Number) } });
    expect(ok.body.message).toContain('企业微信已接受');
    expect(wc.tokenCalls()).toBe(before + 1);
    const last = wc.requests.filter((r) => r.path === '/cgi-bin/gettoken').at(-1)!;
    expect(last.query).toEqual({ corpid: wc.corpId, corpsecret: wc.secret });

    await call(stack.app, 'PUT', '/api/v1/channels/wecom-wrong', { settings: { kind: 'wecom', corpId: wc.corpId, apiBaseUrl: wc.url }, token: 'wrong-secret', webhookSecret: 'abc123', encodingAesKey: wc.aesKey });
    const wrong = await call(stack.app, 'POST', '/api/v1/channels/wecom-wrong/test');
    expect(wrong.body).toMatchObject({ ok: false, details: { kind: 'wecom', errcode: 40001 } });
    expect(wrong.body.message).toContain('errcode 40001');
    expect(JSON.stringify(wrong.body)).not.toContain('wrong-secret');
    expect(JSON.stringify(wrong.body)).not.toContain('invalid credential'); // WeCom's errmsg is never passed on
  });
});

describe('callback URL verification (GET)', () => {
  it('answers the decrypted echostr when msg_signature is right', async () => {
    const v = wc.verification();
    const res = await hook({ query: v.query, body: '' }, 'GET');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe(v.plain);
  });

  it('refuses a wrong signature, another CorpID or a stale timestamp with 401, in both languages', async () => {
    const v = wc.verification();
    const forged = await hook({ query: { ...v.query, msg_signature: '0'.repeat(40) }, body: '' }, 'GET', 'zh-CN');
    expect(forged.statusCode).toBe(401);
    expect(JSON.parse(forged.body).message).toContain('企业微信回调 Token');
    const other = wc.verification({ corpId: 'ww9999999999999999' });
    const wrongCorp = await hook({ query: other.query, body: '' }, 'GET');
    expect(wrongCorp.statusCode).toBe(401);
    expect(JSON.parse(wrongCorp.body).message).toContain('another CorpID');
    const stale = wc.verification({ timestamp: now() - 400 });
    expect((await hook({ query: stale.query, body: '' }, 'GET')).statusCode).toBe(401);
  });
});

describe('a customer is added', () => {
  it('the channel-QR state tags the contact before the journey runs, whose reply is the welcome message with the welcome code', async () => {
    const id = customer('Fair');
    const { xml, welcomeCode } = wc.customerAdded(id, { staff: 'sales-lily', state: 'spring-fair', name: '王小明' });
    // WeCom got no answer in time and posts again (signed afresh): both answered, ingested once.
    const answers = await wc.push(xml, send, { redeliver: true });
    expect(answers).toEqual([{ statusCode: 200, body: 'success' }, { statusCode: 200, body: 'success' }]);

    const contact = await contactOf(id);
    const events = (await interactionsOf(id)).filter((e) => e.kind === 'event');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'wecom.contact_added', channel: 'wecom', data: { staff: 'sales-lily', state: 'spring-fair', welcomeCode, changeType: 'add_external_contact' } });
    const stored = (await stack.store.contacts.findOne({ _id: contact._id }))!;
    expect(stored.tags).toContain('source:spring-fair');
    expect(stored.profile.source).toBe('spring-fair');

    const [run] = await finishedRuns(contact._id, (r) => r.journeyId === welcomeJourney);
    expect(run.steps.map((s) => [s.nodeId, s.port])).toEqual([['added', 'next'], ['fair', 'yes'], ['welcomeFair', 'sent']]);
    expect(wc.welcomeMessages().filter((m) => m.externalUserId === id)).toEqual([
      { welcome_code: welcomeCode, text: { content: 'Welcome, fair visitor! (via sales-lily)' }, externalUserId: id, staff: 'sales-lily' },
    ]);
    expect(await stack.store.enrollments.countDocuments({ contactId: contact._id, journeyId: welcomeJourney })).toBe(1);

    // The timeline says the tag came from WeCom.
    const timeline = await call(stack.app, 'GET', `/api/v1/contacts/${contact._id}/timeline`);
    expect((timeline.body.items as any[]).find((i) => i.type === 'contact.tags')).toMatchObject({ data: { add: ['source:spring-fair'], source: 'spring-fair', by: { kind: 'platform', name: 'WeCom' } } });
  });

  it('without a state the other branch answers; a later add through another QR code keeps the first source', async () => {
    const id = customer('Plain');
    await deliver(wc.customerAdded(id, { staff: 'sales-bo' }).xml);
    const contact = await contactOf(id);
    const [run] = await finishedRuns(contact._id, (r) => r.journeyId === welcomeJourney);
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'welcome', port: 'sent' });
    expect(wc.welcomeMessages().find((m) => m.externalUserId === id)).toMatchObject({ text: { content: 'Welcome!' } });
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.tags.filter((t) => t.startsWith('source:'))).toEqual([]);

    await deliver(wc.customerAdded(id, { staff: 'sales-lily', state: 'store-42', at: now() + 1 }).xml);
    await deliver(wc.customerAdded(id, { staff: 'sales-bo', state: 'spring-fair', at: now() + 2 }).xml);
    const after = (await stack.store.contacts.findOne({ _id: contact._id }))!;
    expect(after.tags).toEqual(expect.arrayContaining(['source:store-42', 'source:spring-fair']));
    expect(after.profile.source).toBe('store-42');
  });

  it('no welcome code (a console welcome is configured) takes the blocked port with the reason', async () => {
    const id = customer('NoCode');
    await deliver(wc.customerAdded(id, { staff: 'sales-bo', welcomeCode: false }).xml);
    const contact = await contactOf(id);
    const [run] = await finishedRuns(contact._id, (r) => r.journeyId === welcomeJourney);
    const reply = run.steps.find((s) => s.nodeId === 'welcome');
    expect(reply).toMatchObject({ port: 'blocked', output: { status: 'blocked', reason: 'no_welcome_code' } });
    expect(reply.output.message).toContain('admin console');
    expect(reply.output.message).toContain('管理后台');
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'blocked', port: 'next' });
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.tags).toContain('welcome-blocked');
    expect(wc.welcomeMessages().filter((m) => m.externalUserId === id)).toEqual([]);
  });

  it('a welcome code is used once and only within 20 s: later answers are blocked before (or when) WeCom refuses', async () => {
    const id = customer('Late');
    await deliver(wc.customerAdded(id, { staff: 'sales-bo' }).xml);
    const contact = await contactOf(id);
    await finishedRuns(contact._id, (r) => r.journeyId === welcomeJourney);
    const event = (await interactionsOf(id)).find((e) => e.type === 'wecom.contact_added')!;
    const cfg = (await getChannelConfig(stack.store, stack.workspaceId, 'wecom'))!;
    const conn = { store: stack.store, workspaceId: stack.workspaceId, channel: 'wecom', settings: cfg.settings as WecomChannelSettings, secret: wc.secret };
    const message = { channel: 'wecom', to: id, kind: 'reply' as const, text: 'Hello again', inReplyTo: event.eventId };
    // The journey used the code: WeCom answers 41051.
    const used = await wecomSend(conn, message, `${stack.workspaceId}|late-1`).catch((e: unknown) => e);
    expect(used).toBeInstanceOf(SendBlockedError);
    expect(used).toMatchObject({ code: 'welcome_code_used', params: { errcode: 41051 } });
    // 21 s after the callback: refused here, WeCom is not asked.
    const calls = wc.requests.length;
    const late = await wecomSend(conn, message, `${stack.workspaceId}|late-2`, new Date(event.receivedAt.getTime() + 21_000)).catch((e: unknown) => e);
    expect(late).toMatchObject({ name: 'SendBlockedError', code: 'welcome_code_expired' });
    expect((late as Error).message).toContain('20 seconds');
    expect((late as Error).message).toContain('20 秒');
    expect(wc.requests.length).toBe(calls);
  });
});

describe('refused callbacks', () => {
  it('forged, tampered, for another corp, stale or replayed: 401 and nothing stored', async () => {
    const id = customer('Forged');
    const { xml } = wc.customerAdded(id, { staff: 'sales-bo', state: 'forged' });
    const wrongToken = wc.callback(xml, { token: 'notTheToken' });
    const otherCorp = wc.callback(xml, { corpId: 'ww9999999999999999' });
    const otherKey = wc.callback(xml, { aesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' });
    const stale = wc.callback(xml, { timestamp: now() - 301 });
    const good = wc.callback(xml);
    const tampered = { ...good, body: good.body.replace(/<Encrypt><!\[CDATA\[(.)/, (_m, c: string) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`) };
    for (const d of [wrongToken, otherCorp, otherKey, stale, tampered, { ...good, query: { ...good.query, msg_signature: '' } }]) {
      const res = await hook(d);
      expect(res.statusCode, res.body).toBe(401);
    }
    expect(await interactionsOf(id)).toEqual([]);
    expect(await findContactByIdentity(stack.store, stack.workspaceId, { channel: 'wecom', handle: id })).toBeNull();

    // The genuine delivery is taken once; the very same request again is a replay.
    expect((await hook(good)).statusCode).toBe(200);
    const contact = await contactOf(id);
    await finishedRuns(contact._id, (r) => r.journeyId === welcomeJourney);
    const snapshot = { interactions: await stack.store.interactions.countDocuments({ contactId: contact._id }), contact: await stack.store.contacts.findOne({ _id: contact._id }) };
    const replay = await hook(good, 'POST', 'zh-CN');
    expect(replay.statusCode).toBe(401);
    expect(JSON.parse(replay.body).message).toContain('重放');
    expect(await stack.store.interactions.countDocuments({ contactId: contact._id })).toBe(snapshot.interactions);
    expect(await stack.store.contacts.findOne({ _id: contact._id })).toEqual(snapshot.contact);
    expect(await stack.store.enrollments.countDocuments({ contactId: contact._id })).toBe(1);
  });

  it('a body that is not WeCom XML is a 400 naming the part, nothing stored', async () => {
    const id = customer('BadXml');
    const noUser = wc.contactChange(id, 'add_external_contact', {});
    const res = await hook(wc.callback(noUser));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('body/xml/UserID');
    expect(await interactionsOf(id)).toEqual([]);
    const notXml = await hook({ ...wc.callback(noUser), body: 'hello' });
    expect(notXml.statusCode).toBe(400);
  });
});

describe('mass messages: one a day per customer', () => {
  it('the second mass message the same day takes the blocked port with the reason; WeCom got one task', async () => {
    const id = customer('Mass');
    await deliver(wc.customerAdded(id, { staff: 'sales-mass' }).xml);
    const contact = await contactOf(id);
    await deliver(wc.contactChange(id, 'edit_external_contact', { staff: 'sales-mass', at: now() + 1 }));
    await deliver(wc.contactChange(id, 'edit_external_contact', { staff: 'sales-mass', at: now() + 2 }));
    const runs = await finishedRuns(contact._id, (r) => r.journeyId === massJourney, 2);
    const outcomes = runs.map((r) => r.steps.find((s) => s.nodeId === 'news')).map((s) => [s.port, s.output.reason ?? null]).sort();
    expect(outcomes).toEqual([['blocked', 'mass_message_daily_limit'], ['sent', null]]);
    const blocked = runs.map((r) => r.steps.find((s) => s.nodeId === 'news')).find((s) => s.port === 'blocked');
    expect(blocked.output.message).toContain('one mass message a day');
    expect(blocked.output.message).toContain('每天最多');
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.tags).toContain('mass-blocked');
    const tasks = wc.massMessages().filter((m) => m.external_userid.includes(id));
    expect(tasks).toEqual([expect.objectContaining({ chat_type: 'single', external_userid: [id], sender: 'sales-mass', text: { content: 'Our spring offer is here' }, failList: [] })]);
    // The refused send's ledger row says why.
    expect(await stack.store.outbox.countDocuments({ contactId: contact._id, status: 'failed', 'result.reason': 'mass_message_daily_limit' })).toBe(1);
  });

  it('a customer WeCom will not send to (fail_list) is blocked too, and the day\'s slot is given back', async () => {
    const cfg = (await getChannelConfig(stack.store, stack.workspaceId, 'wecom'))!;
    const conn = { store: stack.store, workspaceId: stack.workspaceId, channel: 'wecom', settings: cfg.settings as WecomChannelSettings, secret: wc.secret };
    const stranger = customer('Stranger');
    const dm = { channel: 'wecom', to: stranger, kind: 'dm' as const, text: 'Hello' };
    for (const key of ['stranger-1', 'stranger-2']) {
      const err = await wecomSend(conn, dm, `${stack.workspaceId}|${key}`).catch((e: unknown) => e);
      // Not mass_message_daily_limit the second time: WeCom took nothing, so the slot was freed.
      expect(err).toMatchObject({ name: 'SendBlockedError', code: 'mass_message_refused' });
    }
    expect(wc.massMessages().filter((m) => m.external_userid.includes(stranger)).map((m) => m.failList)).toEqual([[stranger], [stranger]]);
  });
});

describe('tags both ways', () => {
  it('a journey\'s tags are marked on WeCom for the staff who have the customer (library names only); WeCom\'s tags come back on an edit', async () => {
    const id = customer('Tags');
    await deliver(wc.customerAdded(id, { staff: 'sales-tag', state: 'spring-fair' }).xml);
    const contact = await contactOf(id);
    const tagJourney = await publishJourney(stack.app, {
      name: 'Big order: VIP',
      nodes: [
        { id: 'paid', type: 'trigger.event', version: 1, config: { eventTypes: ['order.paid'] } },
        { id: 'vip', type: 'response.update-contact', version: 1, config: { addTags: ['VIP', 'big-spender'] } },
      ],
      edges: [{ from: 'paid', port: 'next', to: 'vip' }],
      settings: { reentry: 'always' },
    });
    const paid = await call(stack.app, 'POST', '/api/v1/events', { id: `order-${id}`, type: 'order.paid', channel: 'wecom', handle: id, occurredAt: new Date().toISOString() });
    expect(paid.status, JSON.stringify(paid.body)).toBeLessThan(300);
    const [run] = await finishedRuns(contact._id, (r) => r.journeyId === tagJourney);
    const tags = (await stack.store.contacts.findOne({ _id: contact._id }))!.tags;
    expect(tags).toEqual(expect.arrayContaining(['VIP', 'big-spender']));

    // The journey's tag change went to WeCom too, for the staff member who has the customer; "big-spender" is
    // Journeys' own (WeCom's library has no such tag), and the step says so.
    const vip = wc.tags.find((t) => t.name === 'VIP')!.id;
    expect(wc.markTagCalls().filter((m) => m.external_userid === id)).toEqual([{ userid: 'sales-tag', external_userid: id, add_tag: [vip] }]);
    expect(run.steps.find((st) => st.nodeId === 'vip')!.output).toEqual({ tagSync: [{ channel: 'wecom', added: ['VIP'], removed: [], notOnPlatform: ['big-spender'] }] });

    const adapter = workspaceChannelsAdapter(stack.store);
    const sync = await adapter.syncTags(stack.workspaceId, 'wecom', id, { add: tags });
    // "source:spring-fair" is Journeys' own too; VIP is marked already.
    expect(sync).toEqual({ added: [], removed: [], marked: [], notOnPlatform: expect.arrayContaining(['big-spender', 'source:spring-fair']) });
    // Marking again marks nothing: the staff member's record has them.
    expect((await adapter.syncTags(stack.workspaceId, 'wecom', id, { add: ['VIP'] }))!.marked).toEqual([]);
    const removed = await adapter.syncTags(stack.workspaceId, 'wecom', id, { remove: ['VIP'] });
    expect(removed!.marked).toEqual([{ userid: 'sales-tag', add: [], remove: [vip] }]);

    // A tag created in the library later is found once WeCom reports the library's change.
    expect((await adapter.syncTags(stack.workspaceId, 'wecom', id, { add: ['gold'] }))!.notOnPlatform).toEqual(['gold']);
    wc.tags.push({ id: 'etGOLD0000000000000000000000004', name: 'gold', group: '客户等级' });
    await deliver(wc.tagLibraryChange('etGOLD0000000000000000000000004', 'create'));
    expect(await stack.store.interactions.countDocuments({ workspaceId: stack.workspaceId, handle: 'etGOLD0000000000000000000000004' })).toBe(0);
    expect((await adapter.syncTags(stack.workspaceId, 'wecom', id, { add: ['gold'] }))!.marked).toEqual([{ userid: 'sales-tag', add: ['etGOLD0000000000000000000000004'], remove: [] }]);

    // A staff member tags the customer in WeCom: the edit callback carries the tags, and the contact gets them.
    wc.customers[id].follow[0].tagIds.push(wc.tags.find((t) => t.name === 'new')!.id);
    await deliver(wc.contactChange(id, 'edit_external_contact', { staff: 'sales-tag', at: now() + 5 }));
    const edit = (await interactionsOf(id)).find((e) => e.type === 'wecom.contact_edited')!;
    expect(edit.data!.tags).toEqual(expect.arrayContaining(['new', 'gold']));
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.tags).toEqual(expect.arrayContaining(['new', 'gold']));
  });
});

describe('the other contact events, the profile, the token', () => {
  it('deletes on either side become their own events', async () => {
    const id = customer('Del');
    await deliver(wc.customerAdded(id, { staff: 'sales-bo' }).xml);
    await deliver(wc.contactChange(id, 'del_follow_user', { staff: 'sales-bo', at: now() + 1 }));
    await deliver(wc.contactChange(id, 'del_external_contact', { staff: 'sales-bo', at: now() + 2, extra: { Source: 'DELETE_BY_TRANSFER' } }));
    const types = (await interactionsOf(id)).filter((e) => e.kind === 'event').map((e) => [e.type, e.data?.staff, e.data?.source ?? null]);
    expect(types.sort()).toEqual([
      ['wecom.contact_added', 'sales-bo', null],
      ['wecom.contact_deleted', 'sales-bo', 'DELETE_BY_TRANSFER'],
      ['wecom.follow_user_deleted', 'sales-bo', null],
    ]);
  });

  it('the profile: name, type, and each staff member\'s remark, tags and state', async () => {
    const id = customer('Profile');
    await deliver(wc.customerAdded(id, { staff: 'sales-lily', state: 'spring-fair', name: '李雷' }).xml);
    wc.customers[id].follow[0].remark = 'met at the fair';
    const profile = await workspaceChannelsAdapter(stack.store).fetchProfile!(stack.workspaceId, 'wecom', id);
    expect(profile).toMatchObject({
      handle: id, name: '李雷', type: 'wechat', tags: [],
      followUsers: [{ userid: 'sales-lily', remark: 'met at the fair', state: 'spring-fair', tags: [], addedAt: expect.any(String) }],
    });
    expect(await workspaceChannelsAdapter(stack.store).fetchProfile!(stack.workspaceId, 'wecom', 'wmUnknownCustomer')).toBeUndefined();
  });

  it('an expired access_token is replaced once and the call repeated; a rate-limited call is repeated', async () => {
    const id = customer('Token');
    wc.expireTokens();
    const before = wc.tokenCalls();
    const from = wc.requests.length;
    await deliver(wc.customerAdded(id, { staff: 'sales-bo' }).xml);
    const contact = await contactOf(id);
    const [run] = await finishedRuns(contact._id, (r) => r.journeyId === welcomeJourney);
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'welcome', port: 'sent' });
    // The first call after the expiry (the hook reading the customer's tags, or a call of a run still in flight from
    // an earlier test) was refused with 42001, the token replaced once and that call repeated with the new one; the
    // journey's welcome message used the new token.
    expect(wc.tokenCalls()).toBe(before + 1);
    const after = wc.requests.slice(from).filter((r) => r.query.access_token);
    const repeated = after.find((r, i) => after.slice(i + 1).some((l) => l.path === r.path && l.query.access_token !== r.query.access_token));
    expect(repeated, JSON.stringify(after.map((r) => r.path))).toBeDefined();
    const tokens = new Set(after.map((r) => r.query.access_token));
    expect(tokens.size).toBe(2); // the expired one, then the one fetched once
    expect(wc.welcomeMessages().filter((m) => m.externalUserId === id)).toHaveLength(1);

    const id2 = customer('Busy');
    const welcomes = wc.welcomeMessages().length;
    wc.failNext(2, 45009);
    await deliver(wc.customerAdded(id2, { staff: 'sales-bo' }).xml);
    const c2 = await contactOf(id2);
    const [run2] = await finishedRuns(c2._id, (r) => r.journeyId === welcomeJourney);
    expect(run2.steps.at(-1)).toMatchObject({ nodeId: 'welcome', port: 'sent' });
    expect(wc.welcomeMessages().length).toBe(welcomes + 1);
    expect(wc.tokenCalls()).toBe(before + 1);
  });
});
