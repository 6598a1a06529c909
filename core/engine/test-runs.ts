/**
 * Test runs: the marketer's draft, run for one test contact in dry-run mode (outbound nodes record instead of
 * sending). Same interpreter and activities as live runs; waits can be fast-forwarded with a signal.
 * The test contact lives in its own identity space (never the real contact of that handle), so a draft's scores,
 * tags and fields touch nobody real; `copyFrom` seeds it from a real contact, which is only read.
 */
import { randomUUID } from 'node:crypto';
import type { FromSchema } from 'json-schema-to-ts';
import type { ContactEvent } from '../../nodes/contract';
import { isTimeZone } from '../../nodes/formats';
import type { NodeRegistry } from '../../nodes/registry';
import { compileJourney } from '../../workflows/model/compile-journey';
import { hasErrors, validateJourney } from '../../workflows/model/validate-journey';
import { AppError, journeyInvalid } from '../errors';
import type { JourneyRunInput } from '../../workflows/model/journey-run';
import { normalizeIdentity, REAL_CONTACTS, resolveContact } from '../store/contacts';
import { storeEvent } from '../store/interactions';
import type { JourneyDoc } from '../store/documents';
import { insertEnrollment } from '../store/enrollments';
import { matchingTrigger, type EngineDeps } from './ingest';

/** Draft runs are recorded as version 0, apart from every published version's analytics. */
export const DRAFT_VERSION = 0;

export function isTestRun(enrollmentId: string): boolean {
  return enrollmentId.startsWith('test:');
}

/** The event of a test run, as the test-run form sends it. */
export const testRunEventSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', pattern: '^[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)+$', maxLength: 100 },
    text: { type: 'string', maxLength: 20_000 },
    data: { type: 'object' },
    threadId: { type: 'string', maxLength: 200 },
  },
  required: ['type'],
  additionalProperties: false,
} as const;

/** A test run: the test contact (seeded from a real one with `copyFrom`) and the event it starts on. */
export const testRunRequestSchema = {
  type: 'object',
  properties: {
    contact: {
      type: 'object',
      properties: {
        channel: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' },
        handle: { type: 'string', minLength: 1, maxLength: 256 },
        // Stored on the contact: its time zone is what wait-until and business hours use.
        profile: { type: 'object', properties: { timezone: { type: 'string', format: 'time-zone' } } },
        copyFrom: { type: 'string', minLength: 1, maxLength: 64, description: 'A real contact whose profile, tags, scores and consent seed the test contact; the real contact is only read' },
      },
      required: ['channel', 'handle'],
      additionalProperties: false,
    },
    event: testRunEventSchema,
  },
  required: ['contact', 'event'],
  additionalProperties: false,
} as const;

export type TestRunRequest = FromSchema<typeof testRunRequestSchema>;

/** The event a test run starts on (or is sent while it runs), from the test-run form. */
export function testRunEvent(contact: { channel: string; handle: string }, e: TestRunRequest['event']): ContactEvent {
  return { id: `test-${randomUUID()}`, type: e.type, channel: contact.channel, handle: contact.handle, text: e.text, data: e.data, threadId: e.threadId, occurredAt: new Date().toISOString() };
}

export async function startTestRun(d: EngineDeps, registry: NodeRegistry, journey: JourneyDoc, req: TestRunRequest) {
  const issues = validateJourney(journey.draft, registry);
  if (hasErrors(issues)) throw journeyInvalid(issues);
  const ws = journey.workspaceId;
  const compiled = compileJourney(journey.draft, registry, { workspaceId: ws, journeyId: journey._id, version: DRAFT_VERSION });
  const identity = normalizeIdentity(req.contact);
  const source = req.contact.copyFrom ? await d.store.contacts.findOne({ _id: req.contact.copyFrom, workspaceId: ws, ...REAL_CONTACTS }) : undefined;
  if (source === null) {
    throw new AppError('contact_not_found', { id: req.contact.copyFrom! }, { fields: [{ field: 'body/contact/copyFrom', message: 'not found', i18n: { en: 'not found', 'zh-CN': '不存在' } }] });
  }
  const { contact } = await resolveContact(d.store, ws, identity, new Date(), { test: true });
  const seeded = source ? { profile: { ...source.profile }, tags: [...source.tags], scores: { ...source.scores }, consent: { ...source.consent } } : {};
  const set: Record<string, unknown> = { ...seeded };
  for (const [k, v] of Object.entries(req.contact.profile ?? {})) {
    if (source) (set.profile as Record<string, unknown>)[k] = v; else set[`profile.${k}`] = v;
  }
  if (Object.keys(set).length) {
    await d.store.contacts.updateOne({ _id: contact._id, workspaceId: ws }, { $set: { ...set, updatedAt: new Date() } });
    Object.assign(contact, seeded);
    Object.assign(contact.profile, req.contact.profile ?? {});
  }
  const event = testRunEvent(identity, req.event);
  const triggerNodeId = matchingTrigger(compiled, event, contact, new Date());
  if (!triggerNodeId) throw new AppError('no_matching_trigger', { type: event.type, channel: event.channel });
  await storeEvent(d.store, ws, contact._id, event);
  const id = `test:${journey._id}:${randomUUID()}`;
  await insertEnrollment(d.store, {
    _id: id, workspaceId: ws, journeyId: journey._id, version: DRAFT_VERSION, contactId: contact._id, triggerEventId: event.id,
    entryKey: 'test', status: 'active', startedAt: new Date(),
  });
  const input: JourneyRunInput = {
    ref: { workspaceId: ws, journeyId: journey._id, version: DRAFT_VERSION, enrollmentId: id, contactId: contact._id },
    journey: compiled, triggerNodeId, trigger: event, dryRun: true,
    contactTimezone: isTimeZone(contact.profile.timezone) ? (contact.profile.timezone as string) : undefined,
  };
  await d.temporal.workflow.start('journeyRun', { workflowId: id, taskQueue: d.taskQueue, args: [input] });
  return { enrollmentId: id, contactId: contact._id };
}
