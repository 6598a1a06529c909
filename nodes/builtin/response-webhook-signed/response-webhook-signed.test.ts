import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { responseWebhookV2 } from './manifest';
import webhook from './run';

describe('response.webhook@2', () => {
  it('signs the body with HMAC-SHA256 and asks the engine for one request with retries', async () => {
    const r = await runNode(responseWebhookV2, webhook, {
      config: { url: 'https://sms.example.com/send', method: 'POST', body: '{"to":"{{contact.profile.phone}}","text":"{{event.text}}"}', signingSecret: 'sms', maxAttempts: 3 },
      contact: { profile: { phone: '+8613800000000' } }, event: { text: 'say "hi"' }, secrets: { sms: 'topsecret' },
      http: () => ({ status: 200, body: '{}', replayed: false, attempts: 2 }),
    });
    expect(r.port).toBe('success');
    expect(r.output).toMatchObject({ attempts: 2 });
    // Retries are the engine's (one outbox row, one Idempotency-Key; test/nodes/webhook-retries.test.ts).
    expect(r.httpCalls).toHaveLength(1);
    expect(r.httpCalls[0].retry).toEqual({ maxAttempts: 3 });
    const call = r.httpCalls[0];
    expect(JSON.parse(call.body!)).toEqual({ to: '+8613800000000', text: 'say "hi"' });
    const sig = call.headers!['x-journeys-signature'];
    const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig)!;
    expect(mac).toBe(createHmac('sha256', 'topsecret').update(`${ts}.${call.body}`).digest('hex'));
  });

  it('gives up after maxAttempts and fails on a missing credential', async () => {
    const r = await runNode(responseWebhookV2, webhook, { config: { url: 'https://x.example.com', method: 'POST', maxAttempts: 1 }, http: () => ({ status: 500, body: 'boom', replayed: false }) });
    expect(r).toMatchObject({ port: 'failed', output: { status: 500, attempts: 1 } });
    const optedOut = await runNode(responseWebhookV2, webhook, {
      config: { url: 'https://sms.example.com/send', method: 'POST', consentChannel: 'sms' },
      contact: { consent: { sms: { status: 'opted_out', at: '2026-01-01T00:00:00.000Z' } } },
    });
    expect(optedOut).toMatchObject({ port: 'skipped', output: { reason: 'no_consent', channel: 'sms' } });
    expect(optedOut.httpCalls).toHaveLength(0);
    await expect(runNode(responseWebhookV2, webhook, { config: { url: 'https://x.example.com', method: 'POST', signingSecret: 'nope' } })).rejects.toThrow(/credential/);
  });
});
