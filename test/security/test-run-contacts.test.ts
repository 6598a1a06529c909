import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

/** A draft's test run applies its effects to a test contact only: the real contact of that handle stays as it was. */
describe('test runs touch only test contacts', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  const draft = {
    name: 'Draft that scores, tags and segments',
    nodes: [
      { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
      { id: 'score', type: 'scoring.points', version: 1, config: { score: 'loyalty', points: 50, reason: 'draft test' } },
      { id: 'tag', type: 'response.update-contact', version: 1, config: { set: { tier: 'gold' }, addTags: ['draft-tag'] } },
      { id: 'seg', type: 'response.segment', version: 1, config: { add: ['draft-segment'] } },
    ],
    edges: [
      { from: 'mention', port: 'next', to: 'score' }, { from: 'score', port: 'next', to: 'tag' }, { from: 'tag', port: 'next', to: 'seg' },
    ],
  };

  it('scores, tags, fields and segments of a test run land on a test contact, never on the real one', async () => {
    const real = await call(stack.app, 'POST', '/api/v1/events', mention('@realperson', 'hello'));
    expect(real.status).toBe(200);
    const realId = real.body.contactId as string;
    const before = (await call(stack.app, 'GET', `/api/v1/contacts/${realId}`)).body;

    const journey = await call(stack.app, 'POST', '/api/v1/journeys', draft);
    expect(journey.status).toBe(201);
    const run = await call(stack.app, 'POST', `/api/v1/journeys/${journey.body.id}/test-runs`, {
      contact: { channel: 'weibo', handle: '@realperson' }, event: { type: 'social.mention', text: 'hi' },
    });
    expect(run.status).toBe(201);
    expect(run.body.contactId).not.toBe(realId);
    const id = encodeURIComponent(run.body.enrollmentId);
    await eventually(async () => (await call(stack.app, 'GET', `/api/v1/enrollments/${id}`)).body.status === 'completed');

    const testContact = (await call(stack.app, 'GET', `/api/v1/contacts/${run.body.contactId}`)).body;
    expect(testContact.test).toBe(true);
    expect(testContact.scores.loyalty).toBe(50);
    expect(testContact.tags).toContain('draft-tag');

    const after = (await call(stack.app, 'GET', `/api/v1/contacts/${realId}`)).body;
    expect(after.scores).toEqual(before.scores);
    expect(after.tags).toEqual(before.tags);
    expect(after.profile).toEqual(before.profile);
    expect(after.segments ?? []).not.toContain('draft-segment');

    // The handle still finds the real contact; lists and segments never show the test one.
    const byHandle = (await call(stack.app, 'GET', `/api/v1/contacts?identity=${encodeURIComponent('weibo:@realperson')}`)).body.contacts;
    expect(byHandle.map((c: { id: string }) => c.id)).toEqual([realId]);
    const listed = (await call(stack.app, 'GET', '/api/v1/contacts?limit=200')).body.contacts.map((c: { id: string }) => c.id);
    expect(listed).not.toContain(run.body.contactId);
    const members = (await call(stack.app, 'GET', '/api/v1/segments/draft-segment/contacts')).body;
    expect(JSON.stringify(members)).not.toContain(run.body.contactId);
  });

  it('copyFrom seeds the test contact from a real one, which is only read; an unknown one is a 404 naming the field', async () => {
    const real = await call(stack.app, 'POST', '/api/v1/events', mention('@seeded', 'hello'));
    const realId = real.body.contactId as string;
    await stack.store.contacts.updateOne({ _id: realId }, { $set: { 'profile.city': 'Hangzhou', tags: ['member'], 'scores.loyalty': 7 } });
    const before = (await call(stack.app, 'GET', `/api/v1/contacts/${realId}`)).body;
    const journey = await call(stack.app, 'POST', '/api/v1/journeys', draft);
    const run = await call(stack.app, 'POST', `/api/v1/journeys/${journey.body.id}/test-runs`, {
      contact: { channel: 'weibo', handle: '@seeded-test', copyFrom: realId }, event: { type: 'social.mention' },
    });
    expect(run.status).toBe(201);
    const id = encodeURIComponent(run.body.enrollmentId);
    await eventually(async () => (await call(stack.app, 'GET', `/api/v1/enrollments/${id}`)).body.status === 'completed');
    const seeded = (await call(stack.app, 'GET', `/api/v1/contacts/${run.body.contactId}`)).body;
    expect(seeded.profile).toMatchObject({ ...before.profile, tier: 'gold' });
    expect(seeded.tags).toEqual(['member', 'draft-tag']);
    expect(seeded.scores.loyalty).toBe(57);
    const after = (await call(stack.app, 'GET', `/api/v1/contacts/${realId}`)).body;
    expect(after.scores).toEqual(before.scores);
    expect(after.tags).toEqual(before.tags);
    expect(after.profile).toEqual(before.profile);

    const missing = await call(stack.app, 'POST', `/api/v1/journeys/${journey.body.id}/test-runs`, {
      contact: { channel: 'weibo', handle: '@x', copyFrom: 'nobody' }, event: { type: 'social.mention' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('body/contact/copyFrom');
  });
});
