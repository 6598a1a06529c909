import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { notFound } from '../../core/errors';
import { contactView, findContactByIdentity, REAL_CONTACTS } from '../../core/store/contacts';
import { interactionView, timeline } from '../../core/store/interactions';
import { stepsOf } from '../../core/store/enrollments';
import { errorResponse, idParams } from './schemas';
import { contactListResponse, contactRunsResponse, contactViewSchema, timelineResponse } from '../http/responses/contacts';

export async function contactRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const { store } = deps;
  const load = async (ws: string, id: string) => (await store.contacts.findOne({ _id: id, workspaceId: ws })) ?? Promise.reject(notFound('contact'));

  api.get('/api/v1/contacts', {
    schema: {
      tags: ['contacts'], summary: 'Find contacts by identity (channel:handle), tag or a part of a handle or name, else the most recently updated',
      querystring: {
        type: 'object',
        properties: {
          identity: { type: 'string', pattern: '^[a-z0-9_-]{1,64}:.+$', description: 'channel:handle, e.g. weibo:@lily' },
          tag: { type: 'string', minLength: 1 },
          q: { type: 'string', minLength: 1, maxLength: 100, description: 'A part of a handle or of profile.name, any case (the test-run contact picker)' },
          limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
        },
        additionalProperties: false,
      },
      response: { 200: contactListResponse, 400: errorResponse },
    },
  }, async (req) => {
    const { identity, tag, q, limit = 50 } = req.query;
    if (identity) {
      const at = identity.indexOf(':');
      const c = await findContactByIdentity(store, req.workspaceId, { channel: identity.slice(0, at), handle: identity.slice(at + 1) });
      return { contacts: c ? [contactView(c)] : [] };
    }
    const filter: Record<string, unknown> = { workspaceId: req.workspaceId, ...REAL_CONTACTS };
    if (tag) filter.tags = tag;
    if (q) {
      // A literal part, not a pattern: the text is escaped, so `.*` or `(a+)+` from a search box match only themselves.
      const part = { $regex: q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
      filter.$or = [{ 'identities.handle': part }, { 'profile.name': part }];
    }
    const list = await store.contacts.find(filter).sort({ updatedAt: -1 }).limit(limit).toArray();
    return { contacts: list.map(contactView) };
  });

  api.get('/api/v1/contacts/:id', {
    schema: { tags: ['contacts'], summary: 'One contact: identities, profile, tags, scores, consent', params: idParams, response: { 200: contactViewSchema, 404: errorResponse } },
  }, async (req) => contactView(await load(req.workspaceId, req.params.id)));

  api.get('/api/v1/contacts/:id/timeline', {
    schema: {
      tags: ['contacts'], summary: "The contact's interactions and journey-made changes, newest first", params: idParams,
      querystring: {
        type: 'object',
        properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, before: { type: 'string', format: 'date-time' } },
        additionalProperties: false,
      },
      response: { 200: timelineResponse, 404: errorResponse },
    },
  }, async (req) => {
    await load(req.workspaceId, req.params.id);
    const items = await timeline(store, req.workspaceId, req.params.id, { limit: req.query.limit ?? 100, before: req.query.before ? new Date(req.query.before) : undefined });
    return { items: items.map(interactionView) };
  });

  api.get('/api/v1/contacts/:id/journeys', {
    schema: { tags: ['contacts'], summary: "The contact's enrollments, each with its steps (node, port, time, why)", params: idParams, response: { 200: contactRunsResponse, 404: errorResponse } },
  }, async (req) => {
    await load(req.workspaceId, req.params.id);
    const enrollments = await store.enrollments.find({ workspaceId: req.workspaceId, contactId: req.params.id }).sort({ startedAt: -1 }).limit(100).toArray();
    const steps = await stepsOf(store, req.workspaceId, enrollments.map((e) => e._id));
    return {
      enrollments: enrollments.map((e) => ({
        id: e._id, journeyId: e.journeyId, version: e.version, status: e.status, outcome: e.outcome ?? null, currentNodeId: steps.findLast((s) => s.enrollmentId === e._id)?.nodeId ?? null,
        triggerEventId: e.triggerEventId, startedAt: e.startedAt.toISOString(), endedAt: e.endedAt?.toISOString() ?? null,
        steps: steps.filter((s) => s.enrollmentId === e._id).map(({ _id, workspaceId: _w, enrollmentId: _e, contactId: _c, journeyId: _j, version: _v, ...s }) => ({
          ...s, at: s.at.toISOString(), resumeAt: s.resumeAt?.toISOString(),
        })),
      })),
    };
  });
}
