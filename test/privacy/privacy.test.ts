import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { defaultChannelAdapters } from '../../core/channels';
import type { ChannelAdapter } from '../../core/channels/channel-adapter';

describe('privacy: export, erasure, consent', () => {
  let stack: TestStack;
  let contactId: string;
  let enrollmentId: string;
  beforeAll(async () => {
    // The built-in helpdesk, as the worker has it: the ticket node opens a real ticket.
    const adapters: ChannelAdapter[] = [];
    stack = await startStack({ worker: false, adapters });
    adapters.push(...defaultChannelAdapters(stack.store));
    await stack.startWorker();
    await publishJourney(stack.app, {
      name: 'tag then wait',
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
        { id: 'tag', type: 'response.update-contact', version: 1, config: { set: { name: 'Lily Chen' }, addTags: ['seen'] } },
        { id: 'ticket', type: 'response.ticket', version: 1, config: { title: 'Call back {{contact.profile.name}} ({{event.handle}})', assignee: 'care', slaMinutes: 60 } },
        { id: 'w', type: 'flow.wait', version: 1, config: { duration: { amount: 2, unit: 'hours' } } },
      ],
      edges: [{ from: 't', port: 'next', to: 'tag' }, { from: 'tag', port: 'next', to: 'ticket' }, { from: 'ticket', port: 'created', to: 'w' }],
    });
    const ev = await call(stack.app, 'POST', '/api/v1/events', mention('@lily-private', 'my phone is 13800000000'));
    contactId = ev.body.contactId;
    enrollmentId = ev.body.enrolled[0].enrollmentId;
    await eventually(async () => (await stack.store.steps.countDocuments({ enrollmentId, outcome: 'waiting' })) > 0);
  });
  afterAll(async () => { await stack?.close(); });

  it('records consent changes with source and time, on the contact and its timeline', async () => {
    const r = await call(stack.app, 'PUT', `/api/v1/contacts/${contactId}/consent/email`, { status: 'opted_out', source: 'unsubscribe-link' });
    expect(r.status).toBe(200);
    const c = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}`)).body;
    expect(c.consent.email).toMatchObject({ status: 'opted_out', source: 'unsubscribe-link' });
    expect(Date.parse(c.consent.email.at)).toBeGreaterThan(Date.now() - 60_000);
    const items = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/timeline`)).body.items;
    expect(items.find((i: { type: string }) => i.type === 'consent.changed')).toMatchObject({ channel: 'email', data: { status: 'opted_out', source: 'unsubscribe-link', previous: null } });
  });

  it('exports everything about the contact as JSON', async () => {
    const r = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/export`);
    expect(r.status).toBe(200);
    expect(r.body.contact).toMatchObject({ id: contactId, profile: { name: 'Lily Chen' }, tags: ['seen'] });
    expect(r.body.identities).toEqual([expect.objectContaining({ channel: 'weibo', handle: '@lily-private' })]);
    expect(r.body.interactions.some((i: { text?: string }) => i.text?.includes('13800000000'))).toBe(true);
    expect(r.body.enrollments.map((e: { _id: string }) => e._id)).toEqual([enrollmentId]);
    expect(r.body.steps.length).toBeGreaterThanOrEqual(2);
    expect(Array.isArray(r.body.outbox)).toBe(true);
  });

  it('erases the contact: running journeys stop, PII leaves contact, timeline, steps and tickets', async () => {
    const ticketsBefore = await stack.store.db.collection('tickets').find({ contactId }).toArray();
    expect(JSON.stringify(ticketsBefore)).toContain('@lily-private'); // the ticket really carried PII before
    const r = await call(stack.app, 'POST', `/api/v1/contacts/${contactId}/erase`, { reason: 'GDPR request' });
    expect(r.status).toBe(200);
    expect(r.body.stoppedEnrollments).toEqual([enrollmentId]);
    const desc = await stack.rt.temporal.workflow.getHandle(enrollmentId).describe();
    expect(desc.status.name).toBe('TERMINATED');
    expect((await stack.store.enrollments.findOne({ _id: enrollmentId }))).toMatchObject({ status: 'exited', outcome: 'erased' });
    const dump = JSON.stringify({
      contact: await stack.store.contacts.findOne({ _id: contactId }),
      identities: await stack.store.identities.find({ contactId }).toArray(),
      interactions: await stack.store.interactions.find({ contactId }).toArray(),
      steps: await stack.store.steps.find({ contactId }).toArray(),
      outbox: await stack.store.outbox.find({ contactId }).toArray(),
      tickets: await stack.store.db.collection('tickets').find({ contactId }).toArray(),
    });
    // Tickets stay (for response-time statistics), without what identified the person.
    expect(await stack.store.db.collection('tickets').countDocuments({ contactId })).toBe(ticketsBefore.length);
    for (const pii of ['@lily-private', '13800000000', 'Lily Chen', 'unsubscribe-link']) expect(dump).not.toContain(pii);
    // The erased contact's timeline and runs still answer, marked as erased (what an agent sees on its page).
    const timelineAfter = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/timeline`);
    expect(timelineAfter.status).toBe(200);
    expect(timelineAfter.body.items.length).toBeGreaterThan(0);
    expect(timelineAfter.body.items.filter((i: { kind: string }) => i.kind === 'event').every((i: { erased?: boolean }) => i.erased === true)).toBe(true);
    const runsAfter = await call(stack.app, 'GET', `/api/v1/contacts/${contactId}/journeys`);
    expect(runsAfter.status).toBe(200);
    expect(runsAfter.body.enrollments[0].steps.every((st: { erased?: boolean }) => st.erased === true)).toBe(true);
    const ticketsAfter = await call(stack.app, 'GET', '/api/v1/tickets');
    expect(ticketsAfter.status).toBe(200);
    expect(ticketsAfter.body.tickets.filter((t: { contactId: string }) => t.contactId === contactId).every((t: { erased?: boolean; title: string }) => t.erased === true && t.title === '[erased]')).toBe(true);
    // The same handle is a stranger now.
    expect((await call(stack.app, 'GET', '/api/v1/contacts?identity=weibo:@lily-private')).body.contacts).toEqual([]);
    const audit = (await call(stack.app, 'GET', '/api/v1/audit')).body.entries.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['contact.erased', 'contact.exported']));
  });
});
