import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';
import { mentionRescue } from './fixtures';

describe('the API refuses bad input with a 4xx naming the field, and writes nothing', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack({ worker: false }); });
  afterAll(async () => { await stack?.close(); });

  it('malformed events get 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...mention('@a', 'x'), type: undefined }, 'body/type is required'],
      [{ ...mention('@a', 'x'), type: 'Not A Type' }, 'body/type must match pattern'],
      [{ ...mention('@a', 'x'), occurredAt: 'yesterday' }, 'body/occurredAt must match format "date-time"'],
      [{ ...mention('@a', 'x'), extra: 1 }, 'body/extra is not an allowed property'],
      [{ events: [mention('@a', 'ok'), { ...mention('@b', 'x'), handle: '' }] }, 'body/events/1/handle must NOT have fewer than 1 characters'],
      [{ events: [] }, 'body/events must NOT have fewer than 1 items'],
      [[1, 2], 'body must be object'],
    ];
    for (const [body, message] of cases) {
      const res = await call(stack.app, 'POST', '/api/v1/events', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toContain(message);
    }
    const dup = mention('@c', 'x');
    const res = await call(stack.app, 'POST', '/api/v1/events', { events: [dup, dup] });
    expect(res.body.message).toContain('body/events/1/id repeats event id');
    // A rejected batch leaves nothing behind, not even its valid events.
    expect(await stack.store.interactions.countDocuments({})).toBe(0);
    expect(await stack.store.contacts.countDocuments({})).toBe(0);
  });

  it('malformed JSON and bad parameters are 4xx, never 500', async () => {
    const raw = await stack.app.inject({ method: 'POST', url: '/api/v1/events', payload: '{"id":', headers: { 'content-type': 'application/json' } });
    expect(raw.statusCode).toBe(400);
    expect((await call(stack.app, 'GET', '/api/v1/journeys/nope')).status).toBe(404);
    expect((await call(stack.app, 'GET', '/api/v1/contacts?identity=nochannel')).body.message).toContain('querystring/identity must match pattern');
    expect((await call(stack.app, 'GET', '/api/v1/journeys', undefined, { 'x-workspace-id': 'bad workspace!' })).status).toBe(400);
    expect((await call(stack.app, 'GET', '/api/v1/nothing-here')).status).toBe(404);
  });

  it('an invalid journey saves as a draft but cannot be published; errors name node and field', async () => {
    const doc = mentionRescue();
    (doc.nodes[2].config as Record<string, unknown>).points = 'lots';
    doc.edges.push({ from: 'risk', port: 'nowhere', to: 'thanks' });
    const created = await call(stack.app, 'POST', '/api/v1/journeys', doc);
    expect(created.status).toBe(201);
    const published = await call(stack.app, 'POST', `/api/v1/journeys/${created.body.id}/publish`, {});
    expect(published.status).toBe(422);
    expect(published.body.issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'invalid_config', nodeId: 'risk', path: '/config/points' }),
      expect.objectContaining({ code: 'unknown_port', nodeId: 'risk' }),
    ]));
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${created.body.id}/versions`)).body.versions).toEqual([]);
    const shape = await call(stack.app, 'POST', '/api/v1/journeys', { name: 'x', nodes: [{ id: 'a' }], edges: [] });
    expect(shape.status).toBe(400);
    expect(shape.body.message).toContain('body/nodes/0/type is required');
  });

  it('drafts keep optimistic concurrency; publishing freezes an immutable version', async () => {
    const created = (await call(stack.app, 'POST', '/api/v1/journeys', mentionRescue())).body;
    const saved = await call(stack.app, 'PUT', `/api/v1/journeys/${created.id}`, { ...mentionRescue(), name: 'Renamed', revision: created.revision });
    expect(saved.body.revision).toBe(created.revision + 1);
    const stale = await call(stack.app, 'PUT', `/api/v1/journeys/${created.id}`, { ...mentionRescue(), revision: created.revision });
    expect(stale.status).toBe(409);
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${created.id}/publish`, { note: 'first' })).body.version).toBe(1);
    await call(stack.app, 'PUT', `/api/v1/journeys/${created.id}`, { ...mentionRescue(), name: 'Changed after publish' });
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${created.id}/publish`, {})).body.version).toBe(2);
    const versions = (await call(stack.app, 'GET', `/api/v1/journeys/${created.id}/versions`)).body.versions;
    expect(versions.map((v: { version: number; note: string | null }) => [v.version, v.note])).toEqual([[2, null], [1, 'first']]);
    expect((await call(stack.app, 'DELETE', `/api/v1/journeys/${created.id}`)).status).toBe(409);
    const catalog = (await call(stack.app, 'GET', '/api/v1/nodes')).body;
    expect(catalog.categories.map((c: { category: string }) => c.category)).toEqual(['trigger', 'filter', 'scoring', 'response', 'flow']);
    const openapi = await call(stack.app, 'GET', '/api/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/v1/events', '/api/v1/journeys/{id}/publish', '/api/v1/contacts/{id}/journeys']));
  });
});
