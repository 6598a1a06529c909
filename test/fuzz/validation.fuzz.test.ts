import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManifestRegistry } from '../../nodes/catalog';
import { validateJourney } from '../../workflows/model/validate-journey';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../core/channels/inbound-signature';
import { putChannelConfig } from '../../core/store/channel-configs';
import { mentionRescue } from '../engine/fixtures';
import { call, mention } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';

const registry = createManifestRegistry();
const types = registry.all().map((m) => m.type);

/** Journey-shaped values: right skeleton, random contents (types, ports, configs, edges). */
const journeyish = fc.record({
  name: fc.string({ minLength: 0, maxLength: 20 }),
  nodes: fc.array(fc.record({
    id: fc.oneof(fc.constantFrom('a', 'b', 'c', 'd'), fc.string({ maxLength: 5 })),
    type: fc.oneof(fc.constantFrom(...types), fc.string({ maxLength: 8 })),
    version: fc.oneof(fc.constant(1), fc.integer({ min: -1, max: 3 })),
    config: fc.oneof(fc.object({ maxDepth: 2 }), fc.constant({})),
  }), { maxLength: 6 }),
  edges: fc.array(fc.record({
    from: fc.constantFrom('a', 'b', 'c', 'd', 'x'), port: fc.constantFrom('next', 'yes', 'no', 'sent', 'zzz'), to: fc.constantFrom('a', 'b', 'c', 'd', 'x'),
  }), { maxLength: 8 }),
}, { requiredKeys: [] });

describe('fuzz: journey validation', () => {
  it('never throws, and every issue names a path (and a node when it is about one)', () => {
    fc.assert(fc.property(fc.oneof(journeyish, fc.anything()), (doc) => {
      const issues = validateJourney(doc, registry);
      for (const i of issues) {
        expect(typeof i.path).toBe('string');
        expect(i.message.length).toBeGreaterThan(0);
        if (['invalid_config', 'unknown_node_type', 'unknown_port', 'duplicate_node_id'].includes(i.code)) expect(i.nodeId).toBeDefined();
      }
    }), { numRuns: 500 });
  });
});

describe('fuzz: the API under random input', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack({ worker: false }); });
  afterAll(async () => { await stack?.close(); });

  it('random journeys and events never produce a 5xx; rejected events write nothing; valid drafts round-trip', async () => {
    const event = fc.record({
      id: fc.oneof(fc.uuid(), fc.string({ maxLength: 3 })),
      type: fc.oneof(fc.constantFrom('social.mention', 'form.submitted'), fc.string({ maxLength: 6 })),
      channel: fc.oneof(fc.constantFrom('weibo', 'x'), fc.string({ maxLength: 4 })),
      handle: fc.string({ maxLength: 6 }),
      text: fc.string({ maxLength: 30 }),
      occurredAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 5 })),
      data: fc.object({ maxDepth: 1 }),
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(journeyish, fc.oneof(event, fc.record({ events: fc.array(event, { maxLength: 3 }) }), fc.anything()), async (journey, ev) => {
      const j = await call(stack.app, 'POST', '/api/v1/journeys', journey);
      expect(j.status).toBeLessThan(500);
      if (j.status === 201) {
        const back = await call(stack.app, 'GET', `/api/v1/journeys/${j.body.id}`);
        const sent = JSON.parse(JSON.stringify(journey)); // what went over the wire (undefined → null / dropped)
        expect(back.body.nodes).toEqual(sent.nodes);
        expect(back.body.edges).toEqual(sent.edges);
        expect((await call(stack.app, 'POST', `/api/v1/journeys/${j.body.id}/publish`, {})).status).toBeLessThan(500);
      }
      const before = await stack.store.interactions.countDocuments({});
      const r = await call(stack.app, 'POST', '/api/v1/events', ev);
      expect(r.status).toBeLessThan(500);
      if (r.status >= 400) {
        expect(r.body.message).toMatch(/body|content-type/);
        expect(await stack.store.interactions.countDocuments({})).toBe(before);
      }
    }), { numRuns: 60 });
  });

  it('storing routes refuse NUL characters, $/dotted keys, deep objects and wrong types: a 400 naming the field, nothing written', async () => {
    const secret = 'fuzz-webhook-secret-0123';
    await putChannelConfig(stack.store, stack.workspaceId, 'weibo', { kind: 'http', baseUrl: 'http://platform.invalid/' }, { webhookSecret: secret });
    const journeyId = (await call(stack.app, 'POST', '/api/v1/journeys', mentionRescue())).body.id as string;
    const j = `/api/v1/journeys/${journeyId}`;
    const testRun = () => ({ contact: { channel: 'weibo', handle: '@fuzz', profile: { name: 'Lily' } }, event: { type: 'social.mention', text: 'hi', data: { a: 1 } } });
    const template = () => ({ name: 'fuzz', description: 'd', nodeType: 'response.reply', nodeVersion: 1, config: { mode: 'reply', message: 'hi' } });
    // Valid bodies, and where poison goes: `typed` fields have a JSON Schema type, `free` ones take any JSON.
    const targets: { method: 'POST' | 'PUT'; url: string; body: () => any; typed: string[]; free: string[]; signed?: boolean }[] = [
      { method: 'POST', url: '/api/v1/events', body: () => mention('@fuzz', 'x'), typed: ['/id', '/handle', '/text', '/threadId'], free: ['/data/x', '/data'] },
      { method: 'POST', url: '/api/v1/events', body: () => ({ events: [mention('@fuzz1', 'x'), mention('@fuzz2', 'y')] }), typed: ['/events/1/handle'], free: ['/events/1/data/y'] },
      { method: 'POST', url: '/api/v1/channels/weibo/webhook', signed: true, body: () => ({ id: `w-${Math.random()}`, type: 'social.mention', handle: '@fuzz', text: 'x' }), typed: ['/handle', '/text'], free: ['/data/x'] },
      { method: 'POST', url: '/api/v1/journeys', body: () => mentionRescue(), typed: ['/name', '/description', '/nodes/3/label', '/settings/timezone'], free: ['/nodes/0/config/extra'] },
      { method: 'PUT', url: j, body: () => mentionRescue(), typed: ['/name', '/nodes/1/id'], free: ['/nodes/2/config/reason'] },
      { method: 'POST', url: `${j}/publish`, body: () => ({ note: 'n' }), typed: ['/note'], free: [] },
      { method: 'POST', url: '/api/v1/node-templates', body: template, typed: ['/name', '/description', '/nodeType'], free: ['/config/extra'] },
      { method: 'POST', url: `${j}/test-runs`, body: testRun, typed: ['/contact/handle', '/event/text', '/contact/profile/timezone'], free: ['/contact/profile/name', '/event/data/a'] },
      { method: 'PUT', url: '/api/v1/credentials/fuzz', body: () => ({ value: 'v' }), typed: ['/value'], free: [] },
    ];
    const nul = fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}\u0000${b}`);
    const badKey = fc.tuple(fc.constantFrom('$set', '$where', '$', 'a.b', '.', 'x\u0000y', ''), fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ ok: 1, [k]: v }));
    // Deep values stay a marker until the JSON text is built (as text: no recursion here either), so a
    // counterexample prints and shrinks as a number.
    const deep = fc.integer({ min: 40, max: 20_000 }).map((levels) => `\u0001deep:${levels}\u0001`);
    const deepText = (levels: number) => `${'{"k":['.repeat(Math.ceil(levels / 2))}"leaf"${']}'.repeat(Math.ceil(levels / 2))}`;
    const toJson = (doc: unknown) => JSON.stringify(doc).replace(/"\\u0001deep:(\d+)\\u0001"/g, (_m, n: string) => deepText(Number(n)));
    const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({ a: 1 }));
    const poisoned = fc.integer({ min: 0, max: targets.length - 1 }).chain((t) => {
      const target = targets[t];
      const slots = [
        ...target.typed.map((path) => fc.tuple(fc.constant(path), fc.oneof(nul, badKey, deep, wrongType))),
        ...target.free.map((path) => fc.tuple(fc.constant(path), fc.oneof(nul, badKey, deep))),
      ];
      return fc.tuple(fc.constant(target), fc.oneof(...slots));
    });
    const setAt = (doc: any, path: string, value: unknown) => {
      const keys = path.split('/').slice(1);
      let cur = doc;
      for (const k of keys.slice(0, -1)) cur = cur[k] ??= {};
      cur[keys[keys.length - 1]] = value;
      return doc;
    };
    const snapshot = async () => {
      const names = (await stack.store.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
      const counts = await Promise.all(names.map((n) => stack.store.db.collection(n).countDocuments({})));
      return Object.fromEntries(names.map((n, i) => [n, counts[i]]));
    };

    await fc.assert(fc.asyncProperty(poisoned, async ([target, [path, poison]]) => {
      const raw = toJson(setAt(target.body(), path, poison));
      const before = await snapshot();
      const res = await stack.app.inject({
        method: target.method, url: target.url, payload: raw,
        headers: { 'content-type': 'application/json', ...(target.signed ? { [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, raw) } : {}) },
      });
      const body = JSON.parse(res.body);
      expect(res.statusCode, `${target.method} ${target.url} ${path}: ${res.body}`).toBe(400);
      expect(body.message).toMatch(/^body/);
      expect(await snapshot()).toEqual(before);
    }), { numRuns: 50, interruptAfterTimeLimit: 6_000 });
  });
});
