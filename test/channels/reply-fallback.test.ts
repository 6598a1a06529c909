/**
 * The reply node's fallback on the real stack (Temporal + FerretDB + worker) and the fake WeChat API on 127.0.0.1:
 * outside the 48-hour customer-service window, a DM the platform refuses goes out as a template message to the same
 * user (its own outbox row and key); a retried stretch and a redelivered event send it once; a template refused too
 * takes `blocked` with both reasons; inside the window the DM goes out and no template.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { call, publishJourney } from '../helpers/api';
import { startFakeWechat, wechatDelivery, wechatXml, type FakeWechat } from '../helpers/fake-wechat';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let wx: FakeWechat;
const TOKEN = 'journeysToken2024';
const now = () => Math.floor(Date.now() / 1000);
let seq = 0;
const openid = (name: string) => `o${name}-${Date.now().toString(36)}${seq++}`;
const msgId = () => String(7_200_000_000_000_000_000n + BigInt(Date.now()) * 1000n + BigInt(seq++));

/**
 * A team channel whose first delivery of each key fails like a dropped connection: the stretch that sent the
 * fallback before it is retried as a whole, reply node included.
 */
const flakyCalls: string[] = [];
const flakyTeam: ChannelAdapter = {
  channels: ['flaky-team'],
  async send(_message, key) {
    flakyCalls.push(key);
    if (flakyCalls.filter((k) => k === key).length === 1) throw new Error('socket hang up (ECONNRESET)');
    return { providerId: `team:${key}` };
  },
};

const fallback = { mode: 'template', templateId: 'TPL_SHIPPED', templateData: { first: '您的订单已发货', keyword1: '{{event.data.orderId | "—"}}' }, url: 'https://brand.example/o/{{event.data.orderId | "latest"}}' };

beforeAll(async () => {
  wx = await startFakeWechat();
  const adapters: ChannelAdapter[] = [flakyTeam];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
  const put = await call(stack.app, 'PUT', '/api/v1/channels/wechat', {
    settings: { kind: 'wechat', appId: wx.appId, apiBaseUrl: wx.url, encodingMode: 'plain' }, token: wx.appSecret, webhookSecret: TOKEN,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  await publishJourney(stack.app, {
    name: 'Shipping notice, template outside the window',
    nodes: [
      { id: 'shipped', type: 'trigger.event', version: 1, config: { eventTypes: ['order.shipped'], channels: ['wechat'] } },
      { id: 'notify', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Your order {{event.data.orderId | ""}} has shipped', fallback } },
      { id: 'alert', type: 'response.notify-team', version: 1, config: { channel: 'flaky-team', to: '#care', message: 'shipping notice for {{contact.id}}' } },
      { id: 'task', type: 'response.notify-team', version: 1, config: { to: '#care', message: 'could not reach {{contact.id}}' } },
    ],
    edges: [{ from: 'shipped', port: 'next', to: 'notify' }, { from: 'notify', port: 'sent', to: 'alert' }, { from: 'notify', port: 'blocked', to: 'task' }],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await stack?.close();
  await wx?.close();
});

const hook = (xml: string) => stack.app.inject({
  method: 'POST', url: `/api/v1/hooks/${stack.workspaceId}/wechat?${new URLSearchParams(wechatDelivery(xml, { token: TOKEN, mode: 'plain' }).query)}`,
  payload: xml, headers: { authorization: '', 'content-type': 'text/xml' },
});
/** A message from the user `hoursAgo` hours ago (49: the window is closed). */
async function userWrote(user: string, hoursAgo: number) {
  const xml = wechatXml({ ToUserName: 'gh_brand', FromUserName: user, CreateTime: now() - hoursAgo * 3600, MsgType: 'text', Content: 'where is my order', MsgId: msgId() });
  const res = await hook(xml);
  expect(res.statusCode, res.body).toBe(200);
}
const shippedEvent = (user: string) => ({ id: `ship-${user}`, type: 'order.shipped', channel: 'wechat', handle: user, data: { orderId: 'A-42' }, occurredAt: new Date().toISOString() });

type Run = { id: string; triggerEventId: string; status: string; outcome: string | null; steps: any[] };
async function finishedRun(contactId: string, triggerEventId: string): Promise<Run> {
  return eventually(async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    return (r.body.enrollments as Run[]).find((e) => e.status !== 'active' && e.triggerEventId === triggerEventId);
  });
}
const templatesTo = (user: string) => wx.templateMessages().filter((m) => m.touser === user);
const customTo = (user: string) => wx.customMessages().filter((m) => m.touser === user);
const path = (run: Run) => run.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`);

describe('the reply node\'s fallback through WeChat', () => {
  it('outside the 48-hour window the DM becomes a template message at WeChat, sent once through a retried stretch and a redelivered event', async () => {
    const user = openid('Closed');
    await userWrote(user, 49);
    const requestsBefore = wx.requests.length;
    const shipped = await call(stack.app, 'POST', '/api/v1/events', shippedEvent(user));
    expect(shipped.body.enrolled).toHaveLength(1);
    const run = await finishedRun(shipped.body.contactId, `ship-${user}`);
    expect(run.status).toBe('completed');
    expect(path(run)).toEqual(['shipped:next', 'notify:sent', 'alert:next']);
    const step = run.steps.find((s: { nodeId: string }) => s.nodeId === 'notify');
    expect(step.output).toMatchObject({
      status: 'sent', providerId: expect.stringMatching(/^\d+$/), text: '您的订单已发货\nA-42',
      fallback: { channel: 'wechat', mode: 'template', reason: 'outside_48h_window', status: 'sent', message: expect.stringContaining('48 小时') },
    });
    // The stretch ran twice (the team channel dropped the first delivery): the second run replayed both sends.
    const alertKeys = flakyCalls.filter((k) => k.includes(run.id));
    expect(alertKeys).toHaveLength(2);
    expect(new Set(alertKeys).size).toBe(1);
    expect(step.output.replayed).toBe(true);

    // One template message at WeChat, with the rendered fields; no customer-service message was attempted.
    expect(templatesTo(user)).toEqual([{
      touser: user, template_id: 'TPL_SHIPPED', url: 'https://brand.example/o/A-42', data: { first: { value: '您的订单已发货' }, keyword1: { value: 'A-42' } },
    }]);
    expect(customTo(user)).toHaveLength(0);
    expect(wx.requests.slice(requestsBefore).filter((r) => r.path === '/cgi-bin/message/template/send')).toHaveLength(1);

    // The ledger: the refused DM and the template, each its own row and key; the template keeps WeChat's msgid.
    const rows = await stack.store.outbox.find({ enrollmentId: run.id, nodeId: 'notify' }).sort({ _id: 1 }).toArray();
    expect(rows.map((r) => r._id)).toEqual([`${stack.workspaceId}|${run.id}:notify:1:message0`, `${stack.workspaceId}|${run.id}:notify:1:message1`]);
    expect(rows[0]).toMatchObject({ status: 'failed', attempts: 2, result: { reason: 'outside_48h_window', blocked: true } });
    expect(rows[1]).toMatchObject({ status: 'sent', attempts: 2, channel: 'wechat', result: { providerId: step.output.providerId }, request: { data: { wechatTemplate: { templateId: 'TPL_SHIPPED' } } } });

    // The same event again (a client's retry): no second run, no second template.
    const again = await call(stack.app, 'POST', '/api/v1/events', shippedEvent(user));
    expect(again.status).toBe(200);
    expect(again.body.enrolled ?? []).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(templatesTo(user)).toHaveLength(1);
    expect(await stack.store.enrollments.countDocuments({ contactId: shipped.body.contactId })).toBe(1);
  });

  it('a template refused too (the user unfollowed) takes blocked, with both reasons on the step', async () => {
    const user = openid('Gone');
    await userWrote(user, 49);
    wx.failNext(1, 43004);
    const shipped = await call(stack.app, 'POST', '/api/v1/events', shippedEvent(user));
    const run = await finishedRun(shipped.body.contactId, `ship-${user}`);
    expect(path(run)).toEqual(['shipped:next', 'notify:blocked', 'task:next']);
    const step = run.steps.find((s: { nodeId: string }) => s.nodeId === 'notify');
    expect(step.output).toMatchObject({
      status: 'blocked', reason: 'outside_48h_window', reasons: ['outside_48h_window', 'unsubscribed'],
      fallback: { channel: 'wechat', mode: 'template', status: 'blocked', refusal: { reason: 'unsubscribed', message: expect.stringContaining('取消关注') } },
    });
    expect(templatesTo(user)).toHaveLength(0);
    const rows = await stack.store.outbox.find({ enrollmentId: run.id, nodeId: 'notify' }).toArray();
    expect(rows.map((r) => [r.status, r.result?.reason]).sort()).toEqual([['failed', 'outside_48h_window'], ['failed', 'unsubscribed']]);
  });

  it('inside the window the DM goes out and no template', async () => {
    const user = openid('Open');
    await userWrote(user, 1);
    const shipped = await call(stack.app, 'POST', '/api/v1/events', shippedEvent(user));
    const run = await finishedRun(shipped.body.contactId, `ship-${user}`);
    expect(path(run)).toEqual(['shipped:next', 'notify:sent', 'alert:next']);
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'notify').output).not.toHaveProperty('fallback');
    expect(customTo(user)).toEqual([{ touser: user, msgtype: 'text', text: { content: 'Your order A-42 has shipped' } }]);
    expect(templatesTo(user)).toHaveLength(0);
  });
});
