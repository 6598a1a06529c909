/**
 * Behind a journey's numbers: the contacts at a node of a version (the canvas's counts, clicked), and how many
 * contacts a draft's triggers would reach (the publish dialog's estimate). Both read only.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { AppError, badRequest, notFound } from '../../core/errors';
import { AUDIENCE_SAMPLE, AUDIENCE_WINDOW_DAYS, estimateAudience } from '../../core/engine/audience';
import { getJourney, getVersion } from '../../core/store/journeys';
import { NODE_CONTACTS_PAGE, NODE_CONTACTS_STATES, nodeContacts } from '../../core/store/node-contacts';
import { DRAFT_VERSION } from '../../core/engine/test-runs';
import { NODE_ID_PATTERN } from '../../workflows/model/journey-schema';
import { errorResponse, idParams } from './schemas';
import { audienceResponse, nodeContactsResponse } from '../http/responses/insights';

const nodeParams = {
  type: 'object',
  properties: { ...idParams.properties, nodeId: { type: 'string', pattern: NODE_ID_PATTERN } },
  required: ['id', 'nodeId'],
} as const;

const nodeContactsQuery = {
  type: 'object',
  properties: {
    version: { type: 'integer', minimum: 0, description: 'The version whose counts were clicked (default: live); 0 = test runs of the draft' },
    state: { type: 'string', enum: NODE_CONTACTS_STATES, default: 'entered', description: 'entered: every arrival; waiting: there now; port: left through `port`' },
    port: { type: 'string', minLength: 1, maxLength: 100, description: 'The port, with state=port' },
    before: { type: 'string', format: 'date-time', description: 'The previous page\'s `next`' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: NODE_CONTACTS_PAGE },
  },
  additionalProperties: false,
} as const;

const portField = {
  required: { en: 'is required when state is "port"', 'zh-CN': '在 state 为 "port" 时必填' },
  unexpected: { en: 'is only allowed when state is "port"', 'zh-CN': '仅在 state 为 "port" 时可用' },
} as const;

export async function insightRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const { store, registry } = deps;
  const load = async (ws: string, id: string) => (await getJourney(store, ws, id)) ?? Promise.reject(notFound('journey'));

  api.get('/api/v1/journeys/:id/nodes/:nodeId/contacts', {
    schema: {
      tags: ['journeys'], summary: "The contacts behind a node's counts in a version: who entered, waits there now, or left by a port; newest first, paged",
      params: nodeParams, querystring: nodeContactsQuery,
      response: { 200: nodeContactsResponse, 400: errorResponse, 404: errorResponse },
    },
  }, async (req) => {
    const { state = 'entered', port, before, limit = NODE_CONTACTS_PAGE } = req.query;
    if (state === 'port' && port === undefined) throw badRequest([{ path: '/port', message: portField.required.en, i18n: portField.required }], 'querystring');
    if (state !== 'port' && port !== undefined) throw badRequest([{ path: '/port', message: portField.unexpected.en, i18n: portField.unexpected }], 'querystring');
    const j = await load(req.workspaceId, req.params.id);
    const version = req.query.version ?? j.liveVersion;
    if (version === undefined) throw new AppError('not_published');
    if (version !== DRAFT_VERSION) {
      // Test runs ran earlier drafts too: their node ids are not checked against today's draft.
      const v = await getVersion(store, req.workspaceId, j._id, version);
      if (!v) throw notFound('journey version', String(version));
      if (!v.graph.nodes.some((n) => n.id === req.params.nodeId)) throw notFound('journey node', req.params.nodeId);
    }
    const page = await nodeContacts(store, {
      workspaceId: req.workspaceId, journeyId: j._id, version, nodeId: req.params.nodeId, state, port, before: before ? new Date(before) : undefined, limit,
    });
    return {
      journeyId: j._id, version, nodeId: req.params.nodeId, state, port: port ?? null,
      contacts: page.rows.map((r) => ({
        contactId: r.contactId, enrollmentId: r.enrollmentId, identity: r.identity ?? null, name: r.name ?? null, erased: r.erased, test: r.test,
        at: r.at.toISOString(), outcome: r.outcome, port: r.port ?? null,
      })),
      next: page.next?.toISOString() ?? null,
    };
  });

  api.post('/api/v1/journeys/:id/audience', {
    config: { permission: 'read' },
    schema: {
      tags: ['journeys'],
      summary: `How many contacts the draft's triggers would reach: a segment's members, or the distinct contacts that sent a matching event in the last ${AUDIENCE_WINDOW_DAYS} days (at most the newest ${AUDIENCE_SAMPLE} events per type are read)`,
      params: idParams, body: { type: 'object', properties: {}, additionalProperties: false },
      response: { 200: audienceResponse, 400: errorResponse, 404: errorResponse },
    },
  }, async (req) => {
    const j = await load(req.workspaceId, req.params.id);
    const now = new Date();
    const triggers = await estimateAudience(store, registry, { workspaceId: req.workspaceId, journeyId: j._id }, j.draft, { now });
    return { journeyId: j._id, windowDays: AUDIENCE_WINDOW_DAYS, sampleLimit: AUDIENCE_SAMPLE, estimatedAt: now.toISOString(), triggers };
  });
}
