/**
 * End-to-end journeys for engine-made triggers and scoring: every trigger here is an internal event that went through
 * the same ingestion path as social events (deterministic ids, so at most once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { broadcastStates } from '../../core/engine/broadcasts';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;

beforeAll(async () => {
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
});
afterAll(async () => {
  await stack?.close();
});

const ev = (type: string, channel: string, handle: string, extra: Record<string, unknown> = {}) => ({
  id: `e-${Math.random().toString(36).slice(2)}`, type, channel, handle, occurredAt: new Date().toISOString(), ...extra,
});
const enrollmentsOf = (journeyId: string) => stack.store.enrollments.find({ journeyId }).toArray();
const contact = async (id: string) => (await call(stack.app, 'GET', `/api/v1/contacts/${id}`)).body;

describe('scoring chain: points → score crossed → tag added → segment entered', () => {
  it('fires each trigger once, and every change lands on the timeline', async () => {
    await publishJourney(stack.app, {
      name: 'Engaged mentions score',
      nodes: [
        { id: 'm', type: 'trigger.social-mention', version: 1, config: {} },
        { id: 'pts', type: 'scoring.points', version: 1, config: { score: 'lead', points: 30, reason: 'mentioned us' } },
        { id: 'eng', type: 'scoring.engagement', version: 1, config: { score: 'engagement', points: 5, halfLifeDays: 14, reason: 'mention' } },
      ],
      edges: [{ from: 'm', port: 'next', to: 'pts' }, { from: 'pts', port: 'next', to: 'eng' }],
      settings: { reentry: 'always' },
    });
    const hot = await publishJourney(stack.app, {
      name: 'Hot lead',
      nodes: [
        { id: 't', type: 'trigger.score-threshold', version: 1, config: { score: 'lead', threshold: 50 } },
        { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['hot-lead'] } },
      ],
      edges: [{ from: 't', port: 'next', to: 'tag' }],
      settings: { reentry: 'always' },
    });
    const tagged = await publishJourney(stack.app, {
      name: 'Tag → VIP segment',
      nodes: [
        { id: 't', type: 'trigger.tag-added', version: 1, config: { tags: ['hot-lead'] } },
        { id: 'seg', type: 'response.segment', version: 1, config: { add: ['vip'] } },
      ],
      edges: [{ from: 't', port: 'next', to: 'seg' }],
    });
    const vip = await publishJourney(stack.app, {
      name: 'VIP welcome',
      nodes: [
        { id: 't', type: 'trigger.segment-entered', version: 1, config: { segments: ['vip'] } },
        { id: 'hi', type: 'response.notify-team', version: 1, config: { to: '#vip-desk', message: 'New VIP: {{contact.identities.0.handle}}' } },
      ],
      edges: [{ from: 't', port: 'next', to: 'hi' }],
    });

    const first = await call(stack.app, 'POST', '/api/v1/events', mention('@fan', 'nice'));
    const id = first.body.contactId;
    await eventually(async () => (await contact(id)).scores.lead === 30);
    await call(stack.app, 'POST', '/api/v1/events', mention('@fan', 'nice again'));
    await eventually(async () => (await contact(id)).segments?.includes('vip'));
    await eventually(async () => (await stack.store.outbox.countDocuments({ contactId: id, channel: 'team', status: 'sent' })) === 1);
    await call(stack.app, 'POST', '/api/v1/events', mention('@fan', 'third'));
    await eventually(async () => (await contact(id)).scores.lead === 90 && (await contact(id)).scores.engagement > 14);
    await eventually(async () => (await enrollmentsOf(vip)).every((e) => e.status !== 'active'));

    expect(await enrollmentsOf(hot)).toHaveLength(1); // 30 → 60 crossed; 60 → 90 did not cross again
    expect(await enrollmentsOf(tagged)).toHaveLength(1);
    expect(await enrollmentsOf(vip)).toHaveLength(1);
    const c = await contact(id);
    expect(c.tags).toContain('hot-lead');
    expect(c.scores.engagement).toBeGreaterThan(14.9); // three mentions of 5, barely decayed
    expect(c.scores.engagement).toBeLessThanOrEqual(15);
    const alert = await stack.store.outbox.findOne({ contactId: id, channel: 'team' });
    expect(alert?.request).toMatchObject({ kind: 'alert', to: '#vip-desk', text: 'New VIP: @fan' });

    const timeline = (await call(stack.app, 'GET', `/api/v1/contacts/${id}/timeline?limit=100`)).body.items;
    const reasons = timeline.filter((i: { type: string; kind: string }) => i.kind === 'score').map((i: { data: { reason: string } }) => i.data.reason);
    expect(reasons.filter((r: string) => r === 'mentioned us')).toHaveLength(3);
    expect(timeline.some((i: { type: string }) => i.type === 'contact.segments')).toBe(true);
  });
});

describe('crisis detection', () => {
  it('a burst of negative mentions about a topic fires the crisis journey exactly once per window', async () => {
    const journeyId = await publishJourney(stack.app, {
      name: '电池危机',
      nodes: [
        { id: 'crisis', type: 'trigger.crisis-detected', version: 1, config: { topic: 'battery', keywords: ['电池', 'battery'], windowMinutes: 60, baselineWindows: 3, factor: 2, minCount: 3 } },
        { id: 'alert', type: 'response.notify-team', version: 1, config: { to: '#pr-war-room', message: '危机：{{event.data.topic}} 负面提及 {{event.data.count}} 条' } },
      ],
      edges: [{ from: 'crisis', port: 'next', to: 'alert' }],
    });
    // All in one hour-aligned window, whatever the wall clock.
    const windowStart = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const at = (i: number) => new Date(windowStart + 60_000 + i * 1000).toISOString();
    const texts = ['电池鼓包了，太危险了！', '手机电池一天就没电，垃圾', 'battery died after a week, terrible', '电池发烫，客服不理人，差评', '这电池太烂了', 'Worst battery ever, total scam'];
    // A positive and an off-topic negative mention do not count.
    await call(stack.app, 'POST', '/api/v1/events', { events: [
      mention('@p', '电池续航太棒了，很满意', { occurredAt: at(0) }),
      mention('@q', '快递太慢了，差评', { occurredAt: at(0) }),
    ] });
    const posted = await call(stack.app, 'POST', '/api/v1/events', { events: texts.map((t, i) => mention(`@user${i}`, t, { occurredAt: at(i + 1) })) });
    expect(posted.status).toBe(200);

    await eventually(async () => (await enrollmentsOf(journeyId)).some((e) => e.status === 'completed'));
    const enrollments = await enrollmentsOf(journeyId);
    expect(enrollments).toHaveLength(1);
    expect(await stack.store.interactions.countDocuments({ type: 'crisis.detected' })).toBe(1);
    const alert = await stack.store.outbox.findOne({ enrollmentId: enrollments[0]._id });
    expect(alert?.request).toMatchObject({ kind: 'alert', to: '#pr-war-room', text: '危机：battery 负面提及 3 条' });
  });
});

describe('ticket SLA breach', () => {
  it('emits ticket.sla_breached once, which starts an escalation journey', async () => {
    await publishJourney(stack.app, {
      name: 'DM to ticket',
      nodes: [
        { id: 'dm', type: 'trigger.direct-message', version: 1, config: { keywords: ['退款'] } },
        { id: 'ticket', type: 'response.ticket', version: 1, config: { title: 'Refund request', assignee: 'agent-li', priority: 'urgent', slaMinutes: 0.01 } },
      ],
      edges: [{ from: 'dm', port: 'next', to: 'ticket' }],
    });
    const escalation = await publishJourney(stack.app, {
      name: 'SLA escalation',
      nodes: [
        { id: 'late', type: 'trigger.sla-breached', version: 1, config: { priorities: ['urgent', 'high'] } },
        { id: 'boss', type: 'response.notify-team', version: 1, config: { to: 'lead@brand.test', message: 'Ticket {{event.data.ticketId}} breached its SLA' } },
      ],
      edges: [{ from: 'late', port: 'next', to: 'boss' }],
    });
    const dm = await call(stack.app, 'POST', '/api/v1/events', ev('social.dm', 'wechat', 'wx-user-1', { text: '我要退款，订单号 123' }));
    const ticket = await eventually(async () => (await call(stack.app, 'GET', `/api/v1/tickets?contactId=${dm.body.contactId}`)).body.tickets[0]);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(ticket.dueAt) - Date.now() + 50)));
    const check = await call(stack.app, 'POST', '/api/v1/tickets/check-sla', {});
    expect(check.body.breached).toEqual([ticket.id]);
    expect((await call(stack.app, 'POST', '/api/v1/tickets/check-sla', {})).body.breached).toEqual([]);
    await eventually(async () => (await enrollmentsOf(escalation)).some((e) => e.status === 'completed'));
    expect(await enrollmentsOf(escalation)).toHaveLength(1);
    const t = (await call(stack.app, 'GET', `/api/v1/tickets?contactId=${dm.body.contactId}`)).body.tickets[0];
    expect(t.breached).toBe(true);
  });
});

describe('scheduled broadcast to a segment', () => {
  it('enrolls every member in batches, once per fire time', async () => {
    const journeyId = await publishJourney(stack.app, {
      name: 'Monday VIP broadcast',
      nodes: [
        { id: 'cron', type: 'trigger.scheduled-broadcast', version: 1, config: { cron: '0 10 * * 1', timezone: 'Asia/Shanghai', segment: 'newsletter', batchSize: 2 } },
        { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['got-broadcast'] } },
      ],
      edges: [{ from: 'cron', port: 'next', to: 'tag' }],
    });
    const ids: string[] = [];
    for (const h of ['b1', 'b2', 'b3']) {
      const r = await call(stack.app, 'POST', '/api/v1/events', ev('web.visit', 'wechat', h));
      ids.push(r.body.contactId);
      expect((await call(stack.app, 'PUT', `/api/v1/segments/newsletter/contacts/${r.body.contactId}`)).status).toBe(200);
    }
    expect((await call(stack.app, 'POST', '/api/v1/broadcasts/run', {})).body.fired).toEqual([]); // nothing due since publishing
    // The journey was live before last Monday's 10:00: that fire is due.
    await broadcastStates(stack.store).updateOne({ journeyId }, { $set: { lastFireAt: new Date(Date.now() - 8 * 86_400_000) } });
    const fired = (await call(stack.app, 'POST', '/api/v1/broadcasts/run', {})).body.fired;
    expect(fired).toHaveLength(1);
    expect(fired[0].enrolled).toBe(3);
    expect((await call(stack.app, 'POST', '/api/v1/broadcasts/run', {})).body.fired).toEqual([]);
    for (const id of ids) await eventually(async () => (await contact(id)).tags.includes('got-broadcast'));
    expect(await enrollmentsOf(journeyId)).toHaveLength(3);
  });
});

describe('experiment paths', () => {
  it('splits entries during the window, then the path that converts better takes all later entries', async () => {
    const journeyId = await publishJourney(stack.app, {
      name: 'Coupon vs free shipping',
      nodes: [
        { id: 'view', type: 'trigger.event', version: 1, config: { eventTypes: ['promo.viewed'] } },
        { id: 'exp', type: 'flow.experiment', version: 1, config: { branches: [{ id: 'coupon', label: '优惠券' }, { id: 'shipping', label: '包邮' }], evaluation: { amount: 8, unit: 'seconds' }, minPerPath: 1 } },
        { id: 'a', type: 'response.update-contact', version: 1, config: { addTags: ['got-coupon'] } },
        { id: 'b', type: 'response.update-contact', version: 1, config: { addTags: ['got-shipping'] } },
        { id: 'wait', type: 'flow.wait-for-event', version: 1, config: { eventTypes: ['never.happens'], timeout: { amount: 30, unit: 'seconds' } } },
      ],
      edges: [
        { from: 'view', port: 'next', to: 'exp' },
        { from: 'exp', port: 'coupon', to: 'a' }, { from: 'exp', port: 'shipping', to: 'b' },
        { from: 'a', port: 'next', to: 'wait' }, { from: 'b', port: 'next', to: 'wait' },
      ],
      settings: { reentry: 'always', goal: { eventTypes: ['order.placed'] } },
    });
    const handles = Array.from({ length: 12 }, (_, i) => `shopper-${i}`);
    const contacts: string[] = [];
    for (const h of handles) contacts.push((await call(stack.app, 'POST', '/api/v1/events', ev('promo.viewed', 'wechat', h))).body.contactId);
    const arms = await eventually(async () => {
      const cs = await Promise.all(contacts.map(contact));
      return cs.every((c) => c.tags.length) ? cs.map((c) => (c.tags.includes('got-shipping') ? 'shipping' : 'coupon')) : undefined;
    });
    expect(new Set(arms).size).toBe(2);
    // Everyone on the shipping path buys; nobody on the coupon path does.
    for (const [i, h] of handles.entries()) if (arms[i] === 'shipping') await call(stack.app, 'POST', '/api/v1/events', ev('order.placed', 'wechat', h));
    await eventually(async () => (await stack.store.enrollments.countDocuments({ journeyId, status: 'converted' })) === arms.filter((a) => a === 'shipping').length);
    const before = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/experiments`)).body.experiments[0];
    expect(before.winner).toBeNull(); // still exploring
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(before.evaluationEndsAt) - Date.now() + 100))); // the window closes

    const later: string[] = [];
    for (const h of ['late-1', 'late-2', 'late-3']) later.push((await call(stack.app, 'POST', '/api/v1/events', ev('promo.viewed', 'wechat', h))).body.contactId);
    for (const id of later) await eventually(async () => (await contact(id)).tags.includes('got-shipping'));
    const exp = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/experiments`)).body.experiments[0];
    expect(exp).toMatchObject({ nodeId: 'exp', winner: 'shipping' });
    expect(exp.results.shipping.rate).toBe(1);
    expect(exp.results.coupon.rate).toBe(0);
  });
});
