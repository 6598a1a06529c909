import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../core/channels/inbound-signature';
import { putChannelConfig } from '../../core/store/channel-configs';
import { call, mention } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';
import { mentionRescue } from '../engine/fixtures';

// Issue 13, items 7–11: what the store cannot hold (NUL characters, `$`-prefixed or dotted field names), unbounded
// input (nesting, size, field count) and type coercion. Each is a 400 naming the field, written nowhere.

const NUL = 'a\u0000b';
const nest = (depth: number, leaf: unknown = 'x'): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('bad input is a 4xx naming the field, nothing is written, never a 500', () => {
  let stack: TestStack;
  let journeyId: string;
  let contactId: string;
  const secret = 'webhook-secret-0123456789';

  /** Every collection's document count: a refused request leaves all of them as they were. */
  const snapshot = async () => {
    const names = (await stack.store.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    const counts = await Promise.all(names.map((n) => stack.store.db.collection(n).countDocuments({})));
    return Object.fromEntries(names.map((n, i) => [n, counts[i]]));
  };
  const webhook = (body: unknown, headers: Record<string, string> = {}) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return stack.app.inject({
      method: 'POST', url: '/api/v1/channels/weibo/webhook', payload: raw,
      headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, raw), ...headers },
    }).then((r) => ({ status: r.statusCode, body: JSON.parse(r.body) }));
  };
  type Send = () => Promise<{ status: number; body: any }>;
  const refused = async (send: Send, message: string, status = 400) => {
    const before = await snapshot();
    const res = await send();
    expect(res.status, message).toBe(status);
    expect(res.body.message).toContain(message);
    expect(await snapshot(), message).toEqual(before);
    return res;
  };

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    journeyId = (await call(stack.app, 'POST', '/api/v1/journeys', mentionRescue())).body.id;
    contactId = (await call(stack.app, 'POST', '/api/v1/events', mention('@existing', 'hello'))).body.contactId;
    // Only its webhook secret matters here (the platform is never called).
    await putChannelConfig(stack.store, stack.workspaceId, 'weibo', { kind: 'http', baseUrl: 'http://platform.invalid/' }, { webhookSecret: secret });
  });
  afterAll(async () => { await stack?.close(); });

  it('a NUL character in any stored string field (or a parameter) is a 400 naming it', async () => {
    const j = `/api/v1/journeys/${journeyId}`;
    const withNode = (patch: Record<string, unknown>) => {
      const doc = mentionRescue();
      Object.assign(doc.nodes[3], patch);
      return doc;
    };
    const reply = { mode: 'reply', message: 'hi' };
    const cases: [string, 'POST' | 'PUT' | 'GET', string, unknown][] = [
      ['body/id', 'POST', '/api/v1/events', mention('@n1', 'x', { id: NUL })],
      ['body/handle', 'POST', '/api/v1/events', mention(NUL, 'x')],
      ['body/text', 'POST', '/api/v1/events', mention('@n2', NUL)],
      ['body/threadId', 'POST', '/api/v1/events', mention('@n3', 'x', { threadId: NUL })],
      ['body/data/note', 'POST', '/api/v1/events', mention('@n4', 'x', { data: { note: NUL } })],
      ['body/events/1/handle', 'POST', '/api/v1/events', { events: [mention('@n5', 'ok'), mention(NUL, 'x')] }],
      ['body/name', 'POST', '/api/v1/journeys', { ...mentionRescue(), name: NUL }],
      ['body/description', 'POST', '/api/v1/journeys', { ...mentionRescue(), description: NUL }],
      ['body/nodes/3/label', 'POST', '/api/v1/journeys', withNode({ label: NUL })],
      ['body/nodes/3/config/message', 'PUT', j, withNode({ config: { mode: 'reply', message: NUL } })],
      ['body/note', 'POST', `${j}/publish`, { note: NUL }],
      ['body/name', 'POST', '/api/v1/node-templates', { name: NUL, nodeType: 'response.reply', nodeVersion: 1, config: reply }],
      ['body/config/message', 'POST', '/api/v1/node-templates', { name: 't', nodeType: 'response.reply', nodeVersion: 1, config: { ...reply, message: NUL } }],
      ['body/contact/handle', 'POST', `${j}/test-runs`, { contact: { channel: 'weibo', handle: NUL }, event: { type: 'social.mention' } }],
      ['body/contact/profile/name', 'POST', `${j}/test-runs`, { contact: { channel: 'weibo', handle: '@t', profile: { name: NUL } }, event: { type: 'social.mention' } }],
      ['body/event/text', 'POST', `${j}/test-runs`, { contact: { channel: 'weibo', handle: '@t' }, event: { type: 'social.mention', text: NUL } }],
      ['body/event/data/x', 'POST', `${j}/test-runs`, { contact: { channel: 'weibo', handle: '@t' }, event: { type: 'social.mention', data: { x: NUL } } }],
      ['body/name', 'POST', '/api/v1/users', { email: 'nul@test.local', name: NUL, role: 'viewer', password: 'password-123' }],
      ['body/email', 'POST', '/api/v1/users', { email: `n${NUL}@test.local`, role: 'viewer', password: 'password-123' }],
      ['body/name', 'POST', '/api/v1/tokens', { name: NUL, role: 'viewer' }],
      ['body/source', 'PUT', `/api/v1/contacts/${contactId}/consent/weibo`, { status: 'opted_out', source: NUL }],
      ['body/note', 'PUT', `/api/v1/contacts/${contactId}/consent/weibo`, { status: 'opted_out', source: 'form', note: NUL }],
      ['body/value', 'PUT', '/api/v1/credentials/nul-secret', { value: NUL }],
      ['body/token', 'PUT', '/api/v1/channels/wechat', { settings: { kind: 'http', baseUrl: 'http://127.0.0.1:9/' }, token: NUL }],
      ['body/name', 'POST', '/api/v1/journey-templates', { journeyId, name: NUL }],
      ['params/id', 'GET', '/api/v1/journeys/a%00b', undefined],
      ['querystring/tag', 'GET', '/api/v1/contacts?tag=a%00b', undefined],
    ];
    for (const [field, method, url, body] of cases) {
      await refused(() => call(stack.app, method, url, body), `${field} contains a NUL character`);
    }
    // The signed webhook parses its own body: the same check, before the contact is resolved.
    await refused(() => webhook({ id: 'w-nul-1', type: 'social.mention', handle: NUL, occurredAt: new Date().toISOString() }), 'body/handle contains a NUL character');
    await refused(() => webhook({ events: [{ id: 'w-nul-2', type: 'social.mention', handle: '@w', text: NUL }] }), 'body/events/0/text contains a NUL character');
    // In the request's language.
    const zh = await call(stack.app, 'POST', '/api/v1/events', mention('@n6', NUL), { 'accept-language': 'zh-CN' });
    expect(zh.body.message).toBe('body/text 包含 NUL 字符（\\u0000），无法保存');
    expect(zh.body.fields).toEqual([{ field: 'body/text', code: 'nul_character', message: '包含 NUL 字符（\\u0000），无法保存' }]);
  });

  it('`$`-prefixed and dotted field names are refused on every path that stores them, before a contact is made', async () => {
    const j = `/api/v1/journeys/${journeyId}`;
    const unstorable = 'is not a storable field name';
    await refused(() => webhook({ id: 'w-key-1', type: 'social.mention', handle: '@webhook-key', data: { $set: { tier: 'vip' } } }), `body/data/$set ${unstorable}`);
    await refused(() => webhook({ events: [{ id: 'w-key-2', type: 'social.mention', handle: '@webhook-key', data: { 'a.b': 1 } }] }), `body/events/0/data/a.b ${unstorable}`);
    await refused(() => call(stack.app, 'POST', '/api/v1/node-templates', {
      name: 'bad keys', nodeType: 'response.update-contact', nodeVersion: 1, config: { set: { $inc: 1 } },
    }), `body/config/set/$inc ${unstorable}`);
    await refused(() => call(stack.app, 'POST', `${j}/test-runs`, { contact: { channel: 'weibo', handle: '@key-test', profile: { 'a.b': 1 } }, event: { type: 'social.mention' } }), `body/contact/profile/a.b ${unstorable}`);
    await refused(() => call(stack.app, 'POST', `${j}/test-runs`, { contact: { channel: 'weibo', handle: '@key-test', profile: { $where: 1 } }, event: { type: 'social.mention' } }), `body/contact/profile/$where ${unstorable}`);
    await refused(() => call(stack.app, 'POST', `${j}/test-runs`, { contact: { channel: 'weibo', handle: '@key-test' }, event: { type: 'social.mention', data: { $gt: 1 } } }), `body/event/data/$gt ${unstorable}`);
    await refused(() => call(stack.app, 'POST', '/api/v1/events', mention('@key-test', 'x', { data: { nested: [{ $x: 1 }] } })), `body/data/nested/0/$x ${unstorable}`);
    expect(await stack.store.contacts.countDocuments({ 'identities.handle': { $in: ['@webhook-key', '@key-test'] } })).toBe(0);
    // A well-formed signed event still goes through.
    const ok = await webhook({ id: 'w-ok-1', type: 'social.mention', handle: '@webhook-ok', text: 'hi', data: { tier: 'vip' } });
    expect(ok.status).toBe(200);
  });

  it('deep nesting is refused at once: 10,000 and 100,000 levels, and beyond 32 levels with the path', async () => {
    for (const depth of [10_000, 100_000]) {
      const started = Date.now();
      const payload = JSON.stringify(mention('@deep', 'x')).replace(/}$/, `,"data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
      await refused(() => stack.app.inject({ method: 'POST', url: '/api/v1/events', payload, headers: { 'content-type': 'application/json' } })
        .then((r) => ({ status: r.statusCode, body: JSON.parse(r.body) })), 'body nests deeper than 32 levels');
      expect(Date.now() - started, `${depth} levels`).toBeLessThan(5_000);
      await refused(() => webhook(payload), 'body nests deeper than 32 levels');
    }
    await refused(() => call(stack.app, 'POST', '/api/v1/events', mention('@deep', 'x', { data: nest(33) })), `body/data/${Array(31).fill('a').join('/')} nests deeper than 32 levels`);
    const doc = mentionRescue();
    doc.nodes[0].config = { eventTypes: ['social.mention'], extra: nest(40) } as never;
    await refused(() => call(stack.app, 'POST', '/api/v1/journeys', doc), 'nests deeper than 32 levels');
    await refused(() => call(stack.app, 'POST', `/api/v1/journeys/${journeyId}/test-runs`, { contact: { channel: 'weibo', handle: '@deep', profile: { p: nest(40) } }, event: { type: 'social.mention' } }), 'nests deeper than 32 levels');
    // 32 levels are fine.
    expect((await call(stack.app, 'POST', '/api/v1/events', mention('@deep-ok', 'x', { data: nest(31) }))).status).toBe(200);
  });

  it('size and field count are bounded per stored document; a 4 MB event matching a journey is a quick 400', async () => {
    const live = (await call(stack.app, 'POST', '/api/v1/journeys', mentionRescue())).body.id;
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${live}/publish`, {})).status).toBe(201);
    const started = Date.now();
    await refused(() => call(stack.app, 'POST', '/api/v1/events', mention('@big', 'broken', { data: { blob: 'x'.repeat(4 * 1024 * 1024) } })), 'body is larger than 256 KiB (4 MiB)');
    expect(Date.now() - started).toBeLessThan(5_000);
    const part = { blob: 'y'.repeat(200 * 1024) };
    await refused(() => call(stack.app, 'POST', '/api/v1/events', { events: [mention('@big1', 'x', { data: part }), mention('@big2', 'x', { data: { ...part, more: part.blob } })] }), 'body/events/1 is larger than 256 KiB');
    await refused(() => webhook({ id: 'w-big', type: 'social.mention', handle: '@big', data: { blob: 'x'.repeat(300 * 1024) } }), 'body is larger than 256 KiB');
    await refused(() => call(stack.app, 'POST', '/api/v1/events', mention('@keys', 'x', { data: Object.fromEntries(Array.from({ length: 2_500 }, (_, i) => [`k${i}`, i])) })), 'body has more than 2000 fields');
    await refused(() => call(stack.app, 'POST', '/api/v1/node-templates', {
      name: 'huge', nodeType: 'response.reply', nodeVersion: 1, config: { mode: 'reply', message: 'z'.repeat(300 * 1024) },
    }), 'body is larger than 256 KiB');
    // Above fastify's bodyLimit (5 MiB) nothing is parsed at all.
    await refused(() => call(stack.app, 'POST', '/api/v1/events', mention('@huge', 'x', { data: { blob: 'x'.repeat(6 * 1024 * 1024) } })), 'body is larger than the limit of 5120 KiB', 413);
    // A batch may carry more than one document's worth in all.
    const batch = await call(stack.app, 'POST', '/api/v1/events', { events: [mention('@big3', 'x', { data: part }), mention('@big4', 'x', { data: part })] });
    expect(batch.status).toBe(200);
  });

  it('request bodies are not type-coerced (querystrings still are)', async () => {
    const j = (await call(stack.app, 'POST', '/api/v1/journeys', mentionRescue())).body.id;
    await refused(() => call(stack.app, 'POST', `/api/v1/journeys/${j}/publish`, { note: 5 }), 'body/note must be string');
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${j}`)).body.liveVersion).toBeNull();
    await refused(() => call(stack.app, 'PUT', '/api/v1/credentials/coerced', { value: false }), 'body/value must be string');
    await refused(() => call(stack.app, 'POST', '/api/v1/node-templates', { name: 't', nodeType: 'response.reply', nodeVersion: '1', config: { mode: 'reply', message: 'hi' } }), 'body/nodeVersion must be integer');
    await refused(() => call(stack.app, 'POST', '/api/v1/tokens', { name: 7, role: 'viewer' }), 'body/name must be string');
    const zh = await call(stack.app, 'PUT', '/api/v1/credentials/coerced', { value: 1 }, { 'accept-language': 'zh' });
    expect(zh.body.message).toBe('body/value 必须是字符串');
    expect((await stack.store.db.collection('credentials').countDocuments({ name: 'coerced' }))).toBe(0);
    // Querystrings arrive as text: they keep coercion.
    const listed = await call(stack.app, 'GET', '/api/v1/contacts?limit=1');
    expect(listed.status).toBe(200);
    expect(listed.body.contacts.length).toBeLessThanOrEqual(1);
    expect((await call(stack.app, 'GET', '/api/v1/node-templates?published=true')).status).toBe(200);
  });
});
