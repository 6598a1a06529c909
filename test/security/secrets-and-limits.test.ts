import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { createUser } from '../../server/store/users';
import { call, mention } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';

// Route-table authentication (every non-public route refuses anonymous and forged credentials) is proven in
// test/access/workspaces.test.ts; bad webhook signatures in test/nodes; sign-in rate limiting in test/access/roles.

describe('security: ingestion is rate limited and no secret reaches the logs', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack({ worker: false }); });
  afterAll(async () => { await stack?.close(); });

  it('limits event ingestion per credential with a 429 and Retry-After', async () => {
    const limited = await buildApp(stack.rt, { ingestRateLimit: 3 });
    try {
      const auth = { authorization: `Bearer ${stack.admin.token}` };
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await limited.inject({ method: 'POST', url: '/api/v1/events', payload: mention(`@rl${i}`, 'x'), headers: auth })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const refused = await limited.inject({ method: 'POST', url: '/api/v1/events', payload: mention('@rl9', 'x'), headers: auth });
      expect(refused.headers['retry-after']).toBeDefined();
      expect(JSON.parse(refused.body).message).toMatch(/rate limit/i);
      // Another credential has its own budget.
      const other = (await call(stack.app, 'POST', '/api/v1/tokens', { name: 'second', role: 'developer' })).body;
      const ok = await limited.inject({ method: 'POST', url: '/api/v1/events', payload: mention('@rl10', 'x'), headers: { authorization: `Bearer ${other.secret ?? other.token}` } });
      expect(ok.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('never writes passwords, session tokens or API token secrets to the log, even at debug level', async () => {
    let logs = '';
    const stream = new Writable({ write(chunk, _enc, done) { logs += chunk.toString(); done(); } });
    const app = await buildApp(stack.rt, { logger: { level: 'trace' }, logStream: stream });
    try {
      const password = 'correct-horse-battery-staple-42';
      await createUser(stack.store, stack.workspaceId, { email: 'logcheck@test.local', role: 'admin', password });
      const signIn = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'logcheck@test.local', password } });
      expect(signIn.statusCode).toBe(200);
      const session = JSON.parse(signIn.body).token as string;
      await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'logcheck@test.local', password: `${password}-wrong` } });
      const created = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'log check', role: 'developer' }, headers: { authorization: `Bearer ${session}` } });
      expect(created.statusCode).toBe(201);
      const secret = JSON.parse(created.body).secret as string;
      await app.inject({ method: 'POST', url: '/api/v1/events', payload: mention('@logcheck', 'hello'), headers: { authorization: `Bearer ${secret}` } });
      await app.inject({ method: 'GET', url: '/api/v1/journeys', headers: { authorization: `Bearer ${secret}x` } });
      await app.inject({ method: 'GET', url: '/api/v1/journeys', headers: { cookie: `journeys_session=${session}` } });
      expect(logs.length).toBeGreaterThan(0); // the log was really written
      for (const s of [password, session, secret]) expect(logs).not.toContain(s);
    } finally {
      await app.close();
    }
  });
});
