import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManifestRegistry } from '../../nodes/catalog';
import { validateJourney } from '../../workflows/model/validate-journey';
import { call } from '../helpers/api';
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
});
