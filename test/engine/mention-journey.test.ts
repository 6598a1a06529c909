import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { allowOutbound } from '../helpers/outbound-allow';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { mentionRescue } from './fixtures';

describe('a mention journey on the real Temporal server and FerretDB', () => {
  let stack: TestStack;
  let hook: http.Server;
  let revoke: (() => void) | undefined;
  const received: { key: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ key: req.headers['idempotency-key'] as string | undefined, body });
        res.writeHead(201).end('{"ticket":"T-1"}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    revoke = allowOutbound(`127.0.0.1:${(hook.address() as { port: number }).port}`);
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
    revoke?.();
    hook?.close();
  });

  it('enrolls the contact, routes by the filter, scores once and calls the webhook exactly once', async () => {
    const port = (hook.address() as { port: number }).port;
    const journeyId = await publishJourney(stack.app, mentionRescue({ webhookUrl: `http://127.0.0.1:${port}/tickets` }));
    const event = mention('@lily', '我的手机坏了, screen broken');
    const res = await call(stack.app, 'POST', '/api/v1/events', event);
    expect(res.status).toBe(200);
    expect(res.body.enrolled).toHaveLength(1);
    expect(res.body.contactCreated).toBe(true);
    const contactId = res.body.contactId;

    const run = await eventually(async () => {
      const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
      const e = r.body.enrollments[0];
      return e?.status === 'completed' ? e : undefined;
    });
    expect(run.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual([
      'mention:next', 'is-complaint:yes', 'risk:next', 'apologize:sent', 'ticket:success',
    ]);
    // The filter step says why it took the branch.
    const filterStep = run.steps[1];
    expect(filterStep.evaluated.rules[0]).toMatchObject({ field: 'event.text', op: 'contains', actual: event.text, result: true });

    const contact = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}`)).body;
    expect(contact.scores.risk).toBe(10);
    expect(received).toHaveLength(1);
    expect(received[0].body).toContain('screen broken');
    expect(received[0].key).toMatch(/ticket/);
    expect(await stack.store.outbox.countDocuments({ contactId, kind: 'message', status: 'sent' })).toBe(1);

    const timeline = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/timeline`)).body.items;
    expect(timeline.map((i: { type: string }) => i.type).sort()).toEqual(['score.changed', 'social.mention']);

    const stats = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body;
    expect(stats.nodes['is-complaint']).toMatchObject({ entered: 1, exited: 1, ports: { yes: 1 } });
    expect(stats.nodes.thanks).toBeUndefined();
    expect(stats.enrollments.completed).toBe(1);

    // The run got the event with the analysis stored at ingestion (text filters read it, not the text again).
    const history = await stack.rt.temporal.workflow.getHandle(res.body.enrolled[0].enrollmentId).fetchHistory();
    const input = stack.rt.temporal.options.loadedDataConverter.payloadConverter.fromPayload(history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0]) as { trigger: { analysis?: unknown } };
    const stored = (await stack.store.interactions.findOne({ eventId: event.id }))!.analysis!;
    expect(input.trigger.analysis).toEqual({ language: stored.language, sentiment: stored.sentiment });
  });

  it('takes the other branch for a happy mention, and an identity resolves to the same contact', async () => {
    const first = await call(stack.app, 'POST', '/api/v1/events', mention('@max', 'love the new camera'));
    const second = await call(stack.app, 'POST', '/api/v1/events', mention('@max', 'still loving it'));
    expect(second.body.contactId).toBe(first.body.contactId);
    expect(second.body.contactCreated).toBe(false);
    const contact = await eventually(async () => {
      const c = (await call(stack.app, 'GET', `/api/v1/contacts?identity=weibo:@max`)).body.contacts[0];
      return c?.tags.includes('fan') ? c : undefined;
    });
    expect(contact.scores.risk).toBeUndefined();
  });

  it('stores and enrolls an event posted twice only once', async () => {
    const event = mention('@dup', 'broken again');
    const a = await call(stack.app, 'POST', '/api/v1/events', event);
    const b = await call(stack.app, 'POST', '/api/v1/events', event);
    expect(a.body.duplicate).toBe(false);
    expect(b.body.duplicate).toBe(true);
    expect(a.body.enrolled).toHaveLength(1);
    expect(b.body.enrolled).toHaveLength(0);
    expect(await stack.store.interactions.countDocuments({ eventId: event.id })).toBe(1);
    expect(await stack.store.enrollments.countDocuments({ contactId: a.body.contactId })).toBe(1);
  });
});
