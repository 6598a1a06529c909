/**
 * The two read-only routes behind the editor's numbers, on the real services: the contacts behind a node's counts
 * (`GET /journeys/:id/nodes/:nodeId/contacts`: waiting there now, left by a port, entered; newest first, paged by
 * `before`; test runs only as version 0) and a draft's audience (`POST /journeys/:id/audience`: a segment's members,
 * or the distinct contacts that sent an event the trigger accepts in the last 30 days). Bad input is a 4xx naming
 * the field; another workspace's journey is a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateAudience } from '../../core/engine/audience';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

const orders = {
  name: 'Order follow-up',
  nodes: [
    { id: 'order', type: 'trigger.event', version: 1, config: { eventTypes: ['order.placed'] } },
    { id: 'check', type: 'filter.condition', version: 1, config: { conditions: { match: 'all', groups: [{ match: 'all', rules: [{ field: 'event.text', op: 'contains', value: 'help' }] }] } } },
    { id: 'hold', type: 'flow.wait', version: 1, config: { duration: { amount: 1, unit: 'hours' } } },
    { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['buyer'] } },
  ],
  edges: [{ from: 'order', port: 'next', to: 'check' }, { from: 'check', port: 'yes', to: 'hold' }, { from: 'check', port: 'no', to: 'tag' }],
  settings: { reentry: 'always' as const },
};

const order = (handle: string, text: string) => ({ ...mention(handle, text), type: 'order.placed' });
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

interface Row { contactId: string; enrollmentId: string; identity: string | null; name: string | null; at: string; outcome: string; port: string | null; test: boolean; erased: boolean }

describe('journey insights API', () => {
  let stack: TestStack;
  let journeyId: string;
  let bAuth: Record<string, string>;
  const contactOf: Record<string, string> = {};

  const contacts = (query: string, headers: Record<string, string> = {}, node = 'hold', id = journeyId) =>
    call(stack.app, 'GET', `/api/v1/journeys/${encodeURIComponent(id)}/nodes/${encodeURIComponent(node)}/contacts${query}`, undefined, headers);

  async function ingest(ev: Record<string, unknown>): Promise<string> {
    const res = await call(stack.app, 'POST', '/api/v1/events', ev);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body.contactId;
  }

  beforeAll(async () => {
    stack = await startStack();
    journeyId = await publishJourney(stack.app, orders);
    for (const [handle, text] of [['@help-1', 'I need help'], ['@fine-1', 'all good'], ['@help-2', 'help please'], ['@fine-2', 'thanks'], ['@help-3', 'help!']]) {
      contactOf[handle] = await ingest(order(handle, text));
    }
    await stack.store.contacts.updateOne({ _id: contactOf['@help-1'] }, { $set: { 'profile.name': 'Hana One' } });
    await eventually(async () => (await stack.store.steps.countDocuments({ journeyId, nodeId: { $in: ['hold', 'tag'] } })) === 5, { timeoutMs: 60_000 });

    const ws = await call(stack.app, 'POST', '/api/v1/workspaces', { id: 'ws-b', name: 'B', admin: { email: 'admin@b.test', password: 'password-b-1' } });
    expect(ws.status).toBe(201);
    const signIn = await call(stack.app, 'POST', '/api/v1/auth/sign-in', { email: 'admin@b.test', password: 'password-b-1' }, { authorization: '' });
    bAuth = { authorization: `Bearer ${signIn.body.token}` };
  }, 120_000);
  afterAll(async () => { await stack?.close(); });

  it('lists who waits at a node now, who left by a port and who entered, with handle, name and run, newest first', async () => {
    const waiting = await contacts('?state=waiting');
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ journeyId, version: 1, nodeId: 'hold', state: 'waiting', port: null, next: null });
    const rows: Row[] = waiting.body.contacts;
    expect(rows.map((r) => r.identity).sort()).toEqual(['weibo:@help-1', 'weibo:@help-2', 'weibo:@help-3']);
    expect(rows.every((r) => r.outcome === 'waiting' && !r.test && !r.erased)).toBe(true);
    expect(rows.find((r) => r.identity === 'weibo:@help-1')).toMatchObject({ name: 'Hana One', contactId: contactOf['@help-1'] });
    expect(rows.find((r) => r.identity === 'weibo:@help-2')?.name).toBeNull();
    const times = rows.map((r) => Date.parse(r.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The run is the one the trace shows.
    const run = await call(stack.app, 'GET', `/api/v1/enrollments/${encodeURIComponent(rows[0].enrollmentId)}`);
    expect(run.body).toMatchObject({ journeyId, contactId: rows[0].contactId, currentNodeId: 'hold' });

    // The counts of the canvas are the lengths of these lists.
    const stats = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats?version=1`)).body.nodes;
    const no = (await contacts('?state=port&port=no', {}, 'check')).body.contacts as Row[];
    expect(no.map((r) => r.identity).sort()).toEqual(['weibo:@fine-1', 'weibo:@fine-2']);
    expect(no.length).toBe(stats.check.ports.no);
    expect(no.every((r) => r.port === 'no' && r.outcome === 'done')).toBe(true);
    expect((await contacts('?state=port&port=yes', {}, 'check')).body.contacts).toHaveLength(stats.check.ports.yes);
    expect(rows.length).toBe(stats.hold.waiting);
    // Version defaults to the live one, state to entered.
    const entered = await contacts('', {}, 'order');
    expect(entered.body).toMatchObject({ version: 1, state: 'entered' });
    expect(entered.body.contacts).toHaveLength(stats.order.entered);
    expect((await contacts('?state=waiting', {}, 'tag')).body.contacts).toEqual([]);
  });

  it('pages newest first with `before`: every contact once, in order', async () => {
    const seen: Row[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const res = await contacts(`?state=entered&limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`, {}, 'check');
      expect(res.status).toBe(200);
      seen.push(...res.body.contacts);
      before = res.body.next;
      if (before) expect(res.body.contacts.every((r: Row) => Date.parse(r.at) >= Date.parse(before!))).toBe(true);
      pages++;
    } while (before && pages < 10);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(new Set(seen.map((r) => r.enrollmentId)).size).toBe(5);
    expect(seen).toHaveLength(5);
    const times = seen.map((r) => Date.parse(r.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("shows the draft's test runs as version 0 only, never in the live version", async () => {
    const started = await call(stack.app, 'POST', `/api/v1/journeys/${journeyId}/test-runs`, { contact: { channel: 'weibo', handle: '@rehearsal' }, event: { type: 'order.placed', text: 'help me' } });
    expect(started.status).toBe(201);
    await eventually(async () => (await contacts('?version=0&state=waiting')).body.contacts.length === 1);
    const [row] = (await contacts('?version=0&state=waiting')).body.contacts as Row[];
    expect(row).toMatchObject({ test: true, enrollmentId: started.body.enrollmentId, contactId: started.body.contactId });
    const live = (await contacts('?state=waiting')).body.contacts as Row[];
    expect(live.map((r) => r.contactId)).not.toContain(started.body.contactId);
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const cases: [string, number, string][] = [
      ['?state=port', 400, 'querystring/port is required when state is "port"'],
      ['?state=waiting&port=yes', 400, 'querystring/port is only allowed when state is "port"'],
      ['?state=gone', 400, 'querystring/state must be one of: entered, waiting, port'],
      ['?before=yesterday', 400, 'querystring/before must match format "date-time"'],
      ['?limit=0', 400, 'querystring/limit must be >= 1'],
      ['?version=-1', 400, 'querystring/version must be >= 0'],
      ['?colour=red', 400, 'querystring/colour is not an allowed property'],
      ['?version=7', 404, 'journey version 7 not found'],
    ];
    for (const [query, status, message] of cases) {
      const res = await contacts(query);
      expect(res.status, query).toBe(status);
      expect(res.body.message, query).toContain(message);
    }
    const field = await contacts('?state=port');
    expect(field.body).toMatchObject({ error: 'validation_failed', fields: [expect.objectContaining({ field: 'querystring/port' })] });
    expect((await contacts('?state=port', { 'accept-language': 'zh-CN' })).body.message).toContain('querystring/port 在 state 为 "port" 时必填');
    const ghost = await contacts('', {}, 'ghost');
    expect(ghost.status).toBe(404);
    expect(ghost.body.message).toBe('node ghost not found');
    const badNode = await contacts('', {}, 'no such node!');
    expect(badNode.status).toBe(400);
    expect(badNode.body.message).toContain('params/nodeId must match pattern');
    const draft = (await call(stack.app, 'POST', '/api/v1/journeys', { ...orders, name: 'Never published' })).body.id;
    expect((await contacts('', {}, 'hold', draft)).body.error).toBe('not_published');
    expect((await contacts('?version=0', {}, 'hold', draft)).body).toMatchObject({ contacts: [], next: null });
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${journeyId}/audience`, { days: 7 })).body.message).toContain('body/days is not an allowed property');
  });

  it("answers 404 for another workspace's journey, on both routes", async () => {
    const list = await contacts('?state=waiting', bAuth);
    expect(list.status).toBe(404);
    expect(list.body).toMatchObject({ error: 'not_found', message: 'journey not found' });
    expect(JSON.stringify(list.body)).not.toContain('help');
    const audience = await call(stack.app, 'POST', `/api/v1/journeys/${journeyId}/audience`, {}, bAuth);
    expect(audience.status).toBe(404);
    expect(audience.body.error).toBe('not_found');
  });

  it("estimates a draft's audience: a segment's members, or distinct contacts with a matching event in the last 30 days", async () => {
    // Segments: three in vip, one of them also in gold.
    const seg: Record<string, string> = {};
    for (const h of ['@seg-1', '@seg-2', '@seg-3']) {
      seg[h] = await ingest({ ...mention(h, 'hi'), type: 'social.follow' });
      expect((await call(stack.app, 'PUT', `/api/v1/segments/vip/contacts/${seg[h]}`)).status).toBe(200);
    }
    await call(stack.app, 'PUT', `/api/v1/segments/gold/contacts/${seg['@seg-1']}`);
    // Mentions: matching ones from two contacts (one twice), and ones the trigger does not accept.
    await ingest(mention('@fan-1', 'I want a refund'));
    await ingest(mention('@fan-1', 'refund now'));
    await ingest(mention('@fan-2', 'refund?'));
    await ingest(mention('@other-channel', 'refund', { channel: 'x' }));
    await ingest(mention('@no-keyword', 'hello there'));
    await ingest(mention('@long-ago', 'refund', { occurredAt: daysAgo(40) }));
    // Forms: only the vip member passes the trigger's condition on the contact.
    await ingest({ ...mention('@seg-1', 'form'), type: 'form.submitted' });
    await ingest({ ...mention('@form-only', 'form'), type: 'form.submitted' });
    // Another workspace's mention and a test run's: neither is counted.
    const bToken = (await call(stack.app, 'POST', '/api/v1/tokens', { name: 'b ingest', role: 'admin' }, bAuth)).body.token;
    expect((await call(stack.app, 'POST', '/api/v1/events', mention('@fan-b', 'refund'), { authorization: `Bearer ${bToken}` })).status).toBeLessThan(300);

    const draft = {
      name: 'Audience',
      nodes: [
        { id: 'entered', type: 'trigger.segment-entered', version: 1, config: { segments: ['vip', 'gold'] } },
        { id: 'weekly', type: 'trigger.scheduled-broadcast', version: 1, config: { cron: '0 10 * * 1', timezone: 'Asia/Shanghai', segment: 'gold' } },
        { id: 'refunds', type: 'trigger.social-mention', version: 1, config: { channels: ['weibo'], keywords: ['refund'] } },
        {
          id: 'forms', type: 'trigger.event', version: 1,
          config: { eventTypes: ['form.submitted'], conditions: { match: 'all', groups: [{ match: 'all', rules: [{ field: 'contact.segments', op: 'includes', value: ['vip'] }] }] } },
        },
        { id: 'nobody', type: 'trigger.segment-entered', version: 1, config: { segments: [] } },
        { id: 'thanks', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks' } },
      ],
      edges: [{ from: 'refunds', port: 'next', to: 'thanks' }],
    };
    const id = (await call(stack.app, 'POST', '/api/v1/journeys', draft)).body.id;
    // A test run of another draft: its test contact's mention stays out of every count.
    const rehearsed = (await call(stack.app, 'POST', '/api/v1/journeys', { ...draft, name: 'Rehearsed', nodes: draft.nodes.filter((n) => n.id === 'refunds' || n.id === 'thanks') })).body.id;
    const rehearsal = await call(stack.app, 'POST', `/api/v1/journeys/${rehearsed}/test-runs`, { contact: { channel: 'weibo', handle: '@fan-test' }, event: { type: 'social.mention', text: 'refund test' } });
    expect(rehearsal.status, JSON.stringify(rehearsal.body)).toBe(201);

    const res = await call(stack.app, 'POST', `/api/v1/journeys/${id}/audience`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ journeyId: id, windowDays: 30, sampleLimit: 5000 });
    const by = Object.fromEntries(res.body.triggers.map((t: { nodeId: string }) => [t.nodeId, t]));
    expect(Object.keys(by)).toEqual(['entered', 'weekly', 'refunds', 'forms', 'nobody']);
    expect(by.entered).toMatchObject({ basis: 'segment', segments: ['vip', 'gold'], count: 3, capped: false });
    expect(by.weekly).toMatchObject({ basis: 'segment', segments: ['gold'], count: 1, capped: false });
    expect(by.refunds).toMatchObject({ basis: 'events', eventTypes: ['social.mention', 'social.comment'], count: 2, capped: false });
    expect(by.forms).toMatchObject({ basis: 'events', eventTypes: ['form.submitted'], count: 1, capped: false });
    expect(by.nobody).toMatchObject({ basis: 'segment', count: null });

    // Bounded: past the sample, the count is a floor.
    const j = await stack.store.journeys.findOne({ _id: id });
    const sampled = await estimateAudience(stack.store, stack.rt.registry, { workspaceId: 'default', journeyId: id }, j!.draft, { sample: 4 });
    expect(sampled.find((t) => t.nodeId === 'refunds')).toMatchObject({ count: 1, capped: true });
  });
});
