/**
 * `GET /api/v1/segments` (the editor's segment picker) on the real stack: names with member counts from contacts
 * put in segments through the API, readable by a viewer; and the catalog telling custom nodes from built-ins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSegments } from '../../core/store/segments';
import { call } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

let seq = 0;
async function newContact(handle: string): Promise<string> {
  const r = await call(stack.app, 'POST', '/api/v1/events', {
    id: `seg-list-${Date.now()}-${seq++}`, type: 'web.visit', channel: 'wechat', handle, occurredAt: new Date().toISOString(),
  });
  expect(r.status).toBe(200);
  return r.body.contactId;
}

describe('GET /api/v1/segments', () => {
  it('lists the workspace\'s segments by name with member counts, following adds and removals', async () => {
    expect((await call(stack.app, 'GET', '/api/v1/segments')).body).toEqual({ segments: [], truncated: false });
    const [a, b, c] = [await newContact('seg-a'), await newContact('seg-b'), await newContact('seg-c')];
    await newContact('seg-none'); // in no segment
    for (const [segment, id] of [['vip', a], ['vip', b], ['newsletter', a], ['newsletter', b], ['newsletter', c], ['会员', c], ['vip', a]] as const) {
      expect((await call(stack.app, 'PUT', `/api/v1/segments/${encodeURIComponent(segment)}/contacts/${id}`)).status).toBe(200);
    }
    const listed = await call(stack.app, 'GET', '/api/v1/segments');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      segments: [{ name: 'newsletter', members: 3 }, { name: 'vip', members: 2 }, { name: '会员', members: 1 }],
      truncated: false,
    });

    expect((await call(stack.app, 'DELETE', `/api/v1/segments/vip/contacts/${b}`)).body.removed).toBe(true);
    expect((await call(stack.app, 'DELETE', `/api/v1/segments/${encodeURIComponent('会员')}/contacts/${c}`)).body.removed).toBe(true);
    expect((await call(stack.app, 'GET', '/api/v1/segments')).body.segments).toEqual([{ name: 'newsletter', members: 3 }, { name: 'vip', members: 1 }]);

    // Past the scan cap the counts are partial, and say so.
    expect(await listSegments(stack.store, 'default', 2)).toMatchObject({ truncated: true });
    expect(await listSegments(stack.store, 'other-workspace')).toEqual({ segments: [], truncated: false });
  });

  it('is readable with the read permission (a viewer token), and needs credentials', async () => {
    const token = await call(stack.app, 'POST', '/api/v1/tokens', { name: 'picker', role: 'viewer' });
    expect(token.status).toBe(201);
    const viewer = await call(stack.app, 'GET', '/api/v1/segments', undefined, { authorization: `Bearer ${token.body.token}` });
    expect(viewer.status).toBe(200);
    expect(viewer.body.segments.map((s: { name: string }) => s.name)).toContain('newsletter');
    expect((await call(stack.app, 'GET', '/api/v1/segments', undefined, { authorization: '' })).status).toBe(401);
  });
});

describe('GET /api/v1/nodes', () => {
  it('marks every catalog entry as built-in or custom (custom-nodes/ modules)', async () => {
    const r = await call(stack.app, 'GET', '/api/v1/nodes');
    const nodes: { type: string; source: string }[] = r.body.categories.flatMap((c: { nodes: unknown[] }) => c.nodes);
    expect(nodes.find((n) => n.type === 'scoring.points')?.source).toBe('builtin');
    expect(nodes.find((n) => n.type === 'acme.loyalty-tier')?.source).toBe('custom');
    expect(nodes.every((n) => n.source === 'builtin' || n.source === 'custom')).toBe(true);
  });
});
