import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { allowOutbound } from '../helpers/outbound-allow';
import { eventually, startStack, type TestStack } from '../helpers/stack';

// Issue 13, item 15: the retries of one webhook call are one request to the receiver (one Idempotency-Key) and one
// outbox row that ends completed; the SMS-gateway webhook honours the contact's opt-out.

describe('webhook node retries and consent, on the real engine', () => {
  let stack: TestStack;
  let receiver: http.Server;
  let port = 0;
  let revoke: () => void;
  const received: { path: string; key: string }[] = [];
  const failFirst = new Map<string, number>();

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const path = req.url ?? '';
        received.push({ path, key: String(req.headers['idempotency-key'] ?? '') });
        const left = failFirst.get(path) ?? 0;
        if (left > 0) {
          failFirst.set(path, left - 1);
          res.writeHead(503).end('busy');
        } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as { port: number }).port;
    revoke = allowOutbound(`127.0.0.1:${port}`);
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
    revoke?.();
    await new Promise((r) => receiver.close(r));
  });

  const journey = (name: string, node: Record<string, unknown>, eventType: string) => ({
    name,
    nodes: [
      { id: 'trigger', type: 'trigger.event', version: 1, config: { eventTypes: [eventType] } },
      { id: 'hook', ...node },
    ],
    edges: [{ from: 'trigger', port: 'next', to: 'hook' }],
  });
  const finished = (contactId: string) => eventually(async () => {
    const e = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`)).body.enrollments[0];
    return e && e.status !== 'active' ? e : undefined;
  });

  it('webhook@2: three attempts after two 503s carry one Idempotency-Key; one outbox row, sent, 3 attempts', async () => {
    failFirst.set('/v2', 2);
    await publishJourney(stack.app, journey('Retry v2', { type: 'response.webhook', version: 2, config: { url: `http://127.0.0.1:${port}/v2`, method: 'POST', maxAttempts: 4 } }, 'form.submitted'));
    const r = await call(stack.app, 'POST', '/api/v1/events', { ...mention('@retry2', 'x'), type: 'form.submitted' });
    const run = await finished(r.body.contactId);
    expect(run.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual(['trigger:next', 'hook:success']);
    const hits = received.filter((h) => h.path === '/v2');
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.key)).size).toBe(1);
    const rows = await stack.store.outbox.find({ contactId: r.body.contactId, kind: 'http' }).toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('webhook@1: the activity retry after a 503 sends the same Idempotency-Key and completes the same row', async () => {
    failFirst.set('/v1', 1);
    await publishJourney(stack.app, journey('Retry v1', { type: 'response.webhook', version: 1, config: { url: `http://127.0.0.1:${port}/v1`, method: 'POST' } }, 'lead.created'));
    const r = await call(stack.app, 'POST', '/api/v1/events', { ...mention('@retry1', 'x'), type: 'lead.created' });
    await finished(r.body.contactId);
    const hits = received.filter((h) => h.path === '/v1');
    expect(hits).toHaveLength(2);
    expect(new Set(hits.map((h) => h.key)).size).toBe(1);
    const rows = await stack.store.outbox.find({ contactId: r.body.contactId, kind: 'http' }).toArray();
    expect(rows.map((row) => row.status)).toEqual(['sent']);
  });

  it('an SMS webhook with a consent channel skips contacts who opted out of it, and calls nobody', async () => {
    await publishJourney(stack.app, journey('SMS', {
      type: 'response.webhook', version: 2, config: { url: `http://127.0.0.1:${port}/sms`, method: 'POST', consentChannel: 'sms' },
    }, 'cart.abandoned'));
    const first = await call(stack.app, 'POST', '/api/v1/events', { ...mention('@sms-out', 'x'), type: 'social.dm' });
    expect((await call(stack.app, 'PUT', `/api/v1/contacts/${first.body.contactId}/consent/sms`, { status: 'opted_out', source: 'STOP reply' })).status).toBe(200);
    const r = await call(stack.app, 'POST', '/api/v1/events', { ...mention('@sms-out', 'x'), type: 'cart.abandoned' });
    const run = await finished(r.body.contactId);
    expect(run.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual(['trigger:next', 'hook:skipped']);
    expect(received.filter((h) => h.path === '/sms')).toHaveLength(0);
  });
});
