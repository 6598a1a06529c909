import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { call, mention } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';

describe('users, roles, sessions, tokens and the audit log', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack({ worker: false }); });
  afterAll(async () => { await stack?.close(); });

  const signIn = async (email: string, password: string) => {
    const r = await call(stack.app, 'POST', '/api/v1/auth/sign-in', { email, password }, { authorization: '' });
    return { status: r.status, auth: { authorization: `Bearer ${r.body.token}` }, body: r.body };
  };

  it('each role may do what the matrix says, and no more', async () => {
    for (const role of ['viewer', 'marketer', 'developer']) {
      expect((await call(stack.app, 'POST', '/api/v1/users', { email: `${role}@t.test`, role, password: 'password-123' })).status).toBe(201);
    }
    const viewer = await signIn('viewer@t.test', 'password-123');
    const marketer = await signIn('marketer@t.test', 'password-123');
    const developer = await signIn('developer@t.test', 'password-123');
    const doc = { name: 'j', nodes: [{ id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } }], edges: [] };
    expect((await call(stack.app, 'GET', '/api/v1/journeys', undefined, viewer.auth)).status).toBe(200);
    expect((await call(stack.app, 'POST', '/api/v1/journeys', doc, viewer.auth)).status).toBe(403);
    const created = await call(stack.app, 'POST', '/api/v1/journeys', doc, marketer.auth);
    expect(created.status).toBe(201);
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${created.body.id}/publish`, {}, marketer.auth)).status).toBe(201);
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${created.body.id}/publish`, {}, developer.auth)).status).toBe(403);
    expect((await call(stack.app, 'POST', '/api/v1/events', mention('@x', 'hi'), marketer.auth)).status).toBe(403);
    expect((await call(stack.app, 'POST', '/api/v1/events', mention('@x', 'hi'), developer.auth)).status).toBe(200);
    expect((await call(stack.app, 'GET', '/api/v1/users', undefined, marketer.auth)).status).toBe(403);
    expect((await call(stack.app, 'GET', '/api/v1/audit', undefined, developer.auth)).status).toBe(403);
    expect((await call(stack.app, 'POST', '/api/v1/node-templates', { name: 'x', nodeType: 'flow.end', nodeVersion: 1, config: {} }, marketer.auth)).status).toBe(403);
    // A developer may mint tokens, but not with powers they lack.
    expect((await call(stack.app, 'POST', '/api/v1/tokens', { name: 'ci', role: 'admin' }, developer.auth)).status).toBe(403);
    expect((await call(stack.app, 'POST', '/api/v1/tokens', { name: 'ci', role: 'developer' }, developer.auth)).status).toBe(201);
    const me = await call(stack.app, 'GET', '/api/v1/auth/me', undefined, viewer.auth);
    expect(me.body).toMatchObject({ kind: 'user', role: 'viewer', permissions: ['read'], workspace: { id: 'default' } });
  });

  it('passwords are argon2id hashes, tokens are shown once and stored hashed, revocation is immediate', async () => {
    const u = await stack.store.users.findOne({ email: 'viewer@t.test' });
    expect(u?.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await signIn('viewer@t.test', 'wrong-password')).status).toBe(401);
    const t = await call(stack.app, 'POST', '/api/v1/tokens', { name: 'machine', role: 'viewer', expiresInDays: 30 });
    expect(t.body.token).toMatch(/^jrn_/);
    const stored = await stack.store.apiTokens.findOne({ _id: t.body.id });
    expect(JSON.stringify(stored)).not.toContain(t.body.token);
    const list = await call(stack.app, 'GET', '/api/v1/tokens');
    expect(JSON.stringify(list.body)).not.toContain(t.body.token);
    const auth = { authorization: `Bearer ${t.body.token}` };
    expect((await call(stack.app, 'GET', '/api/v1/journeys', undefined, auth)).status).toBe(200);
    expect((await call(stack.app, 'DELETE', `/api/v1/tokens/${t.body.id}`)).status).toBe(204);
    expect((await call(stack.app, 'GET', '/api/v1/journeys', undefined, auth)).status).toBe(401);
  });

  it('sessions expire, sign-out ends them, cookies work, and sign-in is rate-limited', async () => {
    const s = await signIn('marketer@t.test', 'password-123');
    expect(s.body.expiresAt).toBeDefined();
    const cookie = { authorization: '', cookie: `journeys_session=${s.body.token}` };
    expect((await call(stack.app, 'GET', '/api/v1/auth/me', undefined, cookie)).status).toBe(200);
    await stack.store.sessions.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const fresh = await signIn('marketer@t.test', 'password-123');
    await new Promise((r) => setTimeout(r, 5100)); // past the principal cache
    expect((await call(stack.app, 'GET', '/api/v1/auth/me', undefined, cookie)).status).toBe(401);
    expect((await call(stack.app, 'GET', '/api/v1/auth/me', undefined, fresh.auth)).status).toBe(200);
    expect((await call(stack.app, 'POST', '/api/v1/auth/sign-out', undefined, fresh.auth)).status).toBe(204);
    expect((await call(stack.app, 'GET', '/api/v1/auth/me', undefined, fresh.auth)).status).toBe(401);

    const limited = await buildApp(stack.rt, { signInRateLimit: 3 });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await call(limited, 'POST', '/api/v1/auth/sign-in', { email: 'x@t.test', password: 'nope' })).status);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  it('the audit log records users, roles, tokens, templates, credentials and publishing; admins only', async () => {
    const users = (await call(stack.app, 'GET', '/api/v1/users')).body.users;
    const viewer = users.find((u: { email: string }) => u.email === 'viewer@t.test');
    expect((await call(stack.app, 'PATCH', `/api/v1/users/${viewer.id}`, { role: 'marketer' })).status).toBe(200);
    const admin = users.find((u: { email: string }) => u.email === stack.admin.email);
    expect((await call(stack.app, 'PATCH', `/api/v1/users/${admin.id}`, { role: 'viewer' })).status).toBe(409); // last admin
    await call(stack.app, 'PUT', '/api/v1/credentials/smtp', { value: 's3cret' });
    const tpl = await call(stack.app, 'POST', '/api/v1/node-templates', { name: 'apology', nodeType: 'response.reply', nodeVersion: 1, config: { mode: 'reply', message: 'Sorry!' }, locked: ['message'] });
    await call(stack.app, 'PUT', `/api/v1/node-templates/${tpl.body.id}`, { config: { mode: 'reply', message: 'We are sorry!' } });
    const entries = (await call(stack.app, 'GET', '/api/v1/audit?limit=200')).body.entries as { action: string; actor: { name: string }; at: string; details?: Record<string, unknown> }[];
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ['user.created', 'user.role_changed', 'token.created', 'token.revoked', 'template.created', 'template.changed', 'credential.changed', 'journey.published']) {
      expect(actions, a).toContain(a);
    }
    expect(entries.find((e) => e.action === 'user.role_changed')?.details).toMatchObject({ from: 'viewer', to: 'marketer' });
    expect(entries.find((e) => e.action === 'template.changed')?.details?.changes).toEqual([{ field: 'message', from: 'Sorry!', to: 'We are sorry!', lockedFrom: true, lockedTo: true }]);
    expect(entries[0].actor.name).toBeTruthy();
  });
});
