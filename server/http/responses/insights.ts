/** What the editor shows behind a journey's numbers: the contacts at a node, and a draft's audience before publish. */
import { arrayOf, bool, date, int, nullableDate, nullableInt, nullableStr, object, str, strings, type View } from './shapes';

/** One step behind a count: who (identity and name, absent once erased), which run, when and how it left. */
export const nodeContactSchema = object({
  contactId: str, enrollmentId: str, identity: nullableStr, name: nullableStr, erased: bool, test: bool, at: date,
  outcome: { type: 'string', enum: ['waiting', 'done', 'error', 'exited'] }, port: nullableStr,
});
export type NodeContactView = View<typeof nodeContactSchema>;

export const nodeContactsResponse = object({
  journeyId: str, version: int, nodeId: str, state: { type: 'string', enum: ['entered', 'waiting', 'port'] }, port: nullableStr,
  contacts: arrayOf(nodeContactSchema),
  next: { ...nullableDate, description: 'Pass as `before` for the next page; null on the last page' },
});
export type NodeContactsView = View<typeof nodeContactsResponse>;

export const triggerAudienceSchema = object({
  nodeId: str, nodeType: str,
  basis: { type: 'string', enum: ['segment', 'events', 'none'], description: 'segment: members of the segments; events: distinct contacts that sent a matching event in the window; none: nothing to count from' },
  segments: strings, eventTypes: strings,
  count: { ...nullableInt, description: 'null when there is nothing to count from (no segment chosen, no event type)' },
  capped: { ...bool, description: 'The count reached the sample bound: at least this many' },
});
export type TriggerAudienceView = View<typeof triggerAudienceSchema>;

export const audienceResponse = object({
  journeyId: str, windowDays: int, sampleLimit: int, estimatedAt: date, triggers: arrayOf(triggerAudienceSchema),
});
export type AudienceView = View<typeof audienceResponse>;
