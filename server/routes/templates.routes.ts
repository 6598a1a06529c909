import type { FastifyInstance } from 'fastify';
import type { JourneyGraph } from '../../workflows/model/journey-schema';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { audit } from '../auth/auth';
import { AppError, notFound } from '../../core/errors';
import type { NodeTemplateDoc } from '../../core/store/documents';
import { createJourney, getJourney, updateDraft } from '../../core/store/journeys';
import {
  applyUpgrades, archiveNodeTemplate, createJourneyTemplate, createNodeTemplate, getJourneyTemplate, getTemplateVersion, latestTemplateVersion,
  listJourneyTemplates, listNodeTemplates, nodeTemplateView, planUpgrades, publishNodeTemplate, templateDiff, updateNodeTemplate,
} from '../../core/store/templates';
import { errorResponse, idParams, newJourneyNameBody } from './schemas';
import {
  journeyFromTemplateResponse, journeyTemplateListResponse, journeyTemplateSavedResponse, nodeTemplateListResponse, nodeTemplateViewSchema, templateDiffSchema,
  upgradePlanResponse, upgradesAppliedResponse,
} from '../http/responses/templates';

const nodeTemplateBody = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 120 },
    description: { type: 'string', maxLength: 2000 },
    nodeType: { type: 'string', minLength: 1, maxLength: 100 },
    nodeVersion: { type: 'integer', minimum: 1 },
    config: { type: 'object' },
    locked: { type: 'array', uniqueItems: true, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 100 }, description: 'Config fields a journey may not change' },
  },
  additionalProperties: false,
} as const;

export async function templateRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const { store, registry } = deps;
  const view = (d: NodeTemplateDoc) => {
    const props = Object.keys((registry.get(d.nodeType, d.nodeVersion)?.configSchema as { properties?: object } | undefined)?.properties ?? {});
    return { ...nodeTemplateView(d), editable: props.filter((p) => !d.locked.includes(p)) };
  };

  // --- Node templates ----------------------------------------------------------------------------------------

  api.get('/api/v1/node-templates', {
    schema: {
      tags: ['templates'], summary: 'Node templates: with published=true the palette entries (newest published version of each)',
      querystring: { type: 'object', properties: { published: { type: 'boolean' } }, additionalProperties: false },
      response: { 200: nodeTemplateListResponse },
    },
  }, async (req) => {
    const list = await listNodeTemplates(store, req.workspaceId, { publishedOnly: req.query.published });
    return {
      templates: list.map((e) => req.query.published
        ? view(e.published!)
        : { ...view(e.latest), publishedVersion: e.published?.version ?? null, latestVersion: e.latest.version }),
    };
  });

  api.post('/api/v1/node-templates', {
    config: { permission: 'templates.write' },
    schema: {
      tags: ['templates'], summary: 'Save a configured node as a template (version 1, unpublished)',
      body: { ...nodeTemplateBody, required: ['name', 'nodeType', 'nodeVersion', 'config'] }, response: { 201: nodeTemplateViewSchema, 400: errorResponse },
    },
  }, async (req, reply) => {
    const t = await createNodeTemplate(store, registry, req.workspaceId, req.body, req.principal?.name);
    await audit(deps, req, 'template.created', { kind: 'node-template', id: t.templateId, name: t.name }, { version: 1 });
    return reply.status(201).send(view(t));
  });

  api.get('/api/v1/node-templates/:id', {
    schema: {
      tags: ['templates'], summary: 'One template version (default: the newest)', params: idParams,
      querystring: { type: 'object', properties: { version: { type: 'integer', minimum: 1 } }, additionalProperties: false },
      response: { 200: nodeTemplateViewSchema, 404: errorResponse },
    },
  }, async (req) => {
    const t = req.query.version ? await getTemplateVersion(store, req.workspaceId, req.params.id, req.query.version) : await latestTemplateVersion(store, req.workspaceId, req.params.id);
    if (!t) throw notFound('node template');
    const versions = await store.nodeTemplates.find({ workspaceId: req.workspaceId, templateId: req.params.id }, { projection: { version: 1, published: 1, createdAt: 1, createdBy: 1 } }).sort({ version: -1 }).toArray();
    return { ...view(t), versions: versions.map((v) => ({ version: v.version, published: v.published, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy ?? null })) };
  });

  api.put('/api/v1/node-templates/:id', {
    config: { permission: 'templates.write' },
    schema: { tags: ['templates'], summary: 'Edit a template: creates the next version (publish it to offer it)', params: idParams, body: { ...nodeTemplateBody, minProperties: 1 }, response: { 200: nodeTemplateViewSchema, 400: errorResponse, 404: errorResponse } },
  }, async (req) => {
    const before = await latestTemplateVersion(store, req.workspaceId, req.params.id);
    const t = await updateNodeTemplate(store, registry, req.workspaceId, req.params.id, req.body, req.principal?.name);
    if (!t || !before) throw notFound('node template');
    await audit(deps, req, 'template.changed', { kind: 'node-template', id: t.templateId, name: t.name }, { version: t.version, changes: templateDiff(before, t).changes });
    return view(t);
  });

  api.post('/api/v1/node-templates/:id/publish', {
    config: { permission: 'templates.write' },
    schema: {
      tags: ['templates'], summary: 'Publish a template version (default: the newest): the palette offers it', params: idParams,
      body: { type: 'object', properties: { version: { type: 'integer', minimum: 1 } }, additionalProperties: false },
      response: { 200: nodeTemplateViewSchema, 404: errorResponse },
    },
  }, async (req) => {
    const t = await publishNodeTemplate(store, req.workspaceId, req.params.id, req.body?.version);
    if (!t) throw notFound('node template');
    await audit(deps, req, 'template.published', { kind: 'node-template', id: t.templateId, name: t.name }, { version: t.version });
    return view(t);
  });

  api.delete('/api/v1/node-templates/:id', {
    config: { permission: 'templates.write' },
    schema: { tags: ['templates'], summary: 'Archive a template: gone from the palette; journeys using it keep their copy', params: idParams, response: { 204: { type: 'null' }, 404: errorResponse } },
  }, async (req, reply) => {
    if (!(await archiveNodeTemplate(store, req.workspaceId, req.params.id))) throw notFound('node template');
    await audit(deps, req, 'template.archived', { kind: 'node-template', id: req.params.id });
    return reply.status(204).send(null);
  });

  api.get('/api/v1/node-templates/:id/diff', {
    schema: {
      tags: ['templates'], summary: 'Field-level difference between two versions of a template (to: default newest)', params: idParams,
      querystring: { type: 'object', properties: { from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 } }, required: ['from'], additionalProperties: false },
      response: { 200: templateDiffSchema, 404: errorResponse },
    },
  }, async (req) => {
    const a = await getTemplateVersion(store, req.workspaceId, req.params.id, req.query.from);
    const b = req.query.to ? await getTemplateVersion(store, req.workspaceId, req.params.id, req.query.to) : await latestTemplateVersion(store, req.workspaceId, req.params.id);
    if (!a || !b) throw notFound('node template version');
    return templateDiff(a, b);
  });

  // --- Upgrades of a journey draft: template versions and node type versions -------------------------------------

  api.get('/api/v1/journeys/:id/upgrades', {
    schema: { tags: ['templates'], summary: "The draft's nodes that can move to a newer template or node type version, with the field-level difference", params: idParams, response: { 200: upgradePlanResponse, 404: errorResponse } },
  }, async (req) => {
    const j = await getJourney(store, req.workspaceId, req.params.id);
    if (!j) throw notFound('journey');
    return { upgrades: await planUpgrades(store, registry, req.workspaceId, j.draft) };
  });

  api.post('/api/v1/journeys/:id/upgrades', {
    config: { permission: 'journeys.write' },
    schema: {
      tags: ['templates'], summary: 'Apply upgrades to the draft (all, or the listed nodes); published versions keep running unchanged', params: idParams,
      body: { type: 'object', properties: { nodeIds: { type: 'array', items: { type: 'string' } }, revision: { type: 'integer', minimum: 1 } }, additionalProperties: false },
      response: { 200: upgradesAppliedResponse, 404: errorResponse, 409: errorResponse },
    },
  }, async (req) => {
    const j = await getJourney(store, req.workspaceId, req.params.id);
    if (!j) throw notFound('journey');
    const plan = await planUpgrades(store, registry, req.workspaceId, j.draft);
    const { graph, applied } = applyUpgrades(j.draft, plan, req.body?.nodeIds);
    if (applied.length) {
      const updated = await updateDraft(store, req.workspaceId, j._id, { name: j.name, description: j.description, ...graph }, req.body?.revision ?? j.revision);
      if (!updated) throw new AppError('stale_revision', { revision: req.body?.revision ?? j.revision });
      return { applied, skipped: plan.filter((u) => !applied.includes(u)), revision: updated.revision };
    }
    return { applied: [], skipped: plan, revision: j.revision };
  });

  // --- Journey templates ---------------------------------------------------------------------------------------

  api.get('/api/v1/journey-templates', {
    schema: { tags: ['templates'], summary: 'The journey template gallery: built-in templates and the ones admins published', response: { 200: journeyTemplateListResponse } },
  }, async (req) => ({ templates: await listJourneyTemplates(store, req.workspaceId) }));

  api.post('/api/v1/journey-templates/:id/use', {
    config: { permission: 'journeys.write' },
    schema: {
      tags: ['templates'], summary: 'Use a template: creates a new draft journey from it', params: idParams,
      body: newJourneyNameBody,
      response: { 201: journeyFromTemplateResponse, 404: errorResponse },
    },
  }, async (req, reply) => {
    const t = await getJourneyTemplate(store, req.workspaceId, req.params.id);
    if (!t) throw notFound('journey template');
    const j = await createJourney(store, req.workspaceId, { name: req.body?.name ?? t.name, description: t.description, ...structuredClone(t.graph) } as never);
    return reply.status(201).send({ id: j._id, name: j.name, status: j.status, revision: j.revision, fromTemplate: req.params.id });
  });

  api.post('/api/v1/journey-templates', {
    config: { permission: 'templates.write' },
    schema: {
      tags: ['templates'], summary: "Publish one of the workspace's journeys (its draft, or its live version) as a journey template",
      body: {
        type: 'object',
        properties: {
          journeyId: { type: 'string', minLength: 1, maxLength: 200 }, name: { type: 'string', minLength: 1, maxLength: 120 },
          description: { type: 'string', maxLength: 2000 }, from: { type: 'string', enum: ['draft', 'live'], default: 'draft' },
        },
        required: ['journeyId'],
        additionalProperties: false,
      },
      response: { 201: journeyTemplateSavedResponse, 404: errorResponse },
    },
  }, async (req, reply) => {
    const j = await getJourney(store, req.workspaceId, req.body.journeyId);
    if (!j) throw notFound('journey');
    let graph: JourneyGraph = j.draft;
    if (req.body.from === 'live') {
      const v = j.liveVersion === undefined ? null : await store.versions.findOne({ _id: `${j._id}|v${j.liveVersion}`, workspaceId: req.workspaceId });
      if (!v) throw new AppError('not_published');
      graph = v.graph;
    }
    const t = await createJourneyTemplate(store, req.workspaceId, { name: req.body.name ?? j.name, description: req.body.description ?? j.description, graph, sourceJourneyId: j._id }, req.principal?.name);
    await audit(deps, req, 'journey_template.published', { kind: 'journey-template', id: t._id, name: t.name }, { journeyId: j._id });
    return reply.status(201).send({ id: t._id, name: t.name, description: t.description ?? null, builtin: false, ...t.graph });
  });

  api.delete('/api/v1/journey-templates/:id', {
    config: { permission: 'templates.write' },
    schema: { tags: ['templates'], summary: "Remove one of the workspace's journey templates (built-ins stay)", params: idParams, response: { 204: { type: 'null' }, 404: errorResponse } },
  }, async (req, reply) => {
    const r = await store.journeyTemplates.deleteOne({ _id: req.params.id, workspaceId: req.workspaceId });
    if (!r.deletedCount) throw notFound('journey template');
    await audit(deps, req, 'journey_template.deleted', { kind: 'journey-template', id: req.params.id });
    return reply.status(204).send(null);
  });
}
