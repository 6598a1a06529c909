/**
 * Workspace isolation, proven by walking EVERY route of the route table (collected by the auth layer's onRoute
 * hook) with workspace B's admin credentials against workspace A's resources: nothing of A leaks into an answer
 * and nothing of A changes. Plus: every non-public route refuses anonymous requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

const SECRET = 'a-secret-7f3k';

describe('workspace isolation across every route', () => {
  let stack: TestStack;
  const a: Record<string, string> = {};
  let bAuth: Record<string, string>;

  async function snapshotA(): Promise<string> {
    const out: Record<string, unknown[]> = {};
    for (const c of await stack.store.db.listCollections().toArray()) {
      out[c.name] = await stack.store.db.collection(c.name).find({ workspaceId: 'default' }).sort({ _id: 1 }).toArray();
    }
    return JSON.stringify(out);
  }

  beforeAll(async () => {
    stack = await startStack();
    // Workspace A ("default", the stack's admin): one of everything.
    a.journeyId = await publishJourney(stack.app, {
      name: `journey ${SECRET}`,
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
        { id: 'w', type: 'flow.wait', version: 1, config: { duration: { amount: 1, unit: 'hours' } } },
      ],
      edges: [{ from: 't', port: 'next', to: 'w' }],
    });
    const ev = await call(stack.app, 'POST', '/api/v1/events', mention(`@${SECRET}`, `hello ${SECRET}`));
    a.contactId = ev.body.contactId;
    a.enrollmentId = ev.body.enrolled[0].enrollmentId;
    await eventually(async () => (await stack.store.steps.countDocuments({ enrollmentId: a.enrollmentId })) > 0);
    const tpl = await call(stack.app, 'POST', '/api/v1/node-templates', { name: `tpl ${SECRET}`, nodeType: 'scoring.points', nodeVersion: 1, config: { score: 'lead', points: 5, reason: SECRET }, locked: ['points'] });
    a.templateId = tpl.body.id;
    const jt = await call(stack.app, 'POST', '/api/v1/journey-templates', { journeyId: a.journeyId, name: `jt ${SECRET}` });
    a.journeyTemplateId = jt.body.id;
    const user = await call(stack.app, 'POST', '/api/v1/users', { email: `${SECRET}@a.test`, role: 'marketer', password: 'password-a-1' });
    a.userId = user.body.id;
    const token = await call(stack.app, 'POST', '/api/v1/tokens', { name: `token ${SECRET}`, role: 'viewer' });
    a.tokenId = token.body.id;
    a.tokenSecret = token.body.token;
    await call(stack.app, 'PUT', `/api/v1/credentials/${SECRET}`, { value: `value ${SECRET}` });
    await call(stack.app, 'PUT', `/api/v1/segments/seg-${SECRET}/contacts/${a.contactId}`);

    // Workspace B with its own admin, signed in.
    const ws = await call(stack.app, 'POST', '/api/v1/workspaces', { id: 'ws-b', name: 'B', admin: { email: 'admin@b.test', password: 'password-b-1' } });
    expect(ws.status).toBe(201);
    const signIn = await call(stack.app, 'POST', '/api/v1/auth/sign-in', { email: 'admin@b.test', password: 'password-b-1' }, { authorization: '' });
    expect(signIn.status).toBe(200);
    bAuth = { authorization: `Bearer ${signIn.body.token}` };
  });
  afterAll(async () => {
    await stack?.close();
  });

  const value = (param: string, url: string): string => {
    if (param === 'channel') return 'weibo';
    if (param === 'contactId') return a.contactId;
    if (param === 'name') return url.includes('/segments/') ? `seg-${SECRET}` : SECRET;
    if (url.startsWith('/api/v1/journeys/')) return a.journeyId;
    if (url.startsWith('/api/v1/contacts/')) return a.contactId;
    if (url.startsWith('/api/v1/enrollments/')) return a.enrollmentId;
    if (url.startsWith('/api/v1/node-templates/')) return a.templateId;
    if (url.startsWith('/api/v1/journey-templates/')) return a.journeyTemplateId;
    if (url.startsWith('/api/v1/users/')) return a.userId;
    if (url.startsWith('/api/v1/tokens/')) return a.tokenId;
    return a.contactId;
  };
  // Plausible bodies, so requests get past validation into the handlers.
  const bodies: Record<string, unknown> = {
    'PUT /api/v1/journeys/:id': { name: 'hijack', nodes: [], edges: [] },
    'PATCH /api/v1/journeys/:id': { folder: 'Hijacked' },
    'POST /api/v1/journeys/:id/test-runs': { contact: { channel: 'weibo', handle: '@x' }, event: { type: 'social.mention' } },
    'POST /api/v1/enrollments/:id/events': { type: 'social.dm' },
    'PUT /api/v1/node-templates/:id': { name: 'hijack' },
    'PATCH /api/v1/users/:id': { role: 'admin' },
    'PUT /api/v1/contacts/:id/consent/:channel': { status: 'opted_out', source: 'attack' },
    'POST /api/v1/journey-templates': { journeyId: 'x' },
    'POST /api/v1/journey-templates/:id/use': {},
    'PUT /api/v1/credentials/:name': { value: 'overwritten' },
    'POST /api/v1/tickets/:id/status': { status: 'closed' },
  };

  it('B can neither read nor change anything of A, on every route', async () => {
    const before = await snapshotA();
    // Sign-out last: it ends B's session.
    const routes = stack.app.routeTable.filter((r) => r.permission !== 'public').sort((x, y) => Number(x.url === '/api/v1/auth/sign-out') - Number(y.url === '/api/v1/auth/sign-out'));
    expect(routes.length).toBeGreaterThan(40);
    const leaks: string[] = [];
    const markers = [SECRET, a.journeyId, a.contactId, a.enrollmentId, a.templateId, a.journeyTemplateId, a.userId, a.tokenId];
    for (const r of routes) {
      const url = r.url.replace(/:([A-Za-z]+)/g, (_, p: string) => encodeURIComponent(value(p, r.url)));
      const body = bodies[`${r.method} ${r.url}`] ?? (r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      const res = await call(stack.app, r.method as 'GET', url, body, bAuth);
      const text = JSON.stringify(res.body ?? '');
      const leaked = markers.filter((m) => m && !url.includes(m) && text.includes(m));
      if (leaked.length) leaks.push(`${r.method} ${r.url} → ${res.status} shows ${leaked.join(', ')}`);
      if (res.status >= 500) leaks.push(`${r.method} ${r.url} → ${res.status}`);
    }
    expect(leaks).toEqual([]);
    expect(await snapshotA()).toBe(before);
    // A's things are still A's.
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${a.journeyId}`)).body.name).toBe(`journey ${SECRET}`);
    expect((await stack.store.enrollments.findOne({ _id: a.enrollmentId }))?.status).toBe('active');
    const signIn = await call(stack.app, 'POST', '/api/v1/auth/sign-in', { email: 'admin@b.test', password: 'password-b-1' }, { authorization: '' });
    bAuth = { authorization: `Bearer ${signIn.body.token}` };
  });

  it("B's credentials cannot be pointed at A with x-workspace-id, and A's token works in A only", async () => {
    const r = await call(stack.app, 'GET', '/api/v1/journeys', undefined, { ...bAuth, 'x-workspace-id': 'default' });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('workspace_mismatch');
    const mine = await call(stack.app, 'GET', '/api/v1/journeys', undefined, { authorization: `Bearer ${a.tokenSecret}` });
    expect(mine.body.journeys.map((j: { id: string }) => j.id)).toContain(a.journeyId);
    const theirs = await call(stack.app, 'GET', '/api/v1/journeys', undefined, bAuth);
    expect(theirs.body.journeys).toEqual([]);
  });

  it('every non-public route refuses anonymous and forged credentials; public ones stay open', async () => {
    for (const r of stack.app.routeTable.filter((x) => x.permission !== 'public')) {
      const url = r.url.replace(/:([A-Za-z]+)/g, 'x');
      for (const authorization of ['', 'Bearer jrn_forged', 'Bearer jrs_forged']) {
        const res = await call(stack.app, r.method as 'GET', url, r.method === 'GET' || r.method === 'DELETE' ? undefined : {}, { authorization });
        expect(res.status, `${r.method} ${r.url} with "${authorization}"`).toBe(401);
      }
    }
    expect((await call(stack.app, 'GET', '/health', undefined, { authorization: '' })).status).toBe(200);
    expect((await call(stack.app, 'GET', '/api/openapi.json', undefined, { authorization: '' })).status).toBe(200);
    const publicRoutes = stack.app.routeTable.filter((x) => x.permission === 'public' && x.url.startsWith('/api/v1/')).map((x) => `${x.method} ${x.url}`);
    expect(publicRoutes.sort()).toEqual(['GET /api/v1/hooks/:workspaceId/:channel', 'POST /api/v1/auth/sign-in', 'POST /api/v1/channels/:channel/webhook', 'POST /api/v1/hooks/:workspaceId/:channel']);
  });
});
