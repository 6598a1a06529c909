import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';
import { mentionRescue } from './fixtures';

describe('journey list counts and clone', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  const listed = async (id: string) => (await call(stack.app, 'GET', '/api/v1/journeys')).body.journeys.find((j: { id: string }) => j.id === id);

  it('test runs of the draft are not counted as enrollments; live enrollments are', async () => {
    const id = await publishJourney(stack.app, { ...mentionRescue(), name: 'Counted journey', description: 'Rescue negative mentions' });
    const test = await call(stack.app, 'POST', `/api/v1/journeys/${id}/test-runs`, { contact: { channel: 'weibo', handle: '@rehearsal' }, event: { type: 'social.mention', text: 'broken' } });
    expect(test.status).toBe(201);
    expect(await stack.store.enrollments.countDocuments({ journeyId: id })).toBe(1);
    expect(await listed(id)).toMatchObject({ name: 'Counted journey', description: 'Rescue negative mentions', nodeCount: 5, enrolled: 0 });
    expect((await call(stack.app, 'POST', '/api/v1/events', mention('@real-fan', 'it is broken'))).status).toBe(200);
    // A run of a journey without waits writes its enrollment as it ends: counted once the run has run.
    await expect.poll(async () => (await listed(id)).enrolled, { timeout: 15_000 }).toBe(1);
  });

  it('a clone is a new draft with the same graph, named as a copy in the reader\'s language, and independent of the original', async () => {
    const original = (await call(stack.app, 'POST', '/api/v1/journeys', { ...mentionRescue(), name: 'Welcome drip' })).body;
    const first = await call(stack.app, 'POST', `/api/v1/journeys/${original.id}/clone`, {});
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'Welcome drip (copy)', status: 'draft', clonedFrom: original.id });
    expect(first.body.id).not.toBe(original.id);
    expect(first.body.nodes.map((n: { id: string }) => n.id)).toEqual(original.nodes.map((n: { id: string }) => n.id));
    expect(first.body.edges).toEqual(original.edges);
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${original.id}/clone`, {})).body.name).toBe('Welcome drip (copy 2)');
    const zh = await call(stack.app, 'POST', `/api/v1/journeys/${original.id}/clone`, {}, { 'accept-language': 'zh-CN' });
    expect(zh.body.name).toBe('Welcome drip（副本）');
    const named = await call(stack.app, 'POST', `/api/v1/journeys/${original.id}/clone`, { name: 'Spring drip' });
    expect(named.body.name).toBe('Spring drip');

    // Editing the copy leaves the original as it was.
    const put = await call(stack.app, 'PUT', `/api/v1/journeys/${first.body.id}`, { ...mentionRescue(), name: 'Welcome drip (copy)', nodes: mentionRescue().nodes.slice(0, 2), edges: [] });
    expect(put.status).toBe(200);
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${original.id}`)).body.nodes).toHaveLength(5);
  });

  it('cloning an unknown journey is a 404 and a bad name a 400 naming the field; neither writes', async () => {
    const before = await stack.store.journeys.countDocuments({});
    const missing = await call(stack.app, 'POST', '/api/v1/journeys/nope/clone', {});
    expect(missing.status).toBe(404);
    const original = (await call(stack.app, 'POST', '/api/v1/journeys', mentionRescue())).body;
    const bad = await call(stack.app, 'POST', `/api/v1/journeys/${original.id}/clone`, { name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('body/name');
    expect(await stack.store.journeys.countDocuments({})).toBe(before + 1);
  });
});
