/**
 * Social-CRM resources the node library works with: tickets (SLA), consent / unsubscribe, static segments,
 * experiment results, and the two scheduled jobs (broadcasts, SLA checks) runnable on demand.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { ingestAll } from '../../core/engine/ingest';
import { notFound } from '../../core/errors';
import { runDueBroadcasts } from '../../core/engine/broadcasts';
import { listExperiments } from '../../core/store/experiments';
import { addToSegment, listSegments, removeFromSegment, segmentMembers } from '../../core/store/segments';
import { listTickets, respondToTicket, ticketView } from '../../core/store/tickets';
import { checkSlaBreaches } from '../../core/engine/sla-breaches';
import { contactView } from '../../core/store/contacts';
import { errorResponse, idParams } from './schemas';
import { broadcastRunResponse, experimentListResponse, segmentAddedResponse, segmentListResponse, segmentMembersResponse, segmentRemovedResponse, slaCheckResponse, ticketListResponse, ticketViewSchema } from '../http/responses/crm';

const segmentParams = {
  type: 'object',
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_\\-\\p{L}]{1,64}$' }, contactId: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['name'],
} as const;

export async function crmRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const engine = { store: deps.store, temporal: deps.temporal, taskQueue: deps.taskQueue };

  api.get('/api/v1/tickets', {
    schema: {
      tags: ['tickets'], summary: 'Tickets created by journeys, newest first',
      querystring: { type: 'object', properties: { status: { type: 'string', enum: ['open', 'responded', 'closed'] }, contactId: { type: 'string', maxLength: 200 } }, additionalProperties: false },
      response: { 200: ticketListResponse, 400: errorResponse },
    },
  }, async (req) => ({ tickets: (await listTickets(deps.store, req.workspaceId, req.query)).map(ticketView) }));

  api.post('/api/v1/tickets/:id/status', {
    schema: {
      tags: ['tickets'], summary: 'An agent responded (stops the SLA clock) or closed the ticket', params: idParams,
      body: { type: 'object', properties: { status: { type: 'string', enum: ['responded', 'closed'] } }, required: ['status'], additionalProperties: false },
      response: { 200: ticketViewSchema, 400: errorResponse, 404: errorResponse },
    },
  }, async (req) => {
    const t = await respondToTicket(deps.store, req.workspaceId, req.params.id, req.body.status);
    if (!t) throw notFound('ticket', req.params.id);
    return ticketView(t);
  });

  api.post('/api/v1/tickets/check-sla', {
    schema: { tags: ['tickets'], summary: 'Emit ticket.sla_breached for open tickets past their SLA now (the watcher does it every 30 s)', response: { 200: slaCheckResponse } },
  }, async (req) => ({ breached: await checkSlaBreaches(engine, new Date(), req.workspaceId) }));

  api.get('/api/v1/segments', {
    config: { permission: 'read' },
    schema: {
      tags: ['segments'], summary: 'The workspace\'s static segments with member counts, by name (counts are partial when `truncated`)',
      response: { 200: segmentListResponse },
    },
  }, async (req) => listSegments(deps.store, req.workspaceId));

  api.get('/api/v1/segments/:name/contacts', {
    schema: { tags: ['segments'], summary: 'Members of a static segment (first 500)', params: segmentParams, response: { 200: segmentMembersResponse, 400: errorResponse } },
  }, async (req) => ({ contacts: (await segmentMembers(deps.store, req.workspaceId, req.params.name)).map(contactView) }));

  api.put('/api/v1/segments/:name/contacts/:contactId', {
    schema: { tags: ['segments'], summary: 'Add a contact to a segment (emits segment.entered)', params: { ...segmentParams, required: ['name', 'contactId'] }, response: { 200: segmentAddedResponse, 400: errorResponse, 404: errorResponse } },
  }, async (req) => {
    const { outcome, followUps } = await addToSegment(deps.store, req.workspaceId, req.params.contactId, req.params.name);
    if (outcome === 'missing') throw notFound('contact', req.params.contactId);
    await ingestAll(engine, req.workspaceId, followUps);
    return { segment: req.params.name, contactId: req.params.contactId, result: outcome };
  });

  api.delete('/api/v1/segments/:name/contacts/:contactId', {
    schema: { tags: ['segments'], summary: 'Remove a contact from a segment', params: { ...segmentParams, required: ['name', 'contactId'] }, response: { 200: segmentRemovedResponse, 400: errorResponse } },
  }, async (req) => ({ removed: await removeFromSegment(deps.store, req.workspaceId, req.params.contactId, req.params.name) }));

  api.get('/api/v1/journeys/:id/experiments', {
    schema: { tags: ['journeys'], summary: 'Experiment paths of a journey: entries and conversions per path, and the recorded winner', params: idParams, response: { 200: experimentListResponse } },
  }, async (req) => ({ experiments: await listExperiments(deps.store, req.workspaceId, req.params.id) }));

  api.post('/api/v1/broadcasts/run', {
    schema: { tags: ['journeys'], summary: 'Enroll the segments of scheduled broadcasts that are due now (the scheduler does it every 30 s)', response: { 200: broadcastRunResponse } },
  }, async (req) => ({ fired: await runDueBroadcasts(engine, new Date(), req.workspaceId) }));
}
