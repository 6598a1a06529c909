import http from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { createUser } from '../../core/store/users';
import { call, mention, publishJourney } from '../helpers/api';
import { allowOutbound } from '../helpers/outbound-allow';
import { eventually, startStack, type TestStack } from '../helpers/stack';

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
      const ok = await limited.inject({ method: 'POST', url: '/api/v1/events', payload: mention('@rl10', 'x'), headers: { authorization: `Bearer ${other.token}` } });
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
      const secret = JSON.parse(created.body).token as string;
      expect(secret).toMatch(/^jrn_/); // the API answers `.token`: a wrong field name would make this test vacuous
      await app.inject({ method: 'POST', url: '/api/v1/events', payload: mention('@logcheck', 'hello'), headers: { authorization: `Bearer ${secret}` } });
      // Clients do put credentials in URLs; the access log must not keep them.
      await app.inject({ method: 'GET', url: `/api/v1/journeys?access_token=${secret}`, headers: { authorization: `Bearer ${secret}` } });
      await app.inject({ method: 'GET', url: '/api/v1/journeys', headers: { authorization: `Bearer ${secret}x` } });
      await app.inject({ method: 'GET', url: '/api/v1/journeys', headers: { cookie: `journeys_session=${session}` } });
      for (const s of [password, session, secret]) expect(logs).not.toContain(s);
      expect(logs).toContain('/api/v1/journeys?[redacted]'); // the log was really written, with that request in it
    } finally {
      await app.close();
    }
  });

  it("keeps query strings and contacts' addresses out of the API's access log and the worker's log", async () => {
    let logs = '';
    const stream = new Writable({ write(chunk, _enc, done) { logs += chunk.toString(); done(); } });
    const app = await buildApp(stack.rt, { logger: { level: 'info' }, logStream: stream });
    const apiKey = `key-${Math.random().toString(36).slice(2)}`;
    let calls = 0;
    // Fails the first call, so the worker logs an activity failure quoting the URL, then accepts the retry.
    const hook = http.createServer((req, res) => { calls++; req.resume(); res.writeHead(calls === 1 ? 500 : 200).end('{}'); });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookPort = (hook.address() as { port: number }).port;
    const disallow = allowOutbound(`127.0.0.1:${hookPort}`);
    const write = process.stderr.write.bind(process.stderr);
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      logs += chunk.toString();
      return write(chunk, ...rest);
    }) as typeof process.stderr.write);
    const warn = vi.spyOn(console, 'warn').mockImplementation((...a) => { logs += a.join(' '); });
    const error = vi.spyOn(console, 'error').mockImplementation((...a) => { logs += a.join(' '); });
    try {
      const found = await app.inject({ method: 'GET', url: '/api/v1/contacts?identity=email:a@b.c', headers: { authorization: `Bearer ${stack.admin.token}` } });
      expect(found.statusCode).toBe(200);

      await stack.startWorker();
      const url = `http://127.0.0.1:${hookPort}/hook?api_key=${apiKey}`;
      await publishJourney(stack.app, {
        name: 'log check', settings: { reentry: 'always' },
        nodes: [
          { id: 'in', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
          { id: 'call', type: 'response.webhook', version: 1, config: { url, method: 'POST' } },
        ],
        edges: [{ from: 'in', port: 'next', to: 'call' }],
      });
      expect((await call(stack.app, 'POST', '/api/v1/events', mention('@logcheck-hook', 'hi'))).status).toBe(200);
      await eventually(async () => calls >= 2 && logs.includes('Activity failed'));
      for (const s of ['a@b.c', 'identity=', apiKey, 'api_key=']) expect(logs).not.toContain(s);
      // Both lines were really written, redacted.
      expect(logs).toContain('"url":"/api/v1/contacts?[redacted]"');
      expect(logs).toContain('/hook?[redacted]');
    } finally {
      spy.mockRestore();
      warn.mockRestore();
      error.mockRestore();
      await stack.stopWorker();
      disallow();
      hook.close();
      await app.close();
    }
  });
});
