/**
 * The destination policy on the real stack: webhook nodes (v1 and v2) and an HTTP channel aimed at a server on
 * 127.0.0.1 are refused, at save/publish when the address is literal and in the worker at run time, unless
 * JOURNEYS_OUTBOUND_ALLOW lists exactly that host:port. Failed answers keep their status, never their body.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { call, mention } from '../helpers/api';
import { allowOutbound } from '../helpers/outbound-allow';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let target: http.Server;
let port = 0;
const received: string[] = [];

beforeAll(async () => {
  target = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    if (req.url === '/secret-error') return res.writeHead(404, 'Not Found').end('SECRET-ERROR-PAGE token=abc123');
    if (req.url === '/redirect') return res.writeHead(302, { location: `http://127.0.0.1:${port}/after-redirect` }).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"p-1"}');
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  port = (target.address() as { port: number }).port;
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
});
afterAll(async () => {
  await stack?.close();
  await new Promise<void>((r) => target.close(() => r()));
});

type Hook = { id: string; version: 1 | 2; url: string };

/** A trigger, then the webhooks in a row (each one's success and failed ports lead to the next). */
function journey(eventType: string, hooks: Hook[]) {
  return {
    name: `hooks ${eventType}`,
    nodes: [
      { id: 'start', type: 'trigger.event', version: 1, config: { eventTypes: [eventType] } },
      ...hooks.map((h) => ({ id: h.id, type: 'response.webhook', version: h.version, config: { url: h.url, method: 'POST', ...(h.version === 2 ? { maxAttempts: 2 } : {}) } })),
    ],
    edges: hooks.flatMap((h, i) => (i === 0
      ? [{ from: 'start', port: 'next', to: h.id }]
      : [{ from: hooks[i - 1].id, port: 'success', to: h.id }, { from: hooks[i - 1].id, port: 'failed', to: h.id }])),
    settings: { reentry: 'always' },
  };
}

const local = (path: string) => `http://127.0.0.1:${port}${path}`;
const both = (eventType: string, v1Path: string, v2Path: string) =>
  journey(eventType, [{ id: 'v1', version: 1, url: local(v1Path) }, { id: 'v2', version: 2, url: local(v2Path) }]);

async function create(doc: unknown): Promise<string> {
  const created = await call(stack.app, 'POST', '/api/v1/journeys', doc);
  expect(created.status).toBe(201);
  return created.body.id;
}

const publish = (id: string) => call(stack.app, 'POST', `/api/v1/journeys/${id}/publish`, {});

/** Publishes while the target is allow-listed: a journey saved before an operator took the entry away. */
async function publishAllowed(doc: unknown): Promise<void> {
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  try {
    expect((await publish(await create(doc))).status).toBe(201);
  } finally {
    revoke();
  }
}

const event = (type: string) => ({ id: `e-${Math.random().toString(36).slice(2)}`, type, channel: 'web', handle: `u-${Math.random().toString(36).slice(2, 8)}`, occurredAt: new Date().toISOString() });

async function run(contactId: string) {
  return eventually(async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    const e = r.body.enrollments?.[0];
    return e && e.status !== 'active' ? e : undefined;
  });
}

describe('outbound destination policy', () => {
  it('refuses to publish a webhook aimed at a literal loopback address, naming the node and the field', async () => {
    const id = await create(both('check.literal', '/a', '/b'));
    const res = await publish(id);
    expect(res.status).toBe(422);
    const refused = res.body.issues.filter((i: { code: string }) => i.code === 'destination_refused');
    expect(refused.map((i: { nodeId: string; path: string; severity: string }) => `${i.severity} ${i.nodeId}${i.path}`)).toEqual(['error v1/config/url', 'error v2/config/url']);
    expect(refused[0].message).toContain('loopback');

    // Allow-listing the whole host still leaves Journeys' own service ports (here Temporal's) closed.
    const revoke = allowOutbound('127.0.0.1');
    try {
      const temporal = await create(journey('check.service', [{ id: 'v1', version: 1, url: 'http://127.0.0.1:7233/' }]));
      const res2 = await publish(temporal);
      expect(res2.status).toBe(422);
      expect(res2.body.issues.find((i: { code: string }) => i.code === 'destination_refused').message).toContain('service ports');
    } finally {
      revoke();
    }
    expect(received).toEqual([]);
  });

  it('refuses a run\'s webhook in the worker (step destination_refused, nothing sent); allow-listed, it gets through', async () => {
    await publishAllowed(both('order.refused', '/hook', '/hook'));
    const refusedRun = await call(stack.app, 'POST', '/api/v1/events', event('order.refused'));
    expect(refusedRun.body.enrolled).toHaveLength(1);
    const refused = await run(refusedRun.body.contactId);
    expect(refused.status).toBe('failed');
    expect(refused.steps.map((s: { nodeId: string; outcome: string; error?: { code: string } }) => `${s.nodeId}:${s.outcome}:${s.error?.code ?? ''}`)).toEqual(['start:done:', 'v1:error:destination_refused']);
    expect(refused.steps[1].error.message).toContain('目标地址被拒绝');
    expect(await stack.store.outbox.findOne({ enrollmentId: refused.id })).toMatchObject({ status: 'failed', result: { status: 0, statusText: 'destination_refused' } });
    expect(received).toEqual([]);

    const revoke = allowOutbound(`127.0.0.1:${port}`);
    try {
      const allowed = await call(stack.app, 'POST', '/api/v1/events', event('order.refused'));
      const ok = await run(allowed.body.contactId);
      expect(ok.steps.map((s: { nodeId: string; port?: string }) => `${s.nodeId}:${s.port}`)).toEqual(['start:next', 'v1:success', 'v2:success']);
      expect(received).toEqual(['POST /hook', 'POST /hook']);
    } finally {
      revoke();
    }
  });

  it('refuses a webhook v2 without retrying it', async () => {
    await publishAllowed(journey('order.v2', [{ id: 'v2', version: 2, url: local('/v2') }]));
    const res = await call(stack.app, 'POST', '/api/v1/events', event('order.v2'));
    const r = await run(res.body.contactId);
    expect(r.steps.at(-1)).toMatchObject({ nodeId: 'v2', outcome: 'error', error: { code: 'destination_refused' } });
    expect(await stack.store.outbox.countDocuments({ enrollmentId: r.id })).toBe(1);
    expect(received.filter((x) => x.includes('/v2'))).toEqual([]);
  });

  it('shows the refusal in a test run (a dry run sends nothing, but checks where it would go)', async () => {
    const id = await create(journey('order.dry', [{ id: 'meta', version: 1, url: 'http://169.254.169.254/latest/meta-data' }]));
    const started = await call(stack.app, 'POST', `/api/v1/journeys/${id}/test-runs`, { contact: { channel: 'web', handle: 'tester' }, event: { type: 'order.dry' } });
    expect(started.status).toBe(201);
    const r = await eventually(async () => {
      const e = (await call(stack.app, 'GET', `/api/v1/enrollments/${started.body.enrollmentId}`)).body;
      return e.status !== 'active' ? e : undefined;
    });
    expect(r.steps.at(-1)).toMatchObject({ nodeId: 'meta', outcome: 'error', error: { code: 'destination_refused' } });
    expect(r.steps.at(-1).error.message).toContain('cloud metadata');
  });

  it('keeps the status of a failed answer, never its body, and does not follow redirects', async () => {
    const revoke = allowOutbound(`127.0.0.1:${port}`);
    try {
      expect((await publish(await create(both('order.fails', '/secret-error', '/redirect')))).status).toBe(201);
      const res = await call(stack.app, 'POST', '/api/v1/events', event('order.fails'));
      const r = await run(res.body.contactId);
      expect(r.steps.map((s: { nodeId: string; port?: string }) => `${s.nodeId}:${s.port}`)).toEqual(['start:next', 'v1:failed', 'v2:failed']);
      expect(r.steps[1].output).toEqual({ status: 404, replayed: false });
      expect(r.steps[2].output).toEqual({ status: 302, attempts: 1, replayed: false, statusText: 'Found' });
      const outbox = await stack.store.outbox.find({ enrollmentId: r.id }).toArray();
      // Both calls ran once (no retry configured), and only status and status text were kept; the order of the rows is the store's.
      expect(outbox.map((o) => o.result as { status: number }).sort((a, b) => b.status - a.status)).toEqual([{ status: 404, statusText: 'Not Found', attempts: 1 }, { status: 302, statusText: 'Found', attempts: 1 }]);
      expect(JSON.stringify([r, outbox])).not.toContain('SECRET-ERROR-PAGE');
      expect(received).not.toContain('GET /after-redirect');
    } finally {
      revoke();
    }
  });

  it('refuses an HTTP or SMTP channel on a literal loopback address when saved (400 naming the field) and when sending', async () => {
    const settings = { kind: 'http', baseUrl: `http://127.0.0.1:${port}`, replyPath: '/replies' };
    const saved = await call(stack.app, 'PUT', '/api/v1/channels/weibo', { settings });
    expect(saved.status).toBe(400);
    expect(saved.body.fields).toMatchObject([{ field: 'body/settings/baseUrl', code: 'destination_refused' }]);
    const numeric = await call(stack.app, 'PUT', '/api/v1/channels/weibo', { settings: { ...settings, baseUrl: `http://0x7f000001:${port}` } });
    expect(numeric.body.fields?.[0]?.field).toBe('body/settings/baseUrl');
    const smtp = await call(stack.app, 'PUT', '/api/v1/channels/email', { settings: { kind: 'smtp', host: '169.254.169.254', port: 25, from: 'a@b.test' } });
    expect(smtp.status).toBe(400);
    expect(smtp.body.fields?.[0]?.field).toBe('body/settings/host');

    const revoke = allowOutbound(`127.0.0.1:${port}`);
    try {
      expect((await call(stack.app, 'PUT', '/api/v1/channels/weibo', { settings })).status).toBe(200);
      expect((await publish(await create({
        name: 'reply',
        nodes: [
          { id: 'mention', type: 'trigger.social-mention', version: 1, config: { channels: ['weibo'] } },
          { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks!' } },
        ],
        edges: [{ from: 'mention', port: 'next', to: 'reply' }],
        settings: { reentry: 'always' },
      }))).status).toBe(201);
    } finally {
      revoke();
    }
    const before = received.length;
    const m = await call(stack.app, 'POST', '/api/v1/events', mention('@someone', 'hello', { threadId: 'p-1' }));
    const r = await run(m.body.contactId);
    expect(r.steps.at(-1)).toMatchObject({ nodeId: 'reply', outcome: 'error', error: { code: 'destination_refused' } });
    expect(await stack.store.outbox.findOne({ enrollmentId: r.id, kind: 'message' })).toMatchObject({ status: 'failed', result: { reason: 'destination_refused' } });
    expect(received.length).toBe(before);
  });
});
