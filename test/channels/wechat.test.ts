/**
 * A WeChat Official Account channel end to end, on the real stack (Temporal + FerretDB + worker) and a fake WeChat
 * API on 127.0.0.1 (test/helpers/fake-wechat.ts): the URL handshake, plaintext and safe-mode deliveries (signed and
 * encrypted here from WeChat's documentation), redeliveries ingested once, refusals (401 signature, stale,
 * another AppID; 400 bad XML, nothing written), and journeys sending customer-service messages through the fake —
 * the access_token from the stable-token API, cached until it expires, replaced once when refused (force_refresh only
 * when the normal mode hands back the refused token), 45009 retried, and the 48-hour window enforced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { workspaceChannelsAdapter } from '../../core/channels/workspace-adapter';
import { clearWechatTokens, userInfo } from '../../core/channels/wechat/client';
import { wechatHook } from '../../core/channels/wechat/inbound';
import { getChannelConfig } from '../../core/store/channel-configs';
import { findContactByIdentity } from '../../core/store/contacts';
import { call, publishJourney } from '../helpers/api';
import { startFakeWechat, wechatDelivery, wechatSign, wechatXml, type Delivery, type FakeWechat } from '../helpers/fake-wechat';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let wx: FakeWechat;
const TOKEN = 'journeysToken2024';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const now = () => Math.floor(Date.now() / 1000);
let seq = 0;
const openid = (name: string) => `o${name}-${Date.now().toString(36)}${seq++}`;
const msgId = () => String(7_000_000_000_000_000_000n + BigInt(Date.now()) * 1000n + BigInt(seq++));

beforeAll(async () => {
  wx = await startFakeWechat();
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
  const plain = await call(stack.app, 'PUT', '/api/v1/channels/wechat', {
    settings: { kind: 'wechat', appId: wx.appId, apiBaseUrl: wx.url, encodingMode: 'plain' }, token: wx.appSecret, webhookSecret: TOKEN,
  });
  expect(plain.status, JSON.stringify(plain.body)).toBe(200);
  const safe = await call(stack.app, 'PUT', '/api/v1/channels/wxsafe', {
    settings: { kind: 'wechat', appId: wx.appId, apiBaseUrl: wx.url, encodingMode: 'safe' }, token: wx.appSecret, webhookSecret: TOKEN, encodingAesKey: AES_KEY,
  });
  expect(safe.status, JSON.stringify(safe.body)).toBe(200);
  expect(safe.body).toMatchObject({ hasToken: true, hasWebhookSecret: true, hasEncodingAesKey: true });
});
afterAll(async () => {
  await stack?.close();
  await wx?.close();
});

// What WeChat sends: no credentials, the signature in the query.
const hook = (channel: string, d: Delivery, method: 'GET' | 'POST' = 'POST', lang = 'en') => stack.app.inject({
  method, url: `/api/v1/hooks/${stack.workspaceId}/${channel}?${new URLSearchParams(d.query)}`,
  payload: method === 'POST' ? d.body : undefined,
  headers: { authorization: '', 'accept-language': lang, ...(method === 'POST' ? { 'content-type': 'text/xml' } : {}) },
});
const textMessage = (from: string, content: string, extra: Record<string, string | number> = {}) =>
  wechatXml({ ToUserName: 'gh_brand', FromUserName: from, CreateTime: now(), MsgType: 'text', Content: content, MsgId: msgId(), ...extra });
const interactionsOf = (handle: string) => stack.store.interactions.find({ workspaceId: stack.workspaceId, handle }).toArray();

async function contactIdOf(channel: string, handle: string): Promise<string> {
  return eventually(async () => (await findContactByIdentity(stack.store, stack.workspaceId, { channel, handle }))?._id);
}

type Run = { id: string; journeyId: string; triggerEventId: string; status: string; outcome: string | null; steps: any[] };

/** The contact's finished runs that `which` picks, once there is one. */
async function finishedRuns(contactId: string, which: (r: Run) => boolean = () => true): Promise<Run[]> {
  return eventually(async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    const done = (r.body.enrollments as Run[]).filter((e) => e.status !== 'active' && which(e));
    return done.length ? done : undefined;
  });
}

describe('connecting a WeChat channel', () => {
  it('validates the settings and secrets with field-named 400s, and never returns a secret', async () => {
    const settings = { kind: 'wechat', appId: wx.appId, encodingMode: 'plain' };
    const put = (body: unknown) => call(stack.app, 'PUT', '/api/v1/channels/wx-check', body);
    const shortToken = await put({ settings, token: 's', webhookSecret: 'ab' });
    expect(shortToken.status).toBe(400);
    expect(shortToken.body.message).toContain('body/webhookSecret');
    const symbols = await put({ settings, token: 's', webhookSecret: 'not-letters-only' });
    expect(symbols.status).toBe(400);
    expect(symbols.body.fields[0].field).toBe('body/webhookSecret');
    const noToken = await put({ settings, token: 's' });
    expect(noToken.status).toBe(400);
    expect(noToken.body.fields).toEqual([expect.objectContaining({ field: 'body/webhookSecret' })]);
    const safeWithoutKey = await put({ settings: { ...settings, encodingMode: 'safe' }, token: 's', webhookSecret: 'abc123' });
    expect(safeWithoutKey.status).toBe(400);
    expect(safeWithoutKey.body.fields).toEqual([expect.objectContaining({ field: 'body/encodingAesKey' })]);
    const zh = await call(stack.app, 'PUT', '/api/v1/channels/wx-check', { settings: { ...settings, encodingMode: 'safe' }, webhookSecret: 'abc123' }, { 'accept-language': 'zh-CN' });
    expect(zh.body.message).toContain('为必填项');
    const badKey = await put({ settings: { ...settings, encodingMode: 'safe' }, webhookSecret: 'abc123', encodingAesKey: 'too-short' });
    expect(badKey.status).toBe(400);
    expect(badKey.body.message).toContain('body/encodingAesKey');
    const badAppId = await put({ settings: { ...settings, appId: 'not-an-app-id' }, webhookSecret: 'abc123' });
    expect(badAppId.status).toBe(400);
    expect(badAppId.body.message).toContain('body/settings/appId');
    const badMode = await put({ settings: { ...settings, encodingMode: 'compat' }, webhookSecret: 'abc123' });
    expect(badMode.status).toBe(400);
    expect(badMode.body.message).toContain('body/settings/encodingMode');
    // The generic channel keeps its rule: a 16-character secret, and no EncodingAESKey.
    const http = await put({ settings: { kind: 'http', baseUrl: 'https://api.example.com' }, webhookSecret: 'abc123' });
    expect(http.status).toBe(400);
    expect(http.body.message).toContain('body/webhookSecret');
    const httpKey = await put({ settings: { kind: 'http', baseUrl: 'https://api.example.com' }, encodingAesKey: AES_KEY });
    expect(httpKey.status).toBe(400);
    expect(httpKey.body.fields).toEqual([expect.objectContaining({ field: 'body/encodingAesKey' })]);

    const ok = await put({ settings, token: 'app-secret-xyz', webhookSecret: 'abc123' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ settings, hasToken: true, hasWebhookSecret: true, hasEncodingAesKey: false });
    // Switching the mode later keeps the stored Token; safe mode still needs a key.
    expect((await put({ settings: { ...settings, encodingMode: 'safe' }, encodingAesKey: AES_KEY })).status).toBe(200);
    const list = await call(stack.app, 'GET', '/api/v1/channels');
    const text = JSON.stringify(list.body);
    for (const secret of [wx.appSecret, TOKEN, AES_KEY, 'app-secret-xyz']) expect(text).not.toContain(secret);
    expect(list.body.channels.find((c: { channel: string }) => c.channel === 'wxsafe')).toMatchObject({ hasEncodingAesKey: true });
    const stored = JSON.stringify(await stack.store.db.collection('credentials').find({}).toArray());
    for (const secret of [wx.appSecret, AES_KEY]) expect(stored).not.toContain(secret);
  });
});

describe('WeChat URL verification (GET)', () => {
  it('answers echostr as plain text when the signature is right', async () => {
    const timestamp = String(now());
    const nonce = '1234567';
    const res = await hook('wechat', { query: { signature: wechatSign(TOKEN, timestamp, nonce), timestamp, nonce, echostr: '5837397749803434542' }, body: '' }, 'GET');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('5837397749803434542');
  });

  it('refuses a wrong signature with 401, in both languages', async () => {
    const timestamp = String(now());
    const query = { signature: wechatSign('wrong-token', timestamp, '1'), timestamp, nonce: '1', echostr: 'e' };
    const res = await hook('wechat', { query, body: '' }, 'GET');
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'bad_signature', message: expect.stringContaining('query/signature does not match') });
    const zh = await hook('wechat', { query, body: '' }, 'GET', 'zh-CN');
    expect(JSON.parse(zh.body).message).toContain('与此渠道的微信 Token 不符');
    expect((await hook('wechat', { query: { timestamp, nonce: '1', echostr: 'e' }, body: '' }, 'GET')).statusCode).toBe(401);
  });

  it('checks the known-answer signature, and refuses it once its timestamp is stale', async () => {
    // sha1("1700000000" + "372918465" + "journeysToken2024"), the parts in dictionary order, computed by hand:
    // printf '%s' 1700000000372918465journeysToken2024 | sha1sum
    const signature = '0352e1c49052bf49404c51fb6b1f0c6dd530621b';
    const query = { signature, timestamp: '1700000000', nonce: '372918465', echostr: 'kat-echo' };
    expect(wechatSign(TOKEN, query.timestamp, query.nonce)).toBe(signature);
    // The hook itself, at the vector's time (2023-11-14T22:13:20Z): it accepts the hand-computed signature…
    const config = (await getChannelConfig(stack.store, stack.workspaceId, 'wechat'))!;
    const atVectorTime = wechatHook(stack.rt, () => 1_700_000_000_000 + 60_000);
    const answer = await atVectorTime.handshake!({ workspaceId: stack.workspaceId, channel: 'wechat', config, raw: '', query, headers: {} });
    expect(answer).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'kat-echo' });
    await expect(atVectorTime.handshake!({ workspaceId: stack.workspaceId, channel: 'wechat', config, raw: '', query: { ...query, nonce: '372918466' }, headers: {} }))
      .rejects.toMatchObject({ status: 401, details: { reason: 'mismatch' } });
    // …which, today, is years old.
    const res = await hook('wechat', { query, body: '' }, 'GET');
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).message).toContain('query/timestamp is more than 5 minutes old');
  });
});

describe('WeChat deliveries (POST)', () => {
  it('a plaintext text message becomes one social.dm of the openid, answered "success"', async () => {
    const user = openid('Plain');
    const xml = textMessage(user, '你好，我想问一下订单');
    const res = await hook('wechat', wechatDelivery(xml, { token: TOKEN, mode: 'plain' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('success');
    const [stored] = await interactionsOf(user);
    expect(stored).toMatchObject({ type: 'social.dm', channel: 'wechat', handle: user, text: '你好，我想问一下订单', data: { ToUserName: 'gh_brand', MsgType: 'text', MsgId: expect.any(String) } });
    expect(stored.eventId).toBe(`wechat:${stored.data!.MsgId}`);
  });

  it("WeChat's redeliveries of one message are ingested once", async () => {
    const user = openid('Retry');
    const xml = textMessage(user, 'hello once');
    for (let i = 0; i < 3; i++) {
      const res = await hook('wechat', wechatDelivery(xml, { token: TOKEN, mode: 'plain' }));
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('success');
    }
    expect(await interactionsOf(user)).toHaveLength(1);
    // Events have no MsgId: the user, the time and the event name key them.
    const follow = wechatXml({ ToUserName: 'gh_brand', FromUserName: user, CreateTime: now(), MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_spring', Ticket: 'TICKET_1' });
    for (let i = 0; i < 3; i++) expect((await hook('wechat', wechatDelivery(follow, { token: TOKEN, mode: 'plain' }))).statusCode).toBe(200);
    const events = (await interactionsOf(user)).filter((e) => e.type === 'wechat.subscribe');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventId: expect.stringMatching(new RegExp(`^wechat:${user}:\\d+:subscribe$`)), data: { EventKey: 'qrscene_spring', Ticket: 'TICKET_1' } });
  });

  it('a plaintext delivery with a wrong or missing signature is a 401 and writes nothing', async () => {
    const user = openid('Forged');
    const d = wechatDelivery(textMessage(user, 'forged'), { token: 'someone-else', mode: 'plain' });
    expect((await hook('wechat', d)).statusCode).toBe(401);
    expect((await hook('wechat', { ...d, query: { ...d.query, signature: '' } })).statusCode).toBe(401);
    expect(await interactionsOf(user)).toHaveLength(0);
  });

  it('refuses a stale timestamp, even correctly signed', async () => {
    const user = openid('Stale');
    const res = await hook('wechat', wechatDelivery(textMessage(user, 'late'), { token: TOKEN, mode: 'plain', timestamp: now() - 6 * 60 }));
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).message).toContain('query/timestamp');
    expect((await hook('wechat', wechatDelivery(textMessage(user, 'early'), { token: TOKEN, mode: 'plain', timestamp: now() + 6 * 60 }))).statusCode).toBe(401);
    expect(await interactionsOf(user)).toHaveLength(0);
  });

  it('bad XML is a 400 naming the problem, and nothing is stored', async () => {
    const user = openid('BadXml');
    const before = await stack.store.interactions.countDocuments({});
    const contactsBefore = await stack.store.contacts.countDocuments({});
    const broken = `<xml><FromUserName><![CDATA[${user}]]></FromUserName><Content><![CDATA[hi]]></xml>`;
    const res = await hook('wechat', wechatDelivery(broken, { token: TOKEN, mode: 'plain' }));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).message).toMatch(/^body has a closing tag that does not match its opening tag/);
    const zh = await hook('wechat', wechatDelivery(broken, { token: TOKEN, mode: 'plain' }), 'POST', 'zh-CN');
    expect(JSON.parse(zh.body).message).toContain('结束标签');
    const json = await hook('wechat', wechatDelivery('{"FromUserName": "x"}', { token: TOKEN, mode: 'plain' }));
    expect(JSON.parse(json.body).message).toContain('body is not XML');
    const missing = await hook('wechat', wechatDelivery(wechatXml({ ToUserName: 'gh_brand', FromUserName: user, CreateTime: now(), Content: 'no type' }), { token: TOKEN, mode: 'plain' }));
    expect(missing.statusCode).toBe(400);
    expect(JSON.parse(missing.body).message).toBe('body/xml/MsgType is required');
    const xxe = `<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><FromUserName>&x;</FromUserName></xml>`;
    expect((await hook('wechat', wechatDelivery(xxe, { token: TOKEN, mode: 'plain' }))).statusCode).toBe(400);
    expect(await stack.store.interactions.countDocuments({})).toBe(before);
    expect(await stack.store.contacts.countDocuments({})).toBe(contactsBefore);
  });

  it('safe mode: an encrypted message is verified by msg_signature, decrypted and ingested', async () => {
    const user = openid('Safe');
    const xml = textMessage(user, '加密的消息');
    const d = wechatDelivery(xml, { token: TOKEN, mode: 'safe', encodingAesKey: AES_KEY, appId: wx.appId });
    expect(d.body).not.toContain('加密的消息');
    const res = await hook('wxsafe', d);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe('success');
    const stored = await interactionsOf(user);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ type: 'social.dm', channel: 'wxsafe', text: '加密的消息', data: { ToUserName: 'gh_brand' } });
    expect(stored[0].data).not.toHaveProperty('Encrypt');
    // An encrypted event, redelivered: once.
    const scan = wechatXml({ ToUserName: 'gh_brand', FromUserName: user, CreateTime: now(), MsgType: 'event', Event: 'SCAN', EventKey: '123', Ticket: 'TK' });
    for (let i = 0; i < 2; i++) expect((await hook('wxsafe', wechatDelivery(scan, { token: TOKEN, mode: 'safe', encodingAesKey: AES_KEY, appId: wx.appId }))).statusCode).toBe(200);
    expect((await interactionsOf(user)).filter((e) => e.type === 'wechat.scan')).toHaveLength(1);
  });

  it('safe mode refuses a wrong msg_signature, another AppID and a plaintext body', async () => {
    const user = openid('SafeBad');
    const d = wechatDelivery(textMessage(user, 'tampered'), { token: TOKEN, mode: 'safe', encodingAesKey: AES_KEY, appId: wx.appId });
    const tampered = await hook('wxsafe', { ...d, query: { ...d.query, msg_signature: wechatSign('other', d.query.timestamp, d.query.nonce, 'x') } });
    expect(tampered.statusCode).toBe(401);
    expect(JSON.parse(tampered.body).message).toContain('query/msg_signature');
    // Correctly signed, but encrypted for another Official Account.
    const other = wechatDelivery(textMessage(user, 'for another account'), { token: TOKEN, mode: 'safe', encodingAesKey: AES_KEY, appId: 'wxffffffffffffffff' });
    const wrongApp = await hook('wxsafe', other);
    expect(wrongApp.statusCode).toBe(401);
    expect(JSON.parse(wrongApp.body).message).toContain('another AppID');
    const zh = await hook('wxsafe', other, 'POST', 'zh-CN');
    expect(JSON.parse(zh.body).message).toContain('AppID 与此渠道的不符');
    // Plaintext to a safe-mode channel: no msg_signature.
    expect((await hook('wxsafe', wechatDelivery(textMessage(user, 'plain to safe'), { token: TOKEN, mode: 'plain' }))).statusCode).toBe(401);
    const stale = wechatDelivery(textMessage(user, 'stale'), { token: TOKEN, mode: 'safe', encodingAesKey: AES_KEY, appId: wx.appId, timestamp: now() - 301 });
    expect((await hook('wxsafe', stale)).statusCode).toBe(401);
    expect(await interactionsOf(user)).toHaveLength(0);
  });
});

describe('sending through WeChat', () => {
  let dmJourney: string;
  beforeAll(async () => {
    dmJourney = await publishJourney(stack.app, {
      name: 'WeChat DM auto-answer',
      nodes: [
        { id: 'dm', type: 'trigger.direct-message', version: 1, config: { channels: ['wechat'], keywords: ['hello'] } },
        { id: 'answer', type: 'response.reply', version: 1, config: { mode: 'dm', message: '您好！We got: {{event.text}}' } },
      ],
      edges: [{ from: 'dm', port: 'next', to: 'answer' }],
      settings: { reentry: 'always' },
    });
    await publishJourney(stack.app, {
      name: 'WeChat shipping notice',
      nodes: [
        { id: 'shipped', type: 'trigger.event', version: 1, config: { eventTypes: ['order.shipped'], channels: ['wechat'] } },
        { id: 'notify', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Your order has shipped' } },
      ],
      edges: [{ from: 'shipped', port: 'next', to: 'notify' }],
      settings: { reentry: 'always' },
    });
  });

  /** A user's message through the webhook; the run of the DM journey it starts, finished. */
  async function dmThroughJourney(user: string, content: string) {
    const id = msgId();
    expect((await hook('wechat', wechatDelivery(textMessage(user, content, { MsgId: id }), { token: TOKEN, mode: 'plain' }))).statusCode).toBe(200);
    const contactId = await contactIdOf('wechat', user);
    const runs = await finishedRuns(contactId, (r) => r.journeyId === dmJourney && r.triggerEventId === `wechat:${id}`);
    return runs[0];
  }
  const sentTo = (user: string) => wx.customMessages().filter((m) => m.touser === user);

  it('a DM from the user is answered with a customer-service message; the token is fetched once for two sends', async () => {
    clearWechatTokens();
    const tokensBefore = wx.tokenCalls();
    const a = openid('Dm');
    const b = openid('Dm');
    const runA = await dmThroughJourney(a, 'hello there');
    const runB = await dmThroughJourney(b, 'hello again');
    for (const run of [runA, runB]) {
      expect(run.status).toBe('completed');
      expect(run.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual(['dm:next', 'answer:sent']);
    }
    expect(sentTo(a)).toEqual([{ touser: a, msgtype: 'text', text: { content: '您好！We got: hello there' } }]);
    expect(sentTo(b)).toEqual([{ touser: b, msgtype: 'text', text: { content: '您好！We got: hello again' } }]);
    expect(wx.tokenCalls() - tokensBefore).toBe(1);
    // The stable-token API, in its normal mode: the AppSecret in the body, never in a URL.
    expect(wx.tokenRequests().at(-1)).toEqual({ grant_type: 'client_credential', appid: wx.appId, secret: wx.appSecret, force_refresh: false });
    for (const r of wx.requests) expect(JSON.stringify(r.query)).not.toContain(wx.appSecret);
    expect(wx.requests.some((r) => r.path === '/cgi-bin/token')).toBe(false);
    // The token went in the query of WeChat's API, never into the outbox or a step.
    const outbox = JSON.stringify(await stack.store.outbox.find({ channel: 'wechat' }).toArray());
    const steps = JSON.stringify(runA.steps);
    for (const r of wx.requests.filter((x) => x.query.access_token)) {
      expect(outbox).not.toContain(r.query.access_token);
      expect(steps).not.toContain(r.query.access_token);
    }
    expect(outbox).not.toContain(wx.appSecret);
  });

  it('an expired access_token (42001) is replaced once, without forcing, and the message still goes out', async () => {
    const user = openid('Expired');
    await dmThroughJourney(user, 'hello warm-up');
    const tokensBefore = wx.tokenCalls();
    const requestsBefore = wx.requests.length;
    wx.expireTokens();
    const run = await dmThroughJourney(user, 'hello after expiry');
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'answer', port: 'sent' });
    expect(sentTo(user).map((m) => m.text.content)).toEqual(['您好！We got: hello warm-up', '您好！We got: hello after expiry']);
    expect(wx.tokenCalls() - tokensBefore).toBe(1);
    // The expired token's answer, one token request, the repeat with the new token.
    expect(wx.requests.slice(requestsBefore).map((r) => r.path)).toEqual(['/cgi-bin/message/custom/send', '/cgi-bin/stable_token', '/cgi-bin/message/custom/send']);
    // The normal mode already hands out a new token for an expired one: no forced refresh spent.
    expect(wx.tokenRequests().at(-1)).toMatchObject({ force_refresh: false });
  });

  it('a refused token (40001) the normal mode still hands out is replaced with force_refresh, once for concurrent sends', async () => {
    const a = openid('Refused');
    const b = openid('Refused');
    await dmThroughJourney(a, 'hello warm-up');
    await dmThroughJourney(b, 'hello warm-up');
    const requestsBefore = wx.requests.length;
    const tokensBefore = wx.tokenCalls();
    wx.distrustCurrentToken();
    const [runA, runB] = await Promise.all([dmThroughJourney(a, 'hello after revocation'), dmThroughJourney(b, 'hello after revocation')]);
    for (const run of [runA, runB]) expect(run.steps.at(-1)).toMatchObject({ nodeId: 'answer', port: 'sent' });
    // The normal mode answered with the refused token, so one forced refresh, shared by both sends.
    expect(wx.tokenRequests().slice(tokensBefore).map((r) => r.force_refresh)).toEqual([false, true]);
    const sends = wx.requests.slice(requestsBefore).filter((r) => r.path === '/cgi-bin/message/custom/send');
    const tokens = [...new Set(sends.map((r) => r.query.access_token))];
    expect(tokens).toHaveLength(2);
    for (const user of [a, b]) expect(sentTo(user).filter((m) => m.text.content === '您好！We got: hello after revocation')).toHaveLength(1);
  });

  it('a rate-limited call (45009) is retried with back-off and sent once', async () => {
    const user = openid('Busy');
    await dmThroughJourney(user, 'hello warm-up');
    const requestsBefore = wx.requests.length;
    wx.failNext(1, 45009);
    const run = await dmThroughJourney(user, 'hello under load');
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'answer', port: 'sent' });
    expect(wx.requests.slice(requestsBefore).map((r) => r.path)).toEqual(['/cgi-bin/message/custom/send', '/cgi-bin/message/custom/send']);
    expect(sentTo(user).filter((m) => m.text.content === '您好！We got: hello under load')).toHaveLength(1);
  });

  it('outside the 48-hour window nothing is sent and the step records why', async () => {
    const user = openid('Old');
    // The user's last message was 49 hours ago.
    const old = wechatXml({ ToUserName: 'gh_brand', FromUserName: user, CreateTime: now() - 49 * 3600, MsgType: 'text', Content: 'an old question', MsgId: msgId() });
    expect((await hook('wechat', wechatDelivery(old, { token: TOKEN, mode: 'plain' }))).statusCode).toBe(200);
    const requestsBefore = wx.requests.length;
    const shipped = await call(stack.app, 'POST', '/api/v1/events', { id: `ship-${user}`, type: 'order.shipped', channel: 'wechat', handle: user, occurredAt: new Date().toISOString() });
    expect(shipped.body.enrolled).toHaveLength(1);
    const [run] = await finishedRuns(shipped.body.contactId, (r) => r.triggerEventId === `ship-${user}`);
    // A policy, not a failure: the reply node's `blocked` port, with the reason on the step.
    expect(run.status).toBe('completed');
    expect(run.outcome).toBe('notify:blocked');
    const step = run.steps.find((s: { nodeId: string }) => s.nodeId === 'notify');
    expect(step).toMatchObject({ outcome: 'done', port: 'blocked', output: { status: 'blocked', reason: 'outside_48h_window', message: expect.stringContaining('48 hours') } });
    expect(step.output.message).toContain('48 小时');
    expect(sentTo(user)).toHaveLength(0);
    expect(wx.requests.slice(requestsBefore).filter((r) => r.path.startsWith('/cgi-bin/message'))).toHaveLength(0);
    const outbox = await stack.store.outbox.findOne({ enrollmentId: run.id });
    expect(outbox).toMatchObject({ status: 'failed', result: { reason: 'outside_48h_window' } });
    // A new message from the user opens the window again.
    const again = await dmThroughJourney(user, 'hello, still there?');
    expect(again.steps.at(-1)).toMatchObject({ nodeId: 'answer', port: 'sent' });
  });

  it('template messages keep WeChat\'s msgid; profiles come from user/info', async () => {
    const adapter = workspaceChannelsAdapter(stack.store);
    const user = openid('Tpl');
    const sent = await adapter.send(
      { channel: 'wechat', to: user, kind: 'dm', text: '', data: { wechatTemplate: { templateId: 'TPL_ORDER', data: { first: '订单已发货', keyword1: { value: 'A-42', color: '#173177' } }, url: 'https://brand.example/o/42' } } },
      `${stack.workspaceId}|template-test-1`,
    );
    expect(sent.providerId).toMatch(/^\d+$/);
    expect(wx.templateMessages().at(-1)).toEqual({
      touser: user, template_id: 'TPL_ORDER', url: 'https://brand.example/o/42',
      data: { first: { value: '订单已发货' }, keyword1: { value: 'A-42', color: '#173177' } },
    });

    wx.users[user] = { subscribe: 1, nickname: '小明', headimgurl: 'https://thirdwx.qlogo.cn/x/132', subscribe_time: 1_700_000_000 };
    expect(await adapter.fetchProfile!(stack.workspaceId, 'wechat', user)).toEqual({
      handle: user, name: '小明', avatarUrl: 'https://thirdwx.qlogo.cn/x/132', subscribed: true, subscribedAt: '2023-11-14T22:13:20.000Z',
    });
    expect(wx.requests.at(-1)).toMatchObject({ method: 'GET', path: '/cgi-bin/user/info', query: { openid: user, lang: 'zh_CN' } });
    // WeChat now answers most accounts with an empty nickname and avatar: they are left out, not stored empty.
    wx.users.anonymous = { subscribe: 1, nickname: '', headimgurl: '', subscribe_time: 1_700_000_000 };
    expect(await adapter.fetchProfile!(stack.workspaceId, 'wechat', 'anonymous')).toEqual({ handle: 'anonymous', subscribed: true, subscribedAt: '2023-11-14T22:13:20.000Z' });
    wx.users.gone = { subscribe: 0 };
    expect(await adapter.fetchProfile!(stack.workspaceId, 'wechat', 'gone')).toEqual({ handle: 'gone', subscribed: false });
    expect(await adapter.fetchProfile!(stack.workspaceId, 'wechat', 'unknown-openid')).toBeUndefined();
  });

  it('errors carry the errcode and never the token or the AppSecret', async () => {
    const adapter = workspaceChannelsAdapter(stack.store);
    const put = await call(stack.app, 'PUT', '/api/v1/channels/wx-wrong', {
      settings: { kind: 'wechat', appId: wx.appId, apiBaseUrl: wx.url, encodingMode: 'plain' }, token: 'the-wrong-app-secret', webhookSecret: TOKEN,
    });
    expect(put.status).toBe(200);
    const err = await adapter.send({ channel: 'wx-wrong', to: 'o1', kind: 'dm', text: 'x', data: { wechatTemplate: { templateId: 'T', data: {} } } }, `${stack.workspaceId}|wrong-secret-1`).catch((e: Error) => e);
    // stable_token's answer to a wrong AppSecret.
    expect(err).toMatchObject({ name: 'NodeError', code: 'wechat_refused', params: { errcode: 40125 } });
    expect((err as Error).message).toContain('errcode 40125');
    expect((err as Error).message).toContain('AppSecret 错误');
    expect((err as Error).message).not.toContain('the-wrong-app-secret');
  });

  it('the token is cached until WeChat says it expires, then asked for again', async () => {
    const short = await startFakeWechat({ expiresIn: 2 });
    try {
      const account = { workspaceId: stack.workspaceId, channel: 'wx-short', appId: short.appId, appSecret: short.appSecret, apiBaseUrl: short.url };
      short.users.u1 = { subscribe: 1, nickname: 'A' };
      for (let i = 0; i < 3; i++) await userInfo(account, 'u1');
      expect(short.tokenCalls()).toBe(1);
      // Two seconds of lifetime, renewed at half of it.
      await new Promise((r) => setTimeout(r, 1_100));
      await userInfo(account, 'u1');
      expect(short.tokenCalls()).toBe(2);
      expect(new Set(short.requests.filter((r) => r.path === '/cgi-bin/user/info').map((r) => r.query.access_token)).size).toBe(2);
    } finally {
      await short.close();
    }
  });
});

describe('the fake stable-token API is as strict as WeChat', () => {
  // Its own instance: forced refreshes here must not touch the tokens the journeys above use.
  let own: FakeWechat;
  beforeAll(async () => {
    own = await startFakeWechat();
  });
  afterAll(() => own?.close());
  const post = (body: string, method = 'POST') => fetch(`${own.url}/cgi-bin/stable_token`, { method, body: method === 'GET' ? undefined : body, headers: { 'content-type': 'application/json' } }).then((r) => r.json());
  const good = () => ({ grant_type: 'client_credential', appid: own.appId, secret: own.appSecret });
  it('answers errcodes in WeChat\'s shape for every malformed or wrong request', async () => {
    expect(await post('', 'GET')).toMatchObject({ errcode: 43002, errmsg: expect.any(String) });
    expect(await post('')).toMatchObject({ errcode: 44002 });
    expect(await post('grant_type=client_credential')).toMatchObject({ errcode: 47001 });
    expect(await post(JSON.stringify({ ...good(), force_refresh: 'yes' }))).toMatchObject({ errcode: 47001 });
    expect(await post(JSON.stringify({ ...good(), grant_type: 'password' }))).toMatchObject({ errcode: 40002 });
    expect(await post(JSON.stringify({ ...good(), appid: 'wx0000000000000000' }))).toMatchObject({ errcode: 40013 });
    expect(await post(JSON.stringify({ ...good(), secret: 'nope' }))).toEqual({ errcode: 40125, errmsg: expect.stringContaining('invalid appsecret') });
  });

  it('the normal mode hands out the current token; force_refresh revokes it', async () => {
    const first = await post(JSON.stringify(good()));
    expect(first).toEqual({ access_token: expect.stringMatching(/^FAKE_ACCESS_TOKEN_/), expires_in: expect.any(Number) });
    expect((await post(JSON.stringify({ ...good(), force_refresh: false }))).access_token).toBe(first.access_token);
    const forced = await post(JSON.stringify({ ...good(), force_refresh: true }));
    expect(forced.access_token).not.toBe(first.access_token);
    const info = (token: string) => fetch(`${own.url}/cgi-bin/user/info?access_token=${token}&openid=x`).then((r) => r.json());
    expect(await info(first.access_token)).toMatchObject({ errcode: 40001 });
    expect(await info(forced.access_token)).toMatchObject({ errcode: 40003 });
    // Within 30 s of a forced refresh, another one refreshes nothing.
    expect((await post(JSON.stringify({ ...good(), force_refresh: true }))).access_token).toBe(forced.access_token);
  });
});
