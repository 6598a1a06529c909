import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../core/channels/inbound-signature';
import { putChannelConfig } from '../../core/store/channel-configs';
import { call, mention } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';

// Issue 13, items 14 and 16: one tenant cannot lock another's user out nor learn its e-mails; workspace ids are
// unique under concurrency; rate limits key on the caller, not the spelling of its credential; inbound webhooks
// carry a timestamp, are refused when old or replayed, and are rate limited.

describe('tenants, rate limits and inbound webhook signatures', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack({ worker: false }); });
  afterAll(async () => { await stack?.close(); });

  const signIn = (body: Record<string, unknown>) => stack.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: body, headers: { authorization: '' } })
    .then((r) => ({ status: r.statusCode, body: JSON.parse(r.body) }));

  it('a user of another workspace with the same e-mail neither locks the owner out nor reveals that the e-mail exists', async () => {
    const victim = { email: 'owner@brand-a.test', password: 'owner-password-123' };
    expect((await call(stack.app, 'POST', '/api/v1/users', { ...victim, role: 'marketer' })).status).toBe(201);
    // Workspace B's admin creates a user with the victim's e-mail.
    const b = await call(stack.app, 'POST', '/api/v1/workspaces', { id: 'tenant-b', admin: { email: 'admin@brand-b.test', password: 'b-admin-password-1' } });
    expect(b.status).toBe(201);
    const bSession = (await signIn({ email: 'admin@brand-b.test', password: 'b-admin-password-1' })).body.token;
    const clash = await call(stack.app, 'POST', '/api/v1/users', { email: victim.email, password: 'attacker-password-1', role: 'marketer' }, { authorization: `Bearer ${bSession}` });
    expect(clash.status).toBe(201);

    // The owner still signs in without naming a workspace, into their own.
    const owner = await signIn(victim);
    expect(owner.status).toBe(200);
    expect(owner.body.workspaceId).toBe('default');
    // A wrong password answers exactly as for an e-mail nobody has: nothing says accounts exist elsewhere.
    const wrong = await signIn({ email: victim.email, password: 'not-the-password-1' });
    const unknown = await signIn({ email: 'nobody@nowhere.test', password: 'not-the-password-1' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    // B's user signs into B with B's password.
    expect((await signIn({ email: victim.email, password: 'attacker-password-1' })).body.workspaceId).toBe('tenant-b');
  });

  it('two concurrent creations of one workspace id: exactly one succeeds, the other is a 409 naming the field', async () => {
    const create = (n: number) => call(stack.app, 'POST', '/api/v1/workspaces', { id: 'racing-ws', admin: { email: `admin${n}@race.test`, password: 'race-password-123' } });
    const answers = await Promise.all([create(1), create(2), create(3)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.message).toContain('body/id');
    expect(await stack.store.users.countDocuments({ workspaceId: 'racing-ws' })).toBe(1);
  });

  it('ingestion rate limits key on the caller: respelling "Bearer" does not buy a new budget', async () => {
    const limited = await buildApp(stack.rt, { ingestRateLimit: 3 });
    try {
      const spellings = [`Bearer ${stack.admin.token}`, `bearer ${stack.admin.token}`, `BEARER   ${stack.admin.token}`, `Bearer ${stack.admin.token}  `, `bEaReR\t${stack.admin.token}`];
      const codes: number[] = [];
      for (const [i, authorization] of spellings.entries()) {
        codes.push((await limited.inject({ method: 'POST', url: '/api/v1/events', payload: mention(`@spell${i}`, 'x'), headers: { authorization } })).statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  describe('inbound webhooks', () => {
    const secret = 'inbound-secret-0123456789';
    beforeAll(async () => {
      await putChannelConfig(stack.store, stack.workspaceId, 'weibo', { kind: 'http', baseUrl: 'https://api.weibo.example' }, { token: 't', webhookSecret: secret });
    });
    const post = (app: typeof stack.app, raw: string, signature: string | undefined) => app.inject({
      method: 'POST', url: '/api/v1/channels/weibo/webhook', payload: raw,
      headers: { 'content-type': 'application/json', authorization: '', ...(signature ? { [WEBHOOK_SIGNATURE_HEADER]: signature } : {}) },
    }).then((r) => ({ status: r.statusCode, body: JSON.parse(r.body) }));
    const event = (id: string) => JSON.stringify({ id, type: 'social.comment', handle: '@signed', text: 'hello' });
    const interactions = () => stack.store.interactions.countDocuments({});

    it('a fresh signature is accepted once; the same delivery again is a 401 and stores nothing', async () => {
      const raw = event(`fresh-${Date.now()}`);
      const sig = signWebhook(secret, raw);
      expect((await post(stack.app, raw, sig)).status).toBe(200);
      const before = await interactions();
      const replay = await post(stack.app, raw, sig);
      expect(replay.status).toBe(401);
      expect(replay.body.message).toContain('already used');
      expect(await interactions()).toBe(before);
    });

    it('an old timestamp, a body-only signature (the former scheme) or a signature moved to another timestamp is a 401', async () => {
      const raw = event(`old-${Date.now()}`);
      const before = await interactions();
      const old = await post(stack.app, raw, signWebhook(secret, raw, new Date(Date.now() - 10 * 60_000)));
      expect(old.status).toBe(401);
      expect(old.body.message).toContain('older than');
      const bodyOnly = await post(stack.app, raw, `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
      expect(bodyOnly.status).toBe(401);
      const fresh = signWebhook(secret, raw).replace(/^t=\d+/, `t=${Math.floor(Date.now() / 1000) + 1}`);
      expect((await post(stack.app, raw, fresh)).status).toBe(401);
      expect(await interactions()).toBe(before);
    });

    it('is rate limited per workspace and channel', async () => {
      const limited = await buildApp(stack.rt, { inboundRateLimit: 2 });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 3; i++) {
          const raw = event(`limited-${Date.now()}-${i}`);
          codes.push((await post(limited, raw, signWebhook(secret, raw))).status);
        }
        expect(codes).toEqual([200, 200, 429]);
      } finally {
        await limited.close();
      }
    });
  });
});
