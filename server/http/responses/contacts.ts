/** Contacts, their timelines and their runs (enrollments with steps) as the API answers them. */
import { anyJson, anyValue, arrayOf, bool, date, int, nullableDate, nullableStr, numberMap, object, str, strings, type View } from './shapes';

export const identitySchema = object({ channel: str, handle: str });
export const consentRecordSchema = object({ status: { type: 'string', enum: ['opted_in', 'opted_out'] }, at: date, source: str }, ['source']);

export const contactViewSchema = object({
  id: str, identities: arrayOf(identitySchema), profile: anyJson, tags: strings, scores: numberMap,
  consent: { type: 'object', additionalProperties: consentRecordSchema }, segments: strings, test: bool, erasedAt: date, createdAt: date, updatedAt: date,
}, ['segments', 'test', 'erasedAt']);
export type ContactView = View<typeof contactViewSchema>;
export const contactListResponse = object({ contacts: arrayOf(contactViewSchema) });

/** One entry of a contact's timeline: an event it sent, or a change a journey, an agent or the platform made. */
export const timelineItemSchema = object({
  id: str, contactId: str, kind: { type: 'string', enum: ['event', 'score', 'update', 'message'] }, eventId: str, type: str,
  channel: str, handle: str, text: str, threadId: str, data: anyJson, occurredAt: date, receivedAt: date,
  analysis: object({ language: str, sentiment: object({ label: str, score: { type: 'number' }, hits: strings }), keywords: strings }),
  source: object({ journeyId: str, version: int, nodeId: str, enrollmentId: str }), erased: bool,
}, ['eventId', 'channel', 'handle', 'text', 'threadId', 'data', 'analysis', 'source', 'erased']);
export const timelineResponse = object({ items: arrayOf(timelineItemSchema) });

export const stepEffectSchema = object({ key: str, kind: { type: 'string', enum: ['score', 'update'] }, type: str, data: anyJson });
/** One step of a run: the node, how it ended (the port), what it evaluated and produced, the contact changes it made. */
export const stepViewSchema = object({
  seq: int, nodeId: str, nodeType: str, outcome: { type: 'string', enum: ['waiting', 'done', 'error', 'exited'] }, port: str, at: date,
  resumeAt: nullableDate, evaluated: anyValue, output: anyJson, error: object({ code: str, message: str }), effects: arrayOf(stepEffectSchema), erased: bool,
}, ['port', 'resumeAt', 'evaluated', 'output', 'error', 'effects', 'erased']);
export type StepView = View<typeof stepViewSchema>;

const enrollmentStatus = { type: 'string', enum: ['active', 'completed', 'converted', 'exited', 'failed'] } as const;
export const contactRunSchema = object({
  id: str, journeyId: str, version: int, status: enrollmentStatus, outcome: nullableStr, currentNodeId: nullableStr,
  triggerEventId: str, startedAt: date, endedAt: nullableDate, steps: arrayOf(stepViewSchema),
});
export const contactRunsResponse = object({ enrollments: arrayOf(contactRunSchema) });

/** An event a run saw: its trigger, or one that came while it ran. */
export const runEventSchema = object({
  id: str, type: str, channel: str, handle: str, text: str, threadId: str, data: anyJson, occurredAt: date, trigger: bool,
}, ['channel', 'handle', 'text', 'threadId', 'data']);
export type RunEventView = View<typeof runEventSchema>;
export const enrollmentViewSchema = object({
  id: str, journeyId: str, version: int, contactId: str, status: enrollmentStatus, outcome: nullableStr, currentNodeId: nullableStr,
  waitingUntil: nullableDate, test: bool, startedAt: date, endedAt: nullableDate, events: arrayOf(runEventSchema), steps: arrayOf(stepViewSchema),
});
export type EnrollmentView = View<typeof enrollmentViewSchema>;
export const testRunStartedResponse = object({ enrollmentId: str, contactId: str });
export const acceptedResponse = object({ accepted: bool, eventId: str }, ['eventId']);

/** A data access request's answer: the contact and every record that names it, as stored (minus the workspace). */
export const contactExportResponse = object({
  exportedAt: date, workspaceId: str, contact: contactViewSchema,
  identities: arrayOf(anyJson), interactions: arrayOf(anyJson), enrollments: arrayOf(anyJson), steps: arrayOf(anyJson), outbox: arrayOf(anyJson),
});
export const contactErasedResponse = object({
  contactId: str, erasedAt: date, stoppedEnrollments: strings,
  scrubbed: object({ interactions: int, steps: int, outbox: int, tickets: int }), by: str,
});
export const consentSetResponse = object({ contactId: str, channel: str, status: consentRecordSchema.properties.status, source: str, at: date });
