import type { FastifyInstance } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import { contactEventSignal, fastForwardSignal } from '../../workflows/model/journey-run';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { isTestRun, startTestRun, testRunEvent, testRunEventSchema, testRunRequestSchema } from '../../core/engine/test-runs';
import { AppError, notFound } from '../../core/errors';
import { storeEvent } from '../../core/store/interactions';
import { getJourney } from '../../core/store/journeys';
import { stepsOf } from '../../core/store/enrollments';
import { errorResponse, idParams } from './schemas';
import { acceptedResponse, enrollmentViewSchema, testRunStartedResponse } from '../http/responses/contacts';

/** A run's view lists at most this many of the events it saw (a live run of a chatty contact sees many). */
const RUN_EVENTS_SHOWN = 50;

export async function enrollmentRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const { store } = deps;
  const engine = { store, temporal: deps.temporal, taskQueue: deps.taskQueue };
  const load = async (ws: string, id: string) => (await store.enrollments.findOne({ _id: id, workspaceId: ws })) ?? Promise.reject(notFound('enrollment'));
  const loadTestRun = async (ws: string, id: string) => {
    const e = await load(ws, id);
    if (!isTestRun(e._id)) throw new AppError('not_a_test_run');
    if (e.status !== 'active') throw new AppError('run_ended', {}, { status: e.status });
    return e;
  };
  const signal = async (id: string, fn: (h: ReturnType<typeof deps.temporal.workflow.getHandle>) => Promise<void>) => {
    try {
      await fn(deps.temporal.workflow.getHandle(id));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new AppError('run_ended');
      throw err;
    }
  };

  /**
   * The events a run saw, oldest first: its trigger, then the contact's events while it ran (the step inspector's
   * input: a wait for an event hands the one received to the nodes after it).
   */
  const runEvents = (ws: string, e: { contactId: string; triggerEventId: string; startedAt: Date; endedAt?: Date }) => store.interactions.find({
    workspaceId: ws, contactId: e.contactId, kind: 'event',
    $or: [{ eventId: e.triggerEventId }, { occurredAt: { $gte: e.startedAt, ...(e.endedAt ? { $lte: e.endedAt } : {}) } }],
  }).sort({ occurredAt: 1 }).limit(RUN_EVENTS_SHOWN).toArray();

  api.post('/api/v1/journeys/:id/test-runs', {
    schema: {
      tags: ['test runs'], summary: 'Run the current draft for a test contact in dry-run mode (outbound nodes record instead of sending)',
      params: idParams, body: testRunRequestSchema, response: { 201: testRunStartedResponse, 404: errorResponse, 422: errorResponse },
    },
  }, async (req, reply) => {
    const journey = await getJourney(store, req.workspaceId, req.params.id);
    if (!journey) throw notFound('journey');
    return reply.status(201).send(await startTestRun(engine, deps.registry, journey, req.body));
  });

  api.get('/api/v1/enrollments/:id', {
    schema: { tags: ['test runs'], summary: 'One run with its steps', params: idParams, response: { 200: enrollmentViewSchema, 404: errorResponse } },
  }, async (req) => {
    const e = await load(req.workspaceId, req.params.id);
    const [steps, events] = await Promise.all([stepsOf(store, req.workspaceId, [e._id]), runEvents(req.workspaceId, e)]);
    const waiting = e.status === 'active' ? steps.findLast((s) => s.outcome === 'waiting') : undefined;
    return {
      id: e._id, journeyId: e.journeyId, version: e.version, contactId: e.contactId, status: e.status, outcome: e.outcome ?? null,
      // The node of the latest step: derived on read, so recording a step stays a single write.
      currentNodeId: steps.at(-1)?.nodeId ?? null, waitingUntil: waiting?.resumeAt?.toISOString() ?? null, test: isTestRun(e._id),
      startedAt: e.startedAt.toISOString(), endedAt: e.endedAt?.toISOString() ?? null,
      events: events.map(({ _id, eventId, type, channel, handle, text, threadId, data, occurredAt }) => ({
        id: eventId ?? _id, type, channel, handle, text, threadId, data, occurredAt: occurredAt.toISOString(), trigger: eventId === e.triggerEventId,
      })),
      steps: steps.map(({ _id, workspaceId: _w, enrollmentId: _e, contactId: _c, journeyId: _j, version: _v, ...s }) => ({
        ...s, at: s.at.toISOString(), resumeAt: s.resumeAt?.toISOString() ?? null,
      })),
    };
  });

  api.post('/api/v1/enrollments/:id/fast-forward', {
    schema: { tags: ['test runs'], summary: "End a test run's current wait now (the simulated clock)", params: idParams, response: { 202: acceptedResponse, 404: errorResponse, 409: errorResponse } },
  }, async (req, reply) => {
    const e = await loadTestRun(req.workspaceId, req.params.id);
    await signal(e._id, (h) => h.signal(fastForwardSignal));
    return reply.status(202).send({ accepted: true });
  });

  api.post('/api/v1/enrollments/:id/events', {
    schema: { tags: ['test runs'], summary: 'Deliver an event to a test run (e.g. a reply during wait-for-event)', params: idParams, body: testRunEventSchema, response: { 202: acceptedResponse, 404: errorResponse, 409: errorResponse } },
  }, async (req, reply) => {
    const e = await loadTestRun(req.workspaceId, req.params.id);
    const contact = await store.contacts.findOne({ _id: e.contactId, workspaceId: req.workspaceId });
    const identity = contact?.identities[0] ?? { channel: 'test', handle: e.contactId };
    const event = testRunEvent(identity, req.body);
    // Stored like the trigger event, so the run's view can show which event its later steps saw.
    await storeEvent(store, req.workspaceId, e.contactId, event);
    await signal(e._id, (h) => h.signal(contactEventSignal, event));
    return reply.status(202).send({ accepted: true, eventId: event.id });
  });
}
