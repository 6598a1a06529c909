import { Validator } from '@seriousme/openapi-schema-validator';
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

  it('every error answer is a catalog code with its message in the reader\'s language', async () => {
    const zh = { 'accept-language': 'zh-CN' };
    const created = (await call(stack.app, 'POST', '/api/v1/journeys', mentionRescue())).body;
    const cases: ['GET' | 'PUT' | 'POST' | 'DELETE', string, unknown, number, string, string][] = [
      ['GET', '/api/v1/journeys/nope', undefined, 404, 'not_found', '未找到旅程'],
      ['GET', '/api/v1/nothing-here', undefined, 404, 'route_not_found', '路由 GET /api/v1/nothing-here 不存在'],
      ['PUT', `/api/v1/journeys/${created.id}`, { ...mentionRescue(), revision: created.revision + 5 }, 409, 'stale_revision', `旅程在版本 ${created.revision + 5} 之后已被修改`],
      ['DELETE', '/api/v1/journeys/nope', undefined, 404, 'not_found', '未找到旅程'],
      ['POST', `/api/v1/journeys/${created.id}/test-runs`, { contact: { channel: 'weibo', handle: '@t' }, event: { type: 'social.dm' } }, 422, 'no_matching_trigger', '此旅程没有在渠道“weibo”的“social.dm”事件上启动的触发器'],
    ];
    for (const [method, url, body, status, code, text] of cases) {
      const res = await call(stack.app, method, url, body, zh);
      expect([url, res.status, res.body.error]).toEqual([url, status, code]);
      expect(res.body.message).toContain(text);
    }
    const en = await call(stack.app, 'GET', '/api/v1/nothing-here');
    expect(en.body).toEqual({ error: 'route_not_found', message: 'route GET /api/v1/nothing-here not found' });
  });

  it('the OpenAPI document is valid OpenAPI 3.1 (our JSON Schema draft-07 bodies, numeric exclusiveMinimum included)', async () => {
    const openapi = await call(stack.app, 'GET', '/api/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toMatch(/^3\.1\./);
    const body = openapi.body.paths['/api/v1/journeys'].post.requestBody.content['application/json'].schema;
    expect(body.properties.settings.properties.frequencyCap.properties.per.properties.amount.exclusiveMinimum).toBe(0);
    const result = await new Validator().validate(openapi.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('every route declares what it answers: a closed schema for each success, the error schema for each refusal', async () => {
    const openapi = (await call(stack.app, 'GET', '/api/openapi.json')).body;
    const open: string[] = [];
    const undeclared: string[] = [];
    const notError: string[] = [];
    for (const [path, methods] of Object.entries(openapi.paths as Record<string, Record<string, { responses?: Record<string, any> }>>)) {
      for (const [method, op] of Object.entries(methods)) {
        const responses = Object.entries(op.responses ?? {});
        const successes = responses.filter(([status]) => status.startsWith('2'));
        if (!successes.length) undeclared.push(`${method} ${path}`);
        for (const [status, r] of successes) {
          const schema = r.content?.['application/json']?.schema;
          // 204 answers nothing; a webhook that answers a platform in text declares text.
          if (status === '204' || !r.content || r.content['text/plain']) continue;
          if (!schema || (schema.additionalProperties === true && !schema.properties)) open.push(`${method} ${path} ${status}`);
        }
        // Refusals answer the one error shape; the health probe's 503 answers its own (each dependency's state).
        for (const [status, r] of responses.filter(([s]) => /^[45]/.test(s))) {
          if (path !== '/health' && r.content?.['application/json']?.schema?.required?.join() !== 'error,message') notError.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(undeclared).toEqual([]);
    expect(open).toEqual([]);
    expect(notError).toEqual([]);
  });

  it('unknown time zones and broken cron schedules are refused at save and at publish, naming node and field', async () => {
    // Journey settings are part of the document: a 400 at save.
    for (const [settings, field] of [
      [{ timezone: 'Not/AZone' }, 'body/settings/timezone'],
      [{ quietHours: { start: '22:00', end: '08:00', timezone: 'Asia/Shangai' } }, 'body/settings/quietHours/timezone'],
    ] as const) {
      const res = await call(stack.app, 'POST', '/api/v1/journeys', { ...mentionRescue(), settings });
      expect(res.status, field).toBe(400);
      expect(res.body.message).toBe(`${field} is not a known time zone (e.g. Asia/Shanghai, UTC)`);
      expect(res.body.fields).toEqual([expect.objectContaining({ field, code: 'invalid_time_zone' })]);
    }
    const zh = await call(stack.app, 'POST', '/api/v1/journeys', { ...mentionRescue(), settings: { timezone: 'Mars/Olympus' } }, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(zh.body.message).toBe('body/settings/timezone 不是有效的时区（例如 Asia/Shanghai、UTC）');

    // Node configs: saved as a draft with issues (node id + field path), refused at publish.
    const doc = {
      name: 'Weekly digest',
      nodes: [
        { id: 'weekly', type: 'trigger.scheduled-broadcast', version: 1, config: { cron: 'every monday', timezone: 'Mars/Olympus', segment: 'newsletter' } },
        { id: 'office', type: 'filter.business-hours', version: 1, config: { days: [1], start: '09:00', end: '18:00', timezone: 'contact', workspaceTimezone: 'Asia/Shangai' } },
        { id: 'later', type: 'flow.wait-until', version: 1, config: { days: [1, 2], start: '09:00', end: '10:00', timezone: 'Not/AZone' } },
        { id: 'mark', type: 'response.update-contact', version: 1, config: { set: { timezone: 'Europe/Londn' } } },
      ],
      edges: [
        { from: 'weekly', port: 'next', to: 'office' }, { from: 'office', port: 'inside', to: 'later' }, { from: 'later', port: 'next', to: 'mark' },
      ],
    };
    const expected = [
      { code: 'invalid_config', nodeId: 'weekly', path: '/config/cron', message: 'is not a valid cron schedule (e.g. "0 10 * * 1" = Mondays 10:00)' },
      { code: 'invalid_config', nodeId: 'weekly', path: '/config/timezone', message: 'is not a known time zone (e.g. Asia/Shanghai, UTC)' },
      { code: 'invalid_config', nodeId: 'office', path: '/config/workspaceTimezone', message: 'is not a known time zone (e.g. Asia/Shanghai, UTC)' },
      { code: 'invalid_config', nodeId: 'later', path: '/config/timezone', message: 'is not a known time zone (e.g. Asia/Shanghai, UTC) or "contact"' },
      { code: 'invalid_config', nodeId: 'mark', path: '/config/set/timezone', message: 'is not a known time zone (e.g. Asia/Shanghai, UTC)' },
    ];
    const created = await call(stack.app, 'POST', '/api/v1/journeys', doc);
    expect(created.status).toBe(201);
    expect(created.body.issues).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));
    expect(created.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toHaveLength(expected.length);
    const published = await call(stack.app, 'POST', `/api/v1/journeys/${created.body.id}/publish`, {});
    expect(published.status).toBe(422);
    expect(published.body.issues).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));
    const validated = await call(stack.app, 'POST', `/api/v1/journeys/${created.body.id}/validate`, undefined, { 'accept-language': 'zh-CN' });
    expect(validated.body.issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ nodeId: 'weekly', path: '/config/cron', message: '不是有效的 cron 计划（例如 "0 10 * * 1" = 每周一 10:00）' }),
    ]));
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${created.body.id}/versions`)).body.versions).toEqual([]);

    // A draft stored before this check (settings bypassing the request schema) still cannot be published.
    const legacy = (await call(stack.app, 'POST', '/api/v1/journeys', mentionRescue())).body;
    await stack.store.journeys.updateOne({ _id: legacy.id }, { $set: { 'draft.settings.timezone': 'Asia/Shangai' } });
    const refused = await call(stack.app, 'POST', `/api/v1/journeys/${legacy.id}/publish`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.issues).toEqual([expect.objectContaining({ code: 'invalid_document', path: '/settings/timezone' })]);

    // Valid zones (and the aliases Intl accepts) pass.
    const fine = await call(stack.app, 'POST', '/api/v1/journeys', { ...mentionRescue(), settings: { timezone: 'Asia/Shanghai', quietHours: { start: '22:00', end: '08:00', timezone: 'UTC' } } });
    expect(fine.status).toBe(201);
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${fine.body.id}/publish`, {})).status).toBe(201);
  });

  it('a test contact with an unknown profile time zone is refused before anything is written', async () => {
    const j = (await call(stack.app, 'POST', '/api/v1/journeys', mentionRescue())).body;
    const contactsBefore = await stack.store.contacts.countDocuments({});
    const res = await call(stack.app, 'POST', `/api/v1/journeys/${j.id}/test-runs`, {
      contact: { channel: 'weibo', handle: '@tz-test', profile: { timezone: 'Asia/Shangai' } }, event: { type: 'social.mention', text: 'hi' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('body/contact/profile/timezone is not a known time zone (e.g. Asia/Shanghai, UTC)');
    expect(await stack.store.contacts.countDocuments({})).toBe(contactsBefore);
  });
});
