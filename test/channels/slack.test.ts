/**
 * Team alerts to Slack on the real stack (Temporal + FerretDB + worker) and a strict fake Slack Web API on 127.0.0.1
 * (test/helpers/fake-slack.ts): the notify node's alert posted with chat.postMessage to the channel it names (or the
 * channel's default); Slack's `{"ok":false,"error"}` answers as clear errors; a 429 waited out per Retry-After; Test
 * connection (auth.test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { slackSend } from '../../core/channels/slack/adapter';
import { call, publishJourney } from '../helpers/api';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let sl: FakeSlack;
let alertJourney: string;

beforeAll(async () => {
  sl = await startFakeSlack();
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store));
  await stack.startWorker();
  const put = await call(stack.app, 'PUT', '/api/v1/channels/slack', { settings: { kind: 'slack', channelId: sl.channelId, apiBaseUrl: sl.url }, token: sl.token });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  alertJourney = await publishJourney(stack.app, {
    name: 'VIP complaint alert',
    nodes: [
      { id: 'complaint', type: 'trigger.event', version: 1, config: { eventTypes: ['ticket.complaint'] } },
      { id: 'alert', type: 'response.notify-team', version: 1, config: { channel: 'slack', to: '#care', message: 'Complaint from {{contact.id}}: {{event.text}}' } },
      { id: 'ops', type: 'response.notify-team', version: 1, config: { channel: 'slack', to: 'C0OPS56789', message: 'ops copy' } },
    ],
    edges: [{ from: 'complaint', port: 'next', to: 'alert' }, { from: 'alert', port: 'next', to: 'ops' }],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await stack?.close();
  await sl?.close();
});

type Run = { id: string; journeyId: string; status: string; steps: any[] };

describe('Slack team alerts', () => {
  it('a notify node\'s alert lands in the configured channel, and in the channel id an alert names', async () => {
    const ev = await call(stack.app, 'POST', '/api/v1/events', { id: `c-${Date.now()}`, type: 'ticket.complaint', channel: 'web', handle: `vip-${Date.now()}`, text: 'cold coffee', occurredAt: new Date().toISOString() });
    expect(ev.body.enrolled).toHaveLength(1);
    const run = await eventually(async () => {
      const r = await call(stack.app, 'GET', `/api/v1/contacts/${ev.body.contactId}/journeys`);
      return (r.body.enrollments as Run[]).find((e) => e.status !== 'active' && e.journeyId === alertJourney);
    });
    expect(run.status).toBe('completed');
    expect(sl.posted.map((p) => [p.channel, p.text])).toEqual([[sl.channelId, `Complaint from ${ev.body.contactId}: cold coffee`], ['C0OPS56789', 'ops copy']]);
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'alert').output.providerId).toBe(`${sl.channelId}:${sl.posted[0].ts}`);
    expect(JSON.stringify((await call(stack.app, 'GET', '/api/v1/channels')).body)).not.toContain(sl.token);
  });

  it('maps Slack\'s errors: channel_not_found and invalid_auth are clear errors; a 429 is retried after Retry-After', async () => {
    const cfg = { store: stack.store, workspaceId: stack.workspaceId, channel: 'slack', settings: { kind: 'slack' as const, apiBaseUrl: sl.url }, token: sl.token };
    const missing = await slackSend(cfg, { channel: 'slack', to: 'C0NOWHERE1', kind: 'alert', text: 'x' }, `${stack.workspaceId}|sl-1`).catch((e: Error) => e);
    expect(missing).toMatchObject({ name: 'NodeError', code: 'slack_refused', params: { error: 'channel_not_found' } });
    const auth = await slackSend({ ...cfg, token: 'xoxb-wrong' }, { channel: 'slack', to: sl.channelId, kind: 'alert', text: 'x' }, `${stack.workspaceId}|sl-2`).catch((e: Error) => e);
    expect(auth).toMatchObject({ code: 'slack_auth_failed', params: { error: 'invalid_auth' } });
    const noTarget = await slackSend(cfg, { channel: 'slack', to: '#care', kind: 'alert', text: 'x' }, `${stack.workspaceId}|sl-3`).catch((e: Error) => e);
    expect(noTarget).toMatchObject({ code: 'slack_no_channel' });

    sl.rateLimitOnce(1);
    const before = sl.requests.length;
    const ok = await slackSend(cfg, { channel: 'slack', to: sl.channelId, kind: 'alert', text: 'after the limit' }, `${stack.workspaceId}|sl-4`);
    expect(ok.providerId).toMatch(new RegExp(`^${sl.channelId}:`));
    expect(sl.requests.length).toBe(before + 2);
  });

  it('Test connection calls auth.test and says what Slack answered', async () => {
    const ok = await call(stack.app, 'POST', '/api/v1/channels/slack/test');
    expect(ok.body).toMatchObject({ ok: true, details: { kind: 'slack', account: 'alerts-bot @ Journeys' } });
    await call(stack.app, 'PUT', '/api/v1/channels/slack-wrong', { settings: { kind: 'slack', apiBaseUrl: sl.url }, token: 'xoxb-nope' });
    const wrong = await call(stack.app, 'POST', '/api/v1/channels/slack-wrong/test');
    expect(wrong.body).toMatchObject({ ok: false, details: { kind: 'slack', description: 'invalid_auth' } });
    expect((await call(stack.app, 'PUT', '/api/v1/channels/slack-none', { settings: { kind: 'slack' } })).body.fields[0].field).toBe('body/token');
  });
});
