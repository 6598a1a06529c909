import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateJourney } from '../../workflows/model/validate-journey';
import { JOURNEY_GALLERY } from '../../core/templates/journey-gallery';
import { call, mention } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';

describe('node templates, journey templates and upgrades', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  it('every gallery template uses only catalog nodes, passes validateJourney, and "use" makes a draft', async () => {
    const catalog = (await call(stack.app, 'GET', '/api/v1/nodes')).body;
    const known = new Set(catalog.categories.flatMap((c: { nodes: { type: string; version: number }[] }) => c.nodes.map((n) => `${n.type}@${n.version}`)));
    expect(JOURNEY_GALLERY.map((t) => t.id)).toEqual(expect.arrayContaining(['builtin:welcome-drip', 'builtin:negative-mention-rescue', 'builtin:vip-upgrade', 'builtin:win-back', 'builtin:post-purchase-review']));
    for (const t of JOURNEY_GALLERY) {
      for (const n of t.graph.nodes) expect(known, `${t.id}: ${n.type}@${n.version}`).toContain(`${n.type}@${n.version}`);
      expect(validateJourney(t.graph, stack.rt.registry), t.id).toEqual([]);
    }
    const list = (await call(stack.app, 'GET', '/api/v1/journey-templates')).body.templates;
    expect(list.length).toBeGreaterThanOrEqual(5);
    const used = await call(stack.app, 'POST', '/api/v1/journey-templates/builtin:negative-mention-rescue/use', { name: 'My rescue' });
    expect(used.status).toBe(201);
    const draft = (await call(stack.app, 'GET', `/api/v1/journeys/${used.body.id}`)).body;
    expect(draft).toMatchObject({ name: 'My rescue', status: 'draft', issues: [] });
    // Admins publish their own journey as a template; using it copies it.
    const own = await call(stack.app, 'POST', '/api/v1/journey-templates', { journeyId: used.body.id, name: 'House rescue' });
    expect(own.status).toBe(201);
    expect((await call(stack.app, 'GET', '/api/v1/journey-templates')).body.templates.some((t: { id: string; builtin: boolean }) => t.id === own.body.id && !t.builtin)).toBe(true);
    expect((await call(stack.app, 'POST', `/api/v1/journey-templates/${own.body.id}/use`, {})).status).toBe(201);
  });

  it('locked fields hold through the API; editing makes a version; journeys keep theirs until upgraded, with the diff', async () => {
    const created = await call(stack.app, 'POST', '/api/v1/node-templates', {
      name: 'Brand apology', description: 'The approved apology', nodeType: 'response.reply', nodeVersion: 1, config: { mode: 'reply', message: 'We are sorry.' }, locked: ['message'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, locked: ['message'], editable: ['mode', 'fallback'], published: false });
    const id = created.body.id;
    expect((await call(stack.app, 'GET', '/api/v1/node-templates?published=true')).body.templates).toEqual([]);
    expect((await call(stack.app, 'POST', `/api/v1/node-templates/${id}/publish`, {})).status).toBe(200);
    expect((await call(stack.app, 'GET', '/api/v1/node-templates?published=true')).body.templates.map((t: { id: string }) => t.id)).toEqual([id]);
    expect((await call(stack.app, 'POST', '/api/v1/node-templates', { name: 'bad', nodeType: 'response.reply', nodeVersion: 1, config: { mode: 'reply', message: 'x' }, locked: ['nope'] })).status).toBe(400);

    const doc = (message: string, mode = 'reply') => ({
      name: 'uses template',
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
        { id: 'sorry', type: 'response.reply', version: 1, config: { mode, message }, template: { id, version: 1 } },
      ],
      edges: [{ from: 't', port: 'next', to: 'sorry' }],
    });
    const bad = await call(stack.app, 'POST', '/api/v1/journeys', doc('whatever I like'));
    expect(bad.status).toBe(422);
    expect(bad.body.error).toBe('template_locked');
    expect(bad.body.issues[0]).toMatchObject({ nodeId: 'sorry', path: '/config/message' });
    const j = await call(stack.app, 'POST', '/api/v1/journeys', doc('We are sorry.', 'dm'));
    expect(j.status).toBe(201);
    expect((await call(stack.app, 'PUT', `/api/v1/journeys/${j.body.id}`, doc('changed'))).status).toBe(422);

    const v2 = await call(stack.app, 'PUT', `/api/v1/node-templates/${id}`, { config: { mode: 'reply', message: 'We are truly sorry.' } });
    expect(v2.body.version).toBe(2);
    const diff = await call(stack.app, 'GET', `/api/v1/node-templates/${id}/diff?from=1&to=2`);
    expect(diff.body.changes).toEqual([{ field: 'message', from: 'We are sorry.', to: 'We are truly sorry.', lockedFrom: true, lockedTo: true }]);
    // Unpublished v2: nothing to upgrade yet; published: the upgrade shows the node's own difference.
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${j.body.id}/upgrades`)).body.upgrades).toEqual([]);
    await call(stack.app, 'POST', `/api/v1/node-templates/${id}/publish`, {});
    const plan = (await call(stack.app, 'GET', `/api/v1/journeys/${j.body.id}/upgrades`)).body.upgrades;
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({ nodeId: 'sorry', kind: 'template', from: { template: { version: 1 } }, to: { template: { version: 2 } } });
    expect(plan[0].changes).toEqual([{ field: 'message', from: 'We are sorry.', to: 'We are truly sorry.' }]); // mode "dm" kept
    // The journey still saves against v1 until upgraded.
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${j.body.id}`)).body.nodes[1].template).toEqual({ id, version: 1 });
    const applied = await call(stack.app, 'POST', `/api/v1/journeys/${j.body.id}/upgrades`, {});
    expect(applied.body.applied).toHaveLength(1);
    const after = (await call(stack.app, 'GET', `/api/v1/journeys/${j.body.id}`)).body.nodes[1];
    expect(after).toMatchObject({ config: { mode: 'dm', message: 'We are truly sorry.' }, template: { id, version: 2 } });
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${j.body.id}/publish`, {})).status).toBe(201);
  });

  it('a custom node type evolves: a published journey pinned to v1 keeps running, the draft upgrades through the migration', async () => {
    const catalog = (await call(stack.app, 'GET', '/api/v1/nodes')).body;
    expect(catalog.loadErrors).toEqual([]);
    const tier = catalog.categories.find((c: { category: string }) => c.category === 'scoring').nodes.filter((n: { type: string }) => n.type === 'acme.loyalty-tier');
    expect(tier.map((n: { version: number }) => n.version).sort()).toEqual([1, 2]);
    const created = await call(stack.app, 'POST', '/api/v1/journeys', {
      name: 'tiering',
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
        { id: 'tier', type: 'acme.loyalty-tier', version: 1, config: { score: 'lead', vipAt: 10 } },
        { id: 'vip', type: 'response.update-contact', version: 1, config: { addTags: ['vip'] } },
        { id: 'regular', type: 'response.update-contact', version: 1, config: { addTags: ['regular'] } },
      ],
      edges: [{ from: 't', port: 'next', to: 'tier' }, { from: 'tier', port: 'vip', to: 'vip' }, { from: 'tier', port: 'regular', to: 'regular' }],
      settings: { reentry: 'always' },
    });
    const jid = created.body.id;
    await call(stack.app, 'POST', `/api/v1/journeys/${jid}/publish`, {});
    const plan = (await call(stack.app, 'GET', `/api/v1/journeys/${jid}/upgrades`)).body.upgrades;
    expect(plan).toEqual([expect.objectContaining({ nodeId: 'tier', kind: 'node-type', from: { type: 'acme.loyalty-tier', version: 1 }, to: { type: 'acme.loyalty-tier', version: 2 } })]);
    expect(plan[0].changes.map((c: { field: string }) => c.field)).toEqual(['tiers', 'vipAt']);
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${jid}/upgrades`, {})).body.applied).toHaveLength(1);
    const draft = (await call(stack.app, 'GET', `/api/v1/journeys/${jid}`)).body;
    expect(draft.issues).toEqual([]);
    expect(draft.nodes[1]).toMatchObject({ version: 2, config: { tiers: [{ id: 'vip', min: 10 }, { id: 'regular' }] } });
    // The live version 1 still runs the v1 node on the worker.
    const ev = await call(stack.app, 'POST', '/api/v1/events', mention('@tiered', 'hello'));
    expect(ev.body.enrolled.find((e: { journeyId: string }) => e.journeyId === jid).version).toBe(1);
    await eventually(async () => ((await call(stack.app, 'GET', `/api/v1/contacts/${ev.body.contactId}`)).body.tags ?? []).includes('regular'));
    // Publishing the upgraded draft runs v2 of the node.
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${jid}/publish`, {})).status).toBe(201);
    const ev2 = await call(stack.app, 'POST', '/api/v1/events', mention('@tiered2', 'hello'));
    expect(ev2.body.enrolled.find((e: { journeyId: string }) => e.journeyId === jid).version).toBe(2);
    await eventually(async () => ((await call(stack.app, 'GET', `/api/v1/contacts/${ev2.body.contactId}`)).body.tags ?? []).includes('regular'));
  });
});
