/**
 * What happens to a WeChat follower after the first message, on the real stack (Temporal + FerretDB + worker) and
 * the fake WeChat API on 127.0.0.1: a template message's outcome (TEMPLATESENDJOBFINISH) becomes message.delivered /
 * message.failed linked to its outbox row; an unfollow withdraws consent, which a later follow gives back (not an opt-out made otherwise);
 * WeChat's redeliveries, even concurrent ones, are ingested once and answered once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { ChannelRegistry } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { workspaceChannelsAdapter } from '../../core/channels/workspace-adapter';
import { findContactByIdentity } from '../../core/store/contacts';
import { createNodeServices } from '../../workflows/node-services';
import { call, publishJourney } from '../helpers/api';
import { startFakeWechat, wechatDelivery, wechatXml, type FakeWechat } from '../helpers/fake-wechat';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let wx: FakeWechat;
const TOKEN = 'journeysToken2024';
const now = () => Math.floor(Date.now() / 1000);
let seq = 0;
const openid = (name: string) => `o${name}-${Date.now().toString(36)}${seq++}`;
const msgId = () => String(7_100_000_000_000_000_000n + BigInt(Date.now()) * 1000n + BigInt(seq++));

let dmJourney: string;
let fallbackJourney: string;

beforeAll(async () => {
  wx = await startFakeWechat();
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
  const put = await call(stack.app, 'PUT', '/api/v1/channels/wechat', {
    settings: { kind: 'wechat', appId: wx.appId, apiBaseUrl: wx.url, encodingMode: 'plain' }, token: wx.appSecret, webhookSecret: TOKEN,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  dmJourney = await publishJourney(stack.app, {
    name: 'WeChat DM auto-answer',
    nodes: [
      { id: 'dm', type: 'trigger.direct-message', version: 1, config: { channels: ['wechat'], keywords: ['hello'] } },
      { id: 'answer', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Hi! {{event.text}}' } },
    ],
    edges: [{ from: 'dm', port: 'next', to: 'answer' }],
    settings: { reentry: 'always' },
  });
  fallbackJourney = await publishJourney(stack.app, {
    name: 'Template not delivered: flag the contact',
    nodes: [
      { id: 'failed', type: 'trigger.event', version: 1, config: { eventTypes: ['message.failed'], channels: ['wechat'] } },
      { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['template-undelivered'] } },
    ],
    edges: [{ from: 'failed', port: 'next', to: 'tag' }],
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
async function deliver(xml: string) {
  const res = await hook(xml);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.body).toBe('success');
}
const dm = (from: string, content: string, id = msgId()) => wechatXml({ ToUserName: 'gh_brand', FromUserName: from, CreateTime: now(), MsgType: 'text', Content: content, MsgId: id });
const event = (from: string, name: string, at = now(), extra: Record<string, string | number> = {}) =>
  wechatXml({ ToUserName: 'gh_brand', FromUserName: from, CreateTime: at, MsgType: 'event', Event: name, ...extra });
const interactionsOf = (handle: string) => stack.store.interactions.find({ workspaceId: stack.workspaceId, handle }).toArray();
const contactOf = (handle: string) => eventually(() => findContactByIdentity(stack.store, stack.workspaceId, { channel: 'wechat', handle }));
const sentTo = (user: string) => wx.customMessages().filter((m) => m.touser === user);

type Run = { id: string; journeyId: string; triggerEventId: string; status: string; outcome: string | null; steps: any[] };
async function finishedRun(contactId: string, which: (r: Run) => boolean): Promise<Run> {
  return eventually(async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    return (r.body.enrollments as Run[]).find((e) => e.status !== 'active' && which(e));
  });
}

/** A template message sent through the real send ledger, as a node's `services.send` does; the outbox row and msgid. */
async function sendTemplate(user: string, contactId: string, enrollmentId: string) {
  const contact = (await stack.store.contacts.findOne({ _id: contactId }))!;
  const services = createNodeServices({
    store: stack.store, channels: new ChannelRegistry([workspaceChannelsAdapter(stack.store)]), contact,
    nodeId: 'notify', idempotencyKey: `${enrollmentId}:notify`,
    ref: { workspaceId: stack.workspaceId, journeyId: 'order-updates', version: 1, enrollmentId, contactId }, lastAttempt: () => false,
  });
  const sent = await services.send({ channel: 'wechat', to: user, kind: 'dm', text: '', data: { wechatTemplate: { templateId: 'TPL_SHIPPED', data: { first: '订单已发货' } } } });
  expect(sent).toMatchObject({ status: 'sent', providerId: expect.stringMatching(/^\d+$/) });
  const row = (await stack.store.outbox.findOne({ workspaceId: stack.workspaceId, contactId, 'result.providerId': sent.providerId }))!;
  expect(row).toMatchObject({ status: 'sent', channel: 'wechat', nodeId: 'notify', enrollmentId });
  return { msgid: sent.providerId!, rowId: row._id };
}

describe('template message outcomes (TEMPLATESENDJOBFINISH)', () => {
  it('a blocked template becomes message.failed linked to its outbox row, once however often WeChat pushes it, and starts journeys', async () => {
    const user = openid('Tpl');
    await deliver(dm(user, 'my order?'));
    const contact = await contactOf(user);
    const { msgid, rowId } = await sendTemplate(user, contact._id, `enr-${user}`);

    const finish = event(user, 'TEMPLATESENDJOBFINISH', now(), { MsgID: Number(msgid), Status: 'failed:user block' });
    for (let i = 0; i < 3; i++) await deliver(finish);
    const failed = (await interactionsOf(user)).filter((e) => e.type === 'message.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      eventId: `wechat:template:${msgid}`, channel: 'wechat', contactId: contact._id,
      data: {
        providerId: msgid, kind: 'template', reason: 'user_block', outboxId: rowId, enrollmentId: `enr-${user}`, nodeId: 'notify',
        reasonText: { en: expect.stringContaining('turned off template messages'), 'zh-CN': expect.stringContaining('拒收') },
        MsgID: msgid, Status: 'failed:user block', Event: 'TEMPLATESENDJOBFINISH',
      },
    });
    // The ledger row keeps the msgid and records what became of the message.
    expect(await stack.store.outbox.findOne({ _id: rowId })).toMatchObject({
      status: 'sent', result: { providerId: msgid, delivery: { status: 'failed', reason: 'user_block', eventId: `wechat:template:${msgid}` } },
    });
    // A journey can act on it (fall back to SMS, a task…): here it tags the contact.
    const run = await finishedRun(contact._id, (r) => r.journeyId === fallbackJourney && r.triggerEventId === `wechat:template:${msgid}`);
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'tag', port: 'next' });
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.tags).toContain('template-undelivered');
  });

  it('success is message.delivered; two jobs finishing in the same second are two outcomes; unknown statuses claim nothing', async () => {
    const user = openid('TplOk');
    await deliver(dm(user, 'notify me'));
    const contact = await contactOf(user);
    const first = await sendTemplate(user, contact._id, `enr-a-${user}`);
    const second = await sendTemplate(user, contact._id, `enr-b-${user}`);
    const at = now();
    await deliver(event(user, 'TEMPLATESENDJOBFINISH', at, { MsgID: Number(first.msgid), Status: 'success' }));
    await deliver(event(user, 'TEMPLATESENDJOBFINISH', at, { MsgID: Number(second.msgid), Status: 'failed: system failed' }));
    const outcomes = (await interactionsOf(user)).filter((e) => e.type.startsWith('message.'));
    expect(outcomes.map((e) => [e.type, e.data?.providerId, e.data?.reason]).sort()).toEqual([
      ['message.delivered', first.msgid, undefined],
      ['message.failed', second.msgid, 'system_failed'],
    ].sort());
    expect((await stack.store.outbox.findOne({ _id: first.rowId }))!.result).toMatchObject({ delivery: { status: 'delivered' } });
    expect((await stack.store.outbox.findOne({ _id: second.rowId }))!.result).toMatchObject({ delivery: { status: 'failed', reason: 'system_failed' } });

    // A msgid no send of ours returned (another tool on the same account): ingested, linked to nothing.
    await deliver(event(user, 'TEMPLATESENDJOBFINISH', at + 1, { MsgID: 123456789, Status: 'success' }));
    const foreign = (await interactionsOf(user)).find((e) => e.eventId === 'wechat:template:123456789');
    expect(foreign).toMatchObject({ type: 'message.delivered' });
    expect(foreign!.data).not.toHaveProperty('outboxId');
    // A status WeChat never documented is kept as WeChat's event, neither delivered nor failed.
    await deliver(event(user, 'TEMPLATESENDJOBFINISH', at + 2, { MsgID: 987654321, Status: 'pending review' }));
    expect((await interactionsOf(user)).find((e) => e.type === 'wechat.templatesendjobfinish')).toMatchObject({ data: { Status: 'pending review' } });

    const noId = await hook(event(user, 'TEMPLATESENDJOBFINISH', at + 3, { Status: 'success' }));
    expect(noId.statusCode).toBe(400);
    expect(JSON.parse(noId.body).message).toContain('body/xml/MsgID');
  });
});

describe('unfollow and consent', () => {
  it('an unfollow withdraws consent on the channel, once; a later follow gives it back, but not an opt-out of the contact\'s own; an opt-in after it is not overridden', async () => {
    const user = openid('Unfollow');
    await deliver(event(user, 'subscribe', now() - 60, { EventKey: '' }));
    const contact = await contactOf(user);
    const unfollowedAt = now() - 30;
    const unfollow = event(user, 'unsubscribe', unfollowedAt, { EventKey: '' });
    for (let i = 0; i < 3; i++) await deliver(unfollow);

    const after = (await stack.store.contacts.findOne({ _id: contact._id }))!;
    expect(after.consent.wechat).toEqual({ status: 'opted_out', at: new Date(unfollowedAt * 1000), source: 'wechat.unsubscribe' });
    const timeline = await call(stack.app, 'GET', `/api/v1/contacts/${contact._id}/timeline`);
    const changes = (timeline.body.items as any[]).filter((i) => i.type === 'consent.changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ channel: 'wechat', data: { status: 'opted_out', previous: null, source: 'wechat.unsubscribe', by: { kind: 'platform', name: 'WeChat' } } });

    // Following again gives back what the unfollow took: the journey's answer to the next message is sent.
    const followedAt = now();
    await deliver(event(user, 'subscribe', followedAt, { EventKey: '' }));
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.consent.wechat).toEqual({ status: 'opted_in', at: new Date(followedAt * 1000), source: 'wechat.subscribe' });
    const id = msgId();
    await deliver(dm(user, 'hello again', id));
    const run = await finishedRun(contact._id, (r) => r.journeyId === dmJourney && r.triggerEventId === `wechat:${id}`);
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'answer', output: { status: 'sent' } });
    expect(sentTo(user)).toHaveLength(1);

    // An opt-out of the contact's own (the consent API) is not lifted by a follow: the next answer is not sent.
    const optOut = await call(stack.app, 'PUT', `/api/v1/contacts/${contact._id}/consent/wechat`, { status: 'opted_out', source: 'agent:lily' });
    expect(optOut.status, JSON.stringify(optOut.body)).toBe(200);
    await deliver(event(user, 'subscribe', now() + 1, { EventKey: '' }));
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.consent.wechat).toMatchObject({ status: 'opted_out', source: 'agent:lily' });
    const id2 = msgId();
    await deliver(dm(user, 'hello, still there?', id2));
    const refused = await finishedRun(contact._id, (r) => r.journeyId === dmJourney && r.triggerEventId === `wechat:${id2}`);
    expect(refused.steps.at(-1)).toMatchObject({ nodeId: 'answer', port: 'skipped', output: { status: 'skipped', reason: 'no_consent' } });
    expect(sentTo(user)).toHaveLength(1);

    // An explicit opt-in (the consent API) after the unfollow stands against a late redelivery of that unfollow.
    const optIn = await call(stack.app, 'PUT', `/api/v1/contacts/${contact._id}/consent/wechat`, { status: 'opted_in', source: 'agent:lily' });
    expect(optIn.status, JSON.stringify(optIn.body)).toBe(200);
    await deliver(unfollow);
    expect((await stack.store.contacts.findOne({ _id: contact._id }))!.consent.wechat).toMatchObject({ status: 'opted_in', source: 'agent:lily' });
    expect(await stack.store.interactions.countDocuments({ contactId: contact._id, type: 'consent.changed', 'data.source': 'wechat.unsubscribe' })).toBe(1);
  });

  it('an openid first seen unfollowing gets a contact with consent withdrawn', async () => {
    const user = openid('GoneFirst');
    await deliver(event(user, 'unsubscribe'));
    const contact = await contactOf(user);
    expect(contact.consent.wechat).toMatchObject({ status: 'opted_out', source: 'wechat.unsubscribe' });
  });
});

describe('redeliveries', () => {
  it('three concurrent deliveries of one message: one interaction, one run, one answer', async () => {
    const user = openid('Burst');
    const id = msgId();
    const xml = dm(user, 'hello burst', id);
    // Each delivery is signed afresh (timestamp, nonce), as WeChat's retries are.
    const answers = await Promise.all([hook(xml), hook(xml), hook(xml)]);
    for (const a of answers) expect([a.statusCode, a.body]).toEqual([200, 'success']);
    const contact = await contactOf(user);
    await finishedRun(contact._id, (r) => r.journeyId === dmJourney && r.triggerEventId === `wechat:${id}`);
    expect((await interactionsOf(user)).filter((e) => e.type === 'social.dm')).toHaveLength(1);
    expect(await stack.store.enrollments.countDocuments({ contactId: contact._id, journeyId: dmJourney })).toBe(1);
    expect(sentTo(user)).toEqual([{ touser: user, msgtype: 'text', text: { content: 'Hi! hello burst' } }]);
  });

  it('an event has no MsgId: the user and CreateTime key it, so concurrent redeliveries count once and a later one is new', async () => {
    const user = openid('BurstEvt');
    const at = now();
    const click = event(user, 'CLICK', at, { EventKey: 'MENU_ORDERS' });
    await Promise.all([hook(click), hook(click), hook(click)]);
    expect((await interactionsOf(user)).filter((e) => e.type === 'wechat.click')).toHaveLength(1);
    await deliver(event(user, 'CLICK', at + 1, { EventKey: 'MENU_ORDERS' }));
    expect((await interactionsOf(user)).filter((e) => e.type === 'wechat.click')).toHaveLength(2);
  });
});
