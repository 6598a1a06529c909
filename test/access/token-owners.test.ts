import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/store/documents';
import { createSession, createUser } from '../../core/store/users';
import { call, mention } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';

// Issue 13.3: an API token never does more than the user who created it may do *now*.
describe('API tokens are bounded by their creator', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack({ worker: false }); });
  afterAll(async () => { await stack?.close(); });

  /** A user with a session (made directly: sign-in is rate-limited) and the bearer header of it. */
  const user = async (email: string, role: Role) => {
    const u = await createUser(stack.store, stack.workspaceId, { email, role, password: 'password-123' });
    const { secret } = await createSession(stack.store, u, 3_600_000);
    return { id: u._id, auth: { authorization: `Bearer ${secret}` } };
  };
  const token = async (auth: Record<string, string>, role: Role, name = `${role}-${Math.random().toString(36).slice(2, 8)}`) => {
    const r = await call(stack.app, 'POST', '/api/v1/tokens', { name, role }, auth);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { id: r.body.id as string, auth: { authorization: `Bearer ${r.body.token}` } };
  };
  const status = async (method: 'GET' | 'POST', url: string, auth: Record<string, string>, body?: unknown) => (await call(stack.app, method, url, body, auth)).status;

  it("a demoted admin's token loses admin power on the next request, even when another instance made the change", async () => {
    const boss = await user('boss@t.test', 'admin');
    const t = await token(boss.auth, 'admin');
    const chained = await token(t.auth, 'admin'); // minted by a token: still bounded by the same user
    expect(await status('GET', '/api/v1/users', t.auth)).toBe(200); // also primes the credential cache
    expect(await status('GET', '/api/v1/users', chained.auth)).toBe(200);

    // Demoted behind this process's back (another API instance, or the database): no cache may keep the old role.
    await stack.store.users.updateOne({ _id: boss.id }, { $set: { role: 'developer' } });
    for (const auth of [t.auth, chained.auth, boss.auth]) {
      expect(await status('GET', '/api/v1/users', auth)).toBe(403);
      expect(await status('GET', '/api/v1/audit', auth)).toBe(403);
      expect(await status('POST', '/api/v1/tokens', auth, { name: 'escalate', role: 'admin' })).toBe(403);
    }
    const why = await call(stack.app, 'GET', '/api/v1/users', undefined, { ...t.auth, 'accept-language': 'zh-CN' });
    expect(why.body).toMatchObject({ error: 'token_owner_forbidden', message: '创建此令牌的用户已无权执行此操作（需要“users.manage”）' });
    // What both the token's role and the creator's current role allow still works.
    expect(await status('POST', '/api/v1/events', t.auth, mention('@demoted', 'hi'))).toBe(200);
    const me = await call(stack.app, 'GET', '/api/v1/auth/me', undefined, t.auth);
    expect(me.body).toMatchObject({ kind: 'token', role: 'admin' });
    expect([...me.body.permissions].sort()).toEqual(['events.ingest', 'journeys.write', 'read', 'tokens.manage']);

    // Through the API as well: promoting back restores it, demoting to viewer leaves read only.
    await call(stack.app, 'PATCH', `/api/v1/users/${boss.id}`, { role: 'admin' });
    expect(await status('GET', '/api/v1/users', t.auth)).toBe(200);
    await call(stack.app, 'PATCH', `/api/v1/users/${boss.id}`, { role: 'viewer' });
    expect(await status('POST', '/api/v1/events', t.auth, mention('@viewer', 'hi'))).toBe(403);
    expect(await status('GET', '/api/v1/journeys', t.auth)).toBe(200);
  });

  it("disabling or deleting a user revokes their tokens and ends their sessions, for good", async () => {
    const a = await user('disabled-admin@t.test', 'admin');
    const ta = await token(a.auth, 'admin');
    const b = await user('deleted-dev@t.test', 'developer');
    const tb = await token(b.auth, 'developer');
    expect(await status('GET', '/api/v1/journeys', ta.auth)).toBe(200);
    expect(await status('GET', '/api/v1/journeys', tb.auth)).toBe(200);

    expect((await call(stack.app, 'PATCH', `/api/v1/users/${a.id}`, { disabled: true })).status).toBe(200);
    expect((await call(stack.app, 'DELETE', `/api/v1/users/${b.id}`)).status).toBe(204);
    for (const auth of [ta.auth, tb.auth, a.auth, b.auth]) expect(await status('GET', '/api/v1/journeys', auth)).toBe(401);
    const tokens = (await call(stack.app, 'GET', '/api/v1/tokens')).body.tokens as { id: string; revokedAt: string | null; active: boolean }[];
    for (const id of [ta.id, tb.id]) expect(tokens.find((x) => x.id === id)).toMatchObject({ active: false, revokedAt: expect.any(String) });

    // Re-enabling the user does not bring the token back.
    expect((await call(stack.app, 'PATCH', `/api/v1/users/${a.id}`, { disabled: false })).status).toBe(200);
    expect(await status('GET', '/api/v1/journeys', ta.auth)).toBe(401);
  });

  it('developers revoke only their own tokens; admins any of the workspace', async () => {
    const dev1 = await user('dev1@t.test', 'developer');
    const dev2 = await user('dev2@t.test', 'developer');
    const own = await token(dev1.auth, 'developer');
    const others = await token(dev2.auth, 'developer');
    const viaToken = await token(own.auth, 'developer'); // dev1's too, though a token made it

    const refused = await call(stack.app, 'DELETE', `/api/v1/tokens/${others.id}`, undefined, dev1.auth);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'not_token_owner', message: 'only an admin may revoke a token another user created' });
    const zh = await call(stack.app, 'DELETE', `/api/v1/tokens/${others.id}`, undefined, { ...dev1.auth, 'accept-language': 'zh-CN' });
    expect(zh.body.message).toBe('只有管理员可以吊销其他用户创建的令牌');
    expect((await call(stack.app, 'DELETE', `/api/v1/tokens/${others.id}`, undefined, own.auth)).status).toBe(403);
    expect(await status('GET', '/api/v1/journeys', others.auth)).toBe(200);

    expect((await call(stack.app, 'DELETE', `/api/v1/tokens/${viaToken.id}`, undefined, dev1.auth)).status).toBe(204);
    expect((await call(stack.app, 'DELETE', `/api/v1/tokens/${own.id}`, undefined, dev1.auth)).status).toBe(204);
    expect((await call(stack.app, 'DELETE', `/api/v1/tokens/${others.id}`)).status).toBe(204); // the stack's admin
    for (const t of [own, others, viaToken]) expect(await status('GET', '/api/v1/journeys', t.auth)).toBe(401);
    expect((await call(stack.app, 'DELETE', '/api/v1/tokens/no-such-token', undefined, dev1.auth)).status).toBe(404);
  });
});
