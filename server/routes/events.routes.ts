import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { ingestMany, type IngestResult } from '../../core/engine/ingest';
import { badRequest } from '../../core/errors';
import { principalKey } from '../http/rate-limits';
import { errorResponse } from './schemas';
import { ingestResponse } from '../http/responses/channels';
import { contactEventSchema, eventBatchSchema } from '../../nodes/event-schema';
import { eventsOfBody } from '../../core/engine/event-body';

/** Ingestion's rate limit counts per caller (a user or a token of a workspace), however its credential is spelled. */
export async function eventRoutes(app: FastifyInstance, { deps, rateLimit }: { deps: AppDeps; rateLimit: number }) {
  const api = typed(app);
  const engine = { store: deps.store, temporal: deps.temporal, taskQueue: deps.taskQueue };

  api.post('/api/v1/events', {
    schema: {
      tags: ['events'],
      summary: 'Ingest one contact event, or a batch as {"events": [...]}; answers which journeys enrolled and which waiting runs were signalled',
      body: { oneOf: [contactEventSchema, eventBatchSchema] },
      response: { 200: ingestResponse, 400: errorResponse, 503: errorResponse },
    },
    // Each event of a batch is its own stored document (core/storable.ts), checked before validation.
    config: { rateLimit: { max: rateLimit, timeWindow: '1 minute', keyGenerator: principalKey }, storable: 'events' },
    // The body is checked below with a precise message per field (oneOf errors would be unreadable).
    validatorCompiler: () => (data) => ({ value: data }),
  }, async (req) => {
    const { batch, events } = eventsOfBody(req.body);
    const ids = new Set<string>();
    events.forEach((e, i) => {
      if (ids.has(e.id)) throw badRequest([{ path: `/events/${i}/id`, message: `repeats event id "${e.id}" of the same batch` }]);
      ids.add(e.id);
    });
    // Validated whole before anything is written: a bad batch leaves nothing behind. Events of one contact are
    // processed in order (contacts side by side); ingestion is idempotent, so a client may retry a failed batch.
    const results: IngestResult[] = await ingestMany(engine, req.workspaceId, events);
    return batch ? { results } : results[0];
  });
}
