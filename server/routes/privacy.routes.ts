import type { FastifyInstance } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { actorOf, audit } from '../auth/auth';
import { notFound } from '../../core/errors';
import { contactView } from '../../core/store/contacts';
import { interactionView } from '../../core/store/interactions';
import { tickets } from '../../core/store/tickets';
import { errorResponse, idParams } from './schemas';
import { consentSetResponse, contactErasedResponse, contactExportResponse } from '../http/responses/contacts';

/** Dates as ISO strings, recursively (export documents are plain JSON). */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}
/** A stored document as plain JSON (dates as ISO strings). */
const plainDoc = (doc: object): Record<string, unknown> => Object.fromEntries(Object.entries(doc).map(([k, x]) => [k, plain(x)]));

export async function privacyRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const { store } = deps;
  const load = async (ws: string, id: string) => (await store.contacts.findOne({ _id: id, workspaceId: ws })) ?? Promise.reject(notFound('contact'));

  api.get('/api/v1/contacts/:id/export', {
    config: { permission: 'privacy' },
    schema: { tags: ['privacy'], summary: 'Everything stored about one contact, as JSON (data access request)', params: idParams, response: { 200: contactExportResponse, 404: errorResponse } },
  }, async (req, reply) => {
    const c = await load(req.workspaceId, req.params.id);
    const ws = req.workspaceId;
    const [identities, interactions, enrollments, steps, outbox] = await Promise.all([
      store.identities.find({ workspaceId: ws, contactId: c._id }).toArray(),
      store.interactions.find({ workspaceId: ws, contactId: c._id }).sort({ occurredAt: 1 }).toArray(),
      store.enrollments.find({ workspaceId: ws, contactId: c._id }).sort({ startedAt: 1 }).toArray(),
      store.steps.find({ workspaceId: ws, contactId: c._id }).sort({ at: 1 }).toArray(),
      store.outbox.find({ workspaceId: ws, contactId: c._id }).sort({ createdAt: 1 }).toArray(),
    ]);
    await audit(deps, req, 'contact.exported', { kind: 'contact', id: c._id });
    reply.header('content-disposition', `attachment; filename="contact-${c._id}.json"`);
    return {
      exportedAt: new Date().toISOString(), workspaceId: ws,
      contact: contactView(c),
      identities: identities.map(({ _id, workspaceId: _w, ...i }) => plainDoc(i)),
      interactions: interactions.map(interactionView),
      enrollments: enrollments.map(({ workspaceId: _w, ...e }) => plainDoc(e)),
      steps: steps.map(({ workspaceId: _w, ...s }) => plainDoc(s)),
      outbox: outbox.map(({ workspaceId: _w, ...o }) => plainDoc(o)),
    };
  });

  api.post('/api/v1/contacts/:id/erase', {
    config: { permission: 'privacy' },
    schema: {
      tags: ['privacy'], summary: "Erase a contact's personal data: running journeys stop, PII leaves the contact, its timeline, its steps and the send ledger",
      params: idParams,
      body: { type: 'object', properties: { reason: { type: 'string', maxLength: 500 } }, additionalProperties: false },
      response: { 200: contactErasedResponse, 404: errorResponse },
    },
  }, async (req) => {
    const c = await load(req.workspaceId, req.params.id);
    const ws = req.workspaceId;
    const now = new Date();
    // 1. Stop running journeys first, so no activity writes PII back after the scrub.
    const active = await store.enrollments.find({ workspaceId: ws, contactId: c._id, status: 'active' }).toArray();
    const stopped: string[] = [];
    for (const e of active) {
      try {
        await deps.temporal.workflow.getHandle(e._id).terminate('contact erased (privacy request)');
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) && !/not found|already completed/i.test(String((err as Error).message))) throw err;
      }
      await store.enrollments.updateOne({ _id: e._id, workspaceId: ws, status: 'active' }, { $set: { status: 'exited', outcome: 'erased', endedAt: now } });
      stopped.push(e._id);
    }
    // 2. Scrub. Identities go (a new message from the same handle makes a new contact); counts and ids stay for stats.
    await store.identities.deleteMany({ workspaceId: ws, contactId: c._id });
    await store.contacts.updateOne({ _id: c._id, workspaceId: ws }, {
      $set: { identities: [], profile: {}, tags: [], scores: {}, consent: {}, segments: [], appliedEffects: [], updatedAt: now, erasedAt: now },
    });
    const interactions = await store.interactions.updateMany(
      { workspaceId: ws, contactId: c._id },
      { $unset: { text: '', handle: '', data: '', threadId: '' }, $set: { erased: true } },
    );
    // A step's effects can hold profile values (contact.set): they go with its evaluated values and output.
    const steps = await store.steps.updateMany({ workspaceId: ws, contactId: c._id }, { $unset: { evaluated: '', output: '', effects: '' }, $set: { erased: true } });
    const outbox = await store.outbox.updateMany({ workspaceId: ws, contactId: c._id }, { $set: { request: { erased: true }, result: { erased: true } } });
    // Tickets keep their status and times (response-time statistics), not the text that named the person.
    const ticketsScrubbed = await tickets(store).updateMany(
      { workspaceId: ws, contactId: c._id },
      { $set: { title: '[erased]', description: '', source: { erased: true }, erased: true } },
    );
    // A crisis alert quotes the mention that tipped it over: drop the quote when it was this contact's.
    const handles = c.identities.map((i) => i.handle);
    if (handles.length) {
      await store.interactions.updateMany(
        { workspaceId: ws, type: 'crisis.detected', 'data.lastMention.handle': { $in: handles } },
        { $unset: { text: '', 'data.lastMention': '' } },
      );
    }
    await audit(deps, req, 'contact.erased', { kind: 'contact', id: c._id }, { reason: req.body?.reason ?? null, stoppedEnrollments: stopped.length });
    return {
      contactId: c._id, erasedAt: now.toISOString(), stoppedEnrollments: stopped,
      scrubbed: { interactions: interactions.modifiedCount, steps: steps.modifiedCount, outbox: outbox.modifiedCount, tickets: ticketsScrubbed.modifiedCount }, by: actorOf(req).name,
    };
  });

  api.put('/api/v1/contacts/:id/consent/:channel', {
    config: { permission: 'contacts.write' },
    schema: {
      tags: ['privacy'], summary: "Set the contact's consent on a channel; recorded with source and time on the contact and its timeline",
      params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 }, channel: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } }, required: ['id', 'channel'] },
      body: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['opted_in', 'opted_out'] },
          source: { type: 'string', minLength: 1, maxLength: 200, description: 'Where the consent came from, e.g. "web-form", "unsubscribe-link", "agent:lily"' },
          note: { type: 'string', maxLength: 500 },
        },
        required: ['status', 'source'],
        additionalProperties: false,
      },
      response: { 200: consentSetResponse, 400: errorResponse, 404: errorResponse },
    },
  }, async (req) => {
    const c = await load(req.workspaceId, req.params.id);
    const now = new Date();
    const { channel } = req.params;
    const record = { status: req.body.status, at: now, source: req.body.source };
    await store.contacts.updateOne({ _id: c._id, workspaceId: req.workspaceId }, { $set: { [`consent.${channel}`]: record, updatedAt: now } });
    const actor = actorOf(req);
    await store.interactions.insertOne({
      _id: `${req.workspaceId}|consent|${c._id}|${channel}|${now.getTime()}|${Math.random().toString(36).slice(2, 8)}`,
      workspaceId: req.workspaceId, contactId: c._id, kind: 'update', type: 'consent.changed', channel,
      data: { channel, status: req.body.status, previous: c.consent?.[channel]?.status ?? null, source: req.body.source, note: req.body.note, by: { kind: actor.kind, name: actor.name } },
      occurredAt: now, receivedAt: now,
    });
    return { contactId: c._id, channel, status: record.status, source: record.source, at: now.toISOString() };
  });
}
