import type { FastifyInstance } from 'fastify';
import type { JourneyDocument } from '../../workflows/model/journey-schema';
import { journeyDocumentSchema } from '../../workflows/model/journey-schema';
import { hasErrors, validateJourney } from '../../workflows/model/validate-journey';
import type { Lang } from '../../nodes/field-messages';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { localizeItems, requestLang } from '../http/errors';
import { AppError, notFound } from '../../core/errors';
import { LIMITS } from '../../core/storable';
import { outboundPolicy } from '../../core/outbound/destination-policy';
import type { JourneyDoc } from '../../core/store/documents';
import {
  createJourney, deleteJourney, draftTriggerTypes, getJourney, journeyFolders, journeyNames, listJourneys, listVersions, publishJourney, setJourneyFolder, updateDraft,
} from '../../core/store/journeys';
import { journeyFolderSchema } from '../../workflows/model/journey-folders';
import { journeyStats } from '../../core/store/enrollments';
import { checkTemplateLocks } from './template-locks';
import { errorResponse, idParams, newJourneyNameBody } from './schemas';
import { clonedJourneySchema, JOURNEY_STATUSES, journeyListResponse, journeyStatsSchema, journeyViewSchema, publishedResponse, validationResponse, versionListResponse } from '../http/responses/journeys';
import { DRAFT_VERSION } from '../../core/engine/test-runs';
import { distinctName } from '../../workflows/model/journey-names';

/** A folder to put the journey in, or null for the top level of the list. */
const folderOrNull = { ...journeyFolderSchema, type: ['string', 'null'] } as const;

const createBody = {
  ...journeyDocumentSchema,
  properties: { ...journeyDocumentSchema.properties, folder: journeyFolderSchema },
} as const;

const putBody = {
  ...journeyDocumentSchema,
  properties: {
    ...journeyDocumentSchema.properties,
    revision: { type: 'integer', minimum: 1, description: 'The revision this edit is based on; a stale one gets 409' },
    folder: { ...folderOrNull, description: 'Also move it (absent: the folder stays)' },
  },
} as const;

const patchBody = {
  type: 'object',
  properties: { folder: { ...folderOrNull, description: 'Move it into this folder (a new path creates the folder), or null for the top level' } },
  required: ['folder'],
  additionalProperties: false,
} as const;

const listQuery = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 200, description: 'Part of the name or description, in any case' },
    folder: { ...journeyFolderSchema, description: 'Only journeys in this folder or below it' },
    status: { type: 'string', enum: JOURNEY_STATUSES },
    trigger: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$', description: 'Only journeys whose draft has a trigger of this node type' },
  },
  additionalProperties: false,
} as const;

export async function journeyRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const { store, registry } = deps;
  // Issue messages in the request's language (Accept-Language).
  const view = (j: JourneyDoc, lang: Lang) => ({
    id: j._id, name: j.name, description: j.description, status: j.status, liveVersion: j.liveVersion ?? null, revision: j.revision, folder: j.folder ?? null,
    ...j.draft, createdAt: j.createdAt.toISOString(), updatedAt: j.updatedAt.toISOString(),
    issues: localizeItems(validateJourney(j.draft, registry, outboundPolicy()), lang),
  });
  const load = async (ws: string, id: string) => (await getJourney(store, ws, id)) ?? Promise.reject(notFound('journey'));

  const isTrigger = (type: string) => registry.latest(type)?.category === 'trigger';

  api.get('/api/v1/journeys', {
    schema: {
      tags: ['journeys'], summary: 'List journeys, optionally narrowed by text, folder, status and trigger', querystring: listQuery,
      response: { 200: journeyListResponse, 400: errorResponse },
    },
  }, async (req) => {
    const [journeys, folders] = await Promise.all([listJourneys(store, req.workspaceId, req.query, isTrigger), journeyFolders(store, req.workspaceId)]);
    // Enrollments of live versions only: test runs of a draft (version 0) are rehearsals, not contacts who entered.
    const counts = await store.enrollments.aggregate<{ _id: { j: string; s: string }; n: number }>([
      { $match: { workspaceId: req.workspaceId, version: { $ne: DRAFT_VERSION } } },
      { $group: { _id: { j: '$journeyId', s: '$status' }, n: { $sum: 1 } } },
    ]).toArray();
    const byJourney = new Map<string, Record<string, number>>();
    for (const c of counts) byJourney.set(c._id.j, { ...byJourney.get(c._id.j), [c._id.s]: c.n });
    return {
      journeys: journeys.map((j) => {
        const n = byJourney.get(j._id) ?? {};
        return {
          id: j._id, name: j.name, description: j.description ?? null, status: j.status, folder: j.folder ?? null, triggers: draftTriggerTypes(j, isTrigger),
          liveVersion: j.liveVersion ?? null, updatedAt: j.updatedAt.toISOString(),
          nodeCount: j.draft.nodes.length, enrolled: Object.values(n).reduce((a, b) => a + b, 0), active: n.active ?? 0,
        };
      }),
      folders,
    };
  });

  api.post('/api/v1/journeys/:id/clone', {
    config: { permission: 'journeys.write' },
    schema: {
      tags: ['journeys'], summary: "Duplicate a journey: a new draft with the original's draft, named “… (copy)” unless a name is given", params: idParams,
      body: newJourneyNameBody, response: { 201: clonedJourneySchema, 404: errorResponse },
    },
  }, async (req, reply) => {
    const source = await load(req.workspaceId, req.params.id);
    const lang = requestLang(req);
    const name = req.body?.name ?? distinctName(source.name, await journeyNames(store, req.workspaceId), 'copy', lang, { alwaysSuffix: true });
    const doc = { name, ...(source.description ? { description: source.description } : {}), ...structuredClone(source.draft) } as JourneyDocument;
    await checkTemplateLocks(store, req.workspaceId, doc);
    // The copy sits next to the original in the list.
    return reply.status(201).send({ ...view(await createJourney(store, req.workspaceId, doc, new Date(), source.folder), lang), clonedFrom: source._id });
  });

  api.post('/api/v1/journeys', {
    config: { storable: LIMITS.journey },
    schema: { tags: ['journeys'], summary: 'Create a draft journey (in a folder of the list if one is given)', body: createBody, response: { 201: journeyViewSchema, 400: errorResponse } },
  }, async (req, reply) => {
    const { folder, ...doc } = req.body;
    await checkTemplateLocks(store, req.workspaceId, doc);
    return reply.status(201).send(view(await createJourney(store, req.workspaceId, doc, new Date(), folder), requestLang(req)));
  });

  api.get('/api/v1/journeys/:id', {
    schema: { tags: ['journeys'], summary: 'A journey and its draft', params: idParams, response: { 200: journeyViewSchema, 404: errorResponse } },
  }, async (req) => view(await load(req.workspaceId, req.params.id), requestLang(req)));

  api.put('/api/v1/journeys/:id', {
    config: { storable: LIMITS.journey },
    schema: { tags: ['journeys'], summary: 'Save the draft', params: idParams, body: putBody, response: { 200: journeyViewSchema, 400: errorResponse, 404: errorResponse, 409: errorResponse } },
  }, async (req) => {
    const { revision, folder, ...doc } = req.body;
    await checkTemplateLocks(store, req.workspaceId, doc);
    let updated = await updateDraft(store, req.workspaceId, req.params.id, doc, revision);
    if (!updated) throw notFound('journey');
    if (folder !== undefined) updated = (await setJourneyFolder(store, req.workspaceId, req.params.id, folder)) ?? updated;
    return view(updated, requestLang(req));
  });

  api.patch('/api/v1/journeys/:id', {
    schema: {
      tags: ['journeys'], summary: 'Move a journey into a folder of the list (renaming a folder is moving its journeys); the draft and its revision stay',
      params: idParams, body: patchBody, response: { 200: journeyViewSchema, 400: errorResponse, 404: errorResponse },
    },
  }, async (req) => {
    const updated = await setJourneyFolder(store, req.workspaceId, req.params.id, req.body.folder);
    if (!updated) throw notFound('journey');
    return view(updated, requestLang(req));
  });

  api.delete('/api/v1/journeys/:id', {
    schema: { tags: ['journeys'], summary: 'Delete a journey that was never published', params: idParams, response: { 204: { type: 'null' }, 404: errorResponse, 409: errorResponse } },
  }, async (req, reply) => {
    const r = await deleteJourney(store, req.workspaceId, req.params.id);
    if (r === 'missing') throw notFound('journey');
    if (r === 'published') throw new AppError('published');
    return reply.status(204).send(null);
  });

  api.post('/api/v1/journeys/:id/validate', {
    schema: { tags: ['journeys'], summary: 'Validate the draft: errors and warnings per node and field', params: idParams, response: { 200: validationResponse, 404: errorResponse } },
  }, async (req) => {
    const issues = validateJourney((await load(req.workspaceId, req.params.id)).draft, registry, outboundPolicy());
    return { valid: !hasErrors(issues), issues: localizeItems(issues, requestLang(req)) };
  });

  api.post('/api/v1/journeys/:id/publish', {
    schema: {
      tags: ['journeys'], summary: 'Freeze the draft as a new immutable version and make it live', params: idParams,
      body: { type: 'object', properties: { note: { type: 'string', maxLength: 500 } }, additionalProperties: false },
      response: { 201: publishedResponse, 404: errorResponse, 422: errorResponse },
    },
  }, async (req, reply) => {
    await checkTemplateLocks(store, req.workspaceId, (await load(req.workspaceId, req.params.id)).draft);
    const v = await publishJourney(store, registry, req.workspaceId, req.params.id, req.body?.note);
    if (!v) throw notFound('journey');
    return reply.status(201).send({ journeyId: v.journeyId, version: v.version, note: v.note ?? null, publishedAt: v.publishedAt.toISOString() });
  });

  api.get('/api/v1/journeys/:id/versions', {
    schema: { tags: ['journeys'], summary: 'Published versions, newest first', params: idParams, response: { 200: versionListResponse, 404: errorResponse } },
  }, async (req) => {
    await load(req.workspaceId, req.params.id);
    const versions = await listVersions(store, req.workspaceId, req.params.id);
    return { versions: versions.map((v) => ({ version: v.version, name: v.name, note: v.note ?? null, publishedAt: v.publishedAt.toISOString(), ...v.graph })) };
  });

  api.get('/api/v1/journeys/:id/stats', {
    schema: {
      tags: ['journeys'], summary: 'Per-node counts (entered, waiting, exited, by port) of a version (default: live)', params: idParams,
      querystring: { type: 'object', properties: { version: { type: 'integer', minimum: 0, description: '0 = test runs of the draft' } }, additionalProperties: false },
      response: { 200: journeyStatsSchema, 404: errorResponse },
    },
  }, async (req) => {
    const j = await load(req.workspaceId, req.params.id);
    const version = req.query.version ?? j.liveVersion;
    if (version === undefined) throw new AppError('not_published');
    return { journeyId: j._id, version, ...(await journeyStats(store, req.workspaceId, j._id, version)) };
  });
}
