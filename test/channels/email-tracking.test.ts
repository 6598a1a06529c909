/**
 * Email engagement on the real stack (Temporal + FerretDB + worker) and a real SMTP server: the email a journey
 * sends carries tracked links, an open pixel and List-Unsubscribe (RFC 8058 one-click); loading the pixel, following
 * a link and the one-click post are what a mail client does with them. A forged or altered link records nothing. A
 * mailbox the receiving server refuses is a hard bounce (message.failed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';
import { defaultChannelAdapters } from '../../core/channels/index';
import { call, publishJourney } from '../helpers/api';
import { dsnFor } from '../helpers/dsn';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp';
import { eventually, startStack, type TestStack } from '../helpers/stack';

const PUBLIC_URL = 'https://crm.brand.test';
let stack: TestStack;
let smtp: SmtpTestServer;
let journeyId: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const adapters: ChannelAdapter[] = [];
  stack = await startStack({ worker: false, adapters });
  adapters.push(...defaultChannelAdapters(stack.store, { emailTracking: { publicUrl: PUBLIC_URL } }));
  await stack.startWorker();
  expect((await call(stack.app, 'PUT', '/api/v1/channels/email', { settings: { kind: 'smtp', host: '127.0.0.1', port: smtp.port, from: 'news@brand.test' } })).status).toBe(200);
  journeyId = await publishJourney(stack.app, {
    name: 'Newsletter: opened or clicked',
    nodes: [
      { id: 'signup', type: 'trigger.event', version: 1, config: { eventTypes: ['form.submitted'] } },
      { id: 'news', type: 'response.email', version: 1, config: { subject: 'Spring news', html: '<p>Hi! <a href="https://shop.brand.test/spring?utm=mail&amp;x=1">See the offer</a> · <a href="mailto:care@brand.test">write to us</a></p>', campaign: 'spring' } },
      { id: 'clicked', type: 'flow.wait-for-event', version: 1, config: { eventTypes: ['email.clicked'], timeout: { amount: 30, unit: 'seconds' } } },
      { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['clicked-spring'] } },
    ],
    edges: [{ from: 'signup', port: 'next', to: 'news' }, { from: 'news', port: 'sent', to: 'clicked' }, { from: 'clicked', port: 'received', to: 'tag' }],
    settings: { reentry: 'always' },
  });
});
afterAll(async () => {
  await stack?.close();
  await smtp?.close();
});

/** Sends the newsletter to `address` and returns the email as received, with its contact. */
async function newsletterTo(address: string) {
  const r = await call(stack.app, 'POST', '/api/v1/events', { id: `signup-${address}`, type: 'form.submitted', channel: 'email', handle: address, occurredAt: new Date().toISOString() });
  expect(r.body.enrolled).toHaveLength(1);
  const mail = await eventually(async () => smtp.to(address)[0]);
  return { mail, contactId: r.body.contactId as string, enrollmentId: r.body.enrolled[0].enrollmentId as string };
}
const pathOf = (url: string) => { expect(url.startsWith(`${PUBLIC_URL}/t/`)).toBe(true); return url.slice(PUBLIC_URL.length); };
const eventsOf = async (contactId: string, type: string) => (await stack.store.interactions.find({ contactId, type }).toArray());

describe('email engagement links', () => {
  it('tracks the open once and the click with a redirect to the original link; the waiting run takes "received"', async () => {
    const { mail, contactId, enrollmentId } = await newsletterTo('reader@example.com');
    const links = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links[1]).toBe('mailto:care@brand.test'); // not a web link: left alone
    const pixel = /<img src="([^"]+)" width="1" height="1"/.exec(mail.html)![1];

    for (let i = 0; i < 2; i++) {
      const open = await stack.app.inject({ method: 'GET', url: pathOf(pixel) });
      expect(open.statusCode).toBe(200);
      expect(open.headers['content-type']).toBe('image/gif');
    }
    const opened = await eventsOf(contactId, 'email.opened');
    expect(opened).toHaveLength(1);
    expect(opened[0].data).toMatchObject({ journeyId, nodeId: 'news' });

    const click = await stack.app.inject({ method: 'GET', url: pathOf(links[0]) });
    expect(click.statusCode).toBe(302);
    expect(click.headers.location).toBe('https://shop.brand.test/spring?utm=mail&x=1');
    expect((await eventsOf(contactId, 'email.clicked')).map((e) => e.data?.url)).toEqual(['https://shop.brand.test/spring?utm=mail&x=1']);

    const run = await eventually(async () => {
      const e = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`)).body.enrollments.find((x: { id: string }) => x.id === enrollmentId);
      return e?.status === 'completed' ? e : undefined;
    });
    expect(run.steps.map((s: { nodeId: string; port: string }) => `${s.nodeId}:${s.port}`)).toEqual(['signup:next', 'news:sent', 'clicked:received', 'tag:next']);
  });

  it('a forged or altered link records nothing and redirects nowhere', async () => {
    const { mail, contactId } = await newsletterTo('forger@example.com');
    const link = pathOf([...mail.html.matchAll(/href="([^"]+)"/g)][0][1]);
    const [body, sig] = link.slice('/t/c/'.length).split('.');
    // Another destination under the same signature, a signature of another body, a made-up token.
    const otherBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), u: 'https://evil.test/' })).toString('base64url');
    for (const url of [`/t/c/${otherBody}.${sig}`, `/t/c/${body}.${sig.slice(0, -2)}AA`, '/t/c/abc.def', `/t/o/${otherBody}.${sig}`, `/t/u/${otherBody}.${sig}`]) {
      const res = await stack.app.inject({ method: url.startsWith('/t/u/') ? 'POST' : 'GET', url, payload: url.startsWith('/t/u/') ? 'List-Unsubscribe=One-Click' : undefined, headers: url.startsWith('/t/u/') ? { 'content-type': 'application/x-www-form-urlencoded' } : {} });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers.location).toBeUndefined();
    }
    expect(await eventsOf(contactId, 'email.clicked')).toEqual([]);
    expect(await eventsOf(contactId, 'email.opened')).toEqual([]);
    expect((await stack.store.contacts.findOne({ _id: contactId }))!.consent.email).toBeUndefined();
  });

  it('List-Unsubscribe one-click opts the contact out (timeline entry, event), the next email is not sent; the page asks first', async () => {
    const { mail, contactId } = await newsletterTo('leaver@example.com');
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = pathOf(/^<([^>]+)>$/.exec(mail.headers['list-unsubscribe'])![1]);

    // A link scanner (or the reader) opening the URL sees a page with a button, in their language: nothing changes.
    const shown = await stack.app.inject({ method: 'GET', url: unsubscribe, headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('退订');
    expect((await stack.store.contacts.findOne({ _id: contactId }))!.consent.email).toBeUndefined();

    const post = () => stack.app.inject({ method: 'POST', url: unsubscribe, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const first = await post();
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('You are unsubscribed');
    expect((await post()).body).toContain('already unsubscribed');
    expect((await stack.store.contacts.findOne({ _id: contactId }))!.consent.email).toMatchObject({ status: 'opted_out', source: 'list-unsubscribe' });
    const timeline = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/timeline`)).body.items as { type: string; data?: Record<string, unknown> }[];
    expect(timeline.filter((i) => i.type === 'consent.changed')).toEqual([expect.objectContaining({ data: expect.objectContaining({ status: 'opted_out', source: 'list-unsubscribe' }) })]);
    expect(await eventsOf(contactId, 'email.unsubscribed')).toHaveLength(1);

    // The same journey again for this contact: the email step is skipped for lack of consent, nothing is sent.
    const again = await call(stack.app, 'POST', '/api/v1/events', { id: 'signup-leaver-2', type: 'form.submitted', channel: 'email', handle: 'leaver@example.com', occurredAt: new Date().toISOString() });
    const run = await eventually(async () => {
      const e = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`)).body.enrollments.find((x: { id: string }) => x.id === again.body.enrolled[0].enrollmentId);
      return e?.status !== 'active' ? e : undefined;
    });
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'news')).toMatchObject({ port: 'skipped', output: expect.objectContaining({ reason: 'no_consent' }) });
    expect(smtp.to('leaver@example.com')).toHaveLength(1);
  });

  it('a mailbox the receiving server refuses (550) is a hard bounce: the email step fails with the reason, message.failed starts the journey listening', async () => {
    const bounceJourney = await publishJourney(stack.app, {
      name: 'Bounced: mark the address',
      nodes: [
        { id: 'failed', type: 'trigger.event', version: 1, config: { eventTypes: ['message.failed'] } },
        { id: 'mark', type: 'response.update-contact', version: 1, config: { addTags: ['email-bounced'] } },
      ],
      edges: [{ from: 'failed', port: 'next', to: 'mark' }],
      settings: { reentry: 'always' },
    });
    const r = await call(stack.app, 'POST', '/api/v1/events', { id: 'signup-nobody', type: 'form.submitted', channel: 'email', handle: 'nobody@example.com', occurredAt: new Date().toISOString() });
    const contactId = r.body.contactId as string;
    const run = await eventually(async () => {
      const e = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`)).body.enrollments.find((x: { journeyId: string }) => x.journeyId === journeyId);
      return e?.status !== 'active' ? e : undefined;
    });
    expect(run).toMatchObject({ status: 'failed', outcome: 'news:delivery_refused' });
    expect(run.steps.find((st: { nodeId: string }) => st.nodeId === 'news').error).toMatchObject({ code: 'delivery_refused', message: expect.stringContaining('User unknown') });
    expect(await stack.store.outbox.findOne({ contactId, kind: 'message' })).toMatchObject({ status: 'failed', result: { reason: 'delivery_refused', responseCode: 550 } });
    expect(smtp.to('nobody@example.com')).toEqual([]);
    const failed = await eventually(async () => (await eventsOf(contactId, 'message.failed'))[0]);
    expect(failed.data).toMatchObject({ reason: 'delivery_refused', responseCode: 550, channel: 'email', journeyId, nodeId: 'news' });
    await eventually(async () => (await stack.store.contacts.findOne({ _id: contactId }))?.tags.includes('email-bounced'));
    expect(await stack.store.enrollments.countDocuments({ contactId, journeyId: bounceJourney })).toBe(1);
  });

  it('a bounce mailed back later (a DSN the forwarder posts with the channel secret) marks the send failed and becomes message.failed; a wrong secret stores nothing', async () => {
    expect((await call(stack.app, 'PUT', '/api/v1/channels/email', { settings: { kind: 'smtp', host: '127.0.0.1', port: smtp.port, from: 'news@brand.test' }, webhookSecret: 'bounce-forwarder-secret-0123' })).status).toBe(200);
    const { mail, contactId } = await newsletterTo('gone-later@example.com');
    const key = mail.headers['x-journeys-key'];
    expect(key).toMatch(/^default\|/);
    const post = (authorization?: string) => stack.app.inject({
      method: 'POST', url: '/api/v1/hooks/default/email', payload: dsnFor('gone-later@example.com', key),
      headers: { 'content-type': 'message/rfc822', ...(authorization ? { authorization } : { authorization: '' }) },
    });
    expect((await post('Bearer wrong-secret-000000000000')).statusCode).toBe(401);
    expect((await post()).statusCode).toBe(401);
    expect(await eventsOf(contactId, 'message.failed')).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const ok = await post('Bearer bounce-forwarder-secret-0123');
      expect(ok.statusCode, ok.body).toBe(200);
      expect(JSON.parse(ok.body)).toEqual({ bounces: 1 });
    }
    expect((await stack.store.outbox.findOne({ _id: key }))!.result).toMatchObject({ delivery: { status: 'failed', reason: 'bounced', dsnStatus: '5.1.1' } });
    const failed = await eventsOf(contactId, 'message.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].data).toMatchObject({ outboxId: key, reason: 'bounced', dsnStatus: '5.1.1', journeyId, nodeId: 'news' });
  });
});
