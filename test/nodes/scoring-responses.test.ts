import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runNode } from '../../nodes/harness';
import { scoringEngagement } from '../../nodes/builtin/scoring-engagement/manifest';
import engagement from '../../nodes/builtin/scoring-engagement/run';
import { scoringSentiment } from '../../nodes/builtin/scoring-sentiment/manifest';
import sentimentWeighted from '../../nodes/builtin/scoring-sentiment/run';
import { scoringThreshold } from '../../nodes/builtin/scoring-threshold/manifest';
import threshold from '../../nodes/builtin/scoring-threshold/run';
import { scoringPoints } from '../../nodes/builtin/scoring-points/manifest';
import points from '../../nodes/builtin/scoring-points/run';
import { responseEmail } from '../../nodes/builtin/response-email/manifest';
import email from '../../nodes/builtin/response-email/run';
import { responseTicket } from '../../nodes/builtin/response-ticket/manifest';
import ticket from '../../nodes/builtin/response-ticket/run';
import { responseNotify } from '../../nodes/builtin/response-notify/manifest';
import notify from '../../nodes/builtin/response-notify/run';
import { responseSegment } from '../../nodes/builtin/response-segment/manifest';
import segment from '../../nodes/builtin/response-segment/run';
import { responseWebhookV2 } from '../../nodes/builtin/response-webhook-signed/manifest';
import webhook from '../../nodes/builtin/response-webhook-signed/run';
import { responseReply } from '../../nodes/builtin/response-reply/manifest';
import reply from '../../nodes/builtin/response-reply/run';
import { flowExperiment } from '../../nodes/builtin/flow-experiment/manifest';
import experiment from '../../nodes/builtin/flow-experiment/run';

describe('scoring nodes', () => {
  it('scoring.points adds with a reason', async () => {
    const r = await runNode(scoringPoints, points, { config: { score: 'lead', points: 5, reason: 'clicked' }, contact: { scores: { lead: 10 } } });
    expect(r.effects).toEqual([{ kind: 'score', name: 'lead', delta: 5, reason: 'clicked' }]);
  });

  it('scoring.engagement decays the old value by its half-life before adding', async () => {
    const now = new Date('2024-06-30T00:00:00Z');
    const r = await runNode(scoringEngagement, engagement, {
      config: { score: 'engagement', points: 10, halfLifeDays: 30, reason: 'comment' }, now,
      contact: { scores: { engagement: 40 }, profile: { scoreUpdatedAt: { engagement: '2024-05-31T00:00:00Z' } } },
    });
    // 40 halves to 20 after 30 days, +10 = 30: delta -10
    expect(r.output).toMatchObject({ before: 40, after: 30, decay: -20 });
    expect(r.effects?.[0]).toMatchObject({ kind: 'score', name: 'engagement', delta: -10 });
    expect(r.effects?.[1]).toEqual({ kind: 'contact.set', fields: { scoreUpdatedAt: { engagement: now.toISOString() } } });
  });

  it('scoring.engagement starts fresh without history', async () => {
    const r = await runNode(scoringEngagement, engagement, { config: { score: 'engagement', points: 3, reason: 'like' } });
    expect(r.output).toMatchObject({ before: 0, after: 3 });
  });

  it('scoring.sentiment-weighted follows (or opposes) the sentiment', async () => {
    const praise = await runNode(scoringSentiment, sentimentWeighted, { config: { score: 'loyalty', points: 10 }, event: { text: '太好用了，强烈推荐！' } });
    expect((praise.effects?.[0] as { delta: number }).delta).toBeGreaterThan(3);
    const risk = await runNode(scoringSentiment, sentimentWeighted, { config: { score: 'risk', points: 10, direction: 'against' }, event: { text: 'Worst service ever, total scam' } });
    expect((risk.effects?.[0] as { delta: number }).delta).toBeGreaterThan(3);
    const neutral = await runNode(scoringSentiment, sentimentWeighted, { config: { score: 'risk', points: 10 }, event: { text: '明天几点开门' } });
    expect(neutral.effects).toEqual([]);
  });

  it('scoring.threshold branches at or above', async () => {
    expect((await runNode(scoringThreshold, threshold, { config: { score: 'lead', threshold: 50 }, contact: { scores: { lead: 50 } } })).port).toBe('above');
    expect((await runNode(scoringThreshold, threshold, { config: { score: 'lead', threshold: 50 } })).port).toBe('below');
  });
});

describe('response nodes', () => {
  it('response.reply answers publicly on the thread, or by DM', async () => {
    const r = await runNode(responseReply, reply, { config: { mode: 'reply', message: '抱歉 {{contact.profile.name | "亲"}}' }, event: { threadId: 'post-1' } });
    expect(r.sent[0]).toMatchObject({ channel: 'weibo', to: '@lily', kind: 'reply', inReplyTo: 'post-1', text: '抱歉 亲' });
    const dm = await runNode(responseReply, reply, { config: { mode: 'dm', message: 'hi' } });
    expect(dm.sent[0]).toMatchObject({ kind: 'dm', inReplyTo: undefined });
  });

  it('a message with a variable that has no value and no fallback is not sent: the step names the variable', async () => {
    const r = await runNode(responseReply, reply, { config: { mode: 'reply', message: 'Sorry to hear that {{contact.profile.firstName}}, {{contact.profile.city | "friend"}}' } });
    expect(r.sent).toEqual([]);
    expect(r.port).toBe('skipped');
    expect(r.output).toMatchObject({ reason: 'unresolved_variables', unresolved: ['contact.profile.firstName'] });
    const mail = await runNode(responseEmail, email, {
      config: { subject: 'Hi {{contact.profile.firstName}}', html: '<p>{{event.text}}</p>' }, contact: { identities: [{ channel: 'email', handle: 'ann@example.com' }] },
    });
    expect(mail.sent).toEqual([]);
    expect(mail.output).toMatchObject({ reason: 'unresolved_variables', unresolved: ['contact.profile.firstName', 'event.text'] });
  });

  it('response.email escapes variables in HTML, keeps the subject on one line and skips contacts without an address', async () => {
    const contact = { identities: [{ channel: 'email', handle: 'ann@example.com' }], profile: { name: '<b>Ann</b>\r\nBcc: x@evil.com' } };
    const r = await runNode(responseEmail, email, { config: { subject: 'Hi {{contact.profile.name}}', html: '<p>Hello {{contact.profile.name}}</p>' }, contact });
    expect(r.port).toBe('sent');
    const m = r.sent[0];
    expect(m).toMatchObject({ channel: 'email', kind: 'email', to: 'ann@example.com' });
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect((m.data as { html: string }).html).toBe('<p>Hello &lt;b&gt;Ann&lt;/b&gt;\r\nBcc: x@evil.com</p>');
    expect(m.text).toContain('Hello <b>Ann</b>');
    const none = await runNode(responseEmail, email, { config: { subject: 's', html: 'h' } });
    expect(none).toMatchObject({ port: 'skipped', output: { reason: 'no_email_address' } });
  });

  it('response.email reports a consent skip on its not-sent port', async () => {
    const r = await runNode(responseEmail, email, {
      config: { subject: 's', html: 'h' }, contact: { profile: { email: 'bo@example.com' } },
      send: () => ({ status: 'skipped', reason: 'no_consent', replayed: false }),
    });
    expect(r.port).toBe('skipped');
  });

  it('response.ticket opens a ticket with assignee, priority and SLA through the helpdesk channel', async () => {
    const r = await runNode(responseTicket, ticket, { config: { title: 'Complaint from {{event.handle}}', assignee: 'care-team', priority: 'high', slaMinutes: 30 }, event: { text: '坏了' } });
    expect(r.port).toBe('created');
    expect(r.sent[0]).toMatchObject({ channel: 'helpdesk', kind: 'ticket', to: 'care-team', subject: 'Complaint from @lily', text: '坏了', data: { priority: 'high', slaMinutes: 30 } });
  });

  it('response.notify-team sends an alert to the team channel', async () => {
    const r = await runNode(responseNotify, notify, { config: { to: '#care', message: 'New complaint: {{event.text}}' }, event: { text: 'broken' } });
    expect(r.sent[0]).toMatchObject({ channel: 'team', kind: 'alert', to: '#care', text: 'New complaint: broken' });
  });

  it('response.segment adds and removes segments as one effect', async () => {
    const r = await runNode(responseSegment, segment, { config: { add: ['vip'], remove: ['trial'] }, contact: { segments: ['trial'] } });
    expect(r.effects).toEqual([{ kind: 'segments', add: ['vip'], remove: ['trial'] }]);
    expect(r.output).toEqual({ entered: ['vip'], left: ['trial'] });
  });

  it('response.webhook@2 signs the body with HMAC-SHA256 and asks the engine for one request with retries', async () => {
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

  it('response.webhook@2 gives up after maxAttempts and fails on a missing credential', async () => {
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

describe('flow.experiment', () => {
  it('takes the arm the experiment service picks and declares one port per path', async () => {
    const config = { branches: [{ id: 'a', label: 'Coupon' }, { id: 'b', label: 'Free shipping' }], evaluation: { amount: 3, unit: 'days' as const } };
    const r = await runNode(flowExperiment, experiment, { config, experiment: (req) => ({ arm: req.arms[1].id, phase: 'winner' }) });
    expect(r).toMatchObject({ port: 'b', output: { phase: 'winner' } });
  });
});
