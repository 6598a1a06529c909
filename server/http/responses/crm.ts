/** Tickets, segments, experiments and broadcasts as the API answers them. */
import { anyJson, arrayOf, bool, date, int, nullableDate, nullableStr, num, object, str } from './shapes';
import { contactViewSchema } from './contacts';

export const ticketViewSchema = object({
  id: str, contactId: str, title: str, description: str, assignee: str,
  priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] }, status: { type: 'string', enum: ['open', 'responded', 'closed'] },
  slaMinutes: num, dueAt: date, createdAt: date, respondedAt: date, breachedAt: date, breached: bool, source: anyJson, erased: bool,
}, ['contactId', 'respondedAt', 'breachedAt', 'source', 'erased']);
export const ticketListResponse = object({ tickets: arrayOf(ticketViewSchema) });
export const slaCheckResponse = object({ breached: arrayOf(str) });

export const segmentListResponse = object({ segments: arrayOf(object({ name: str, members: int })), truncated: bool });
export const segmentMembersResponse = object({ contacts: arrayOf(contactViewSchema) });
export const segmentAddedResponse = object({ segment: str, contactId: str, result: { type: 'string', enum: ['added', 'member'] } });
export const segmentRemovedResponse = object({ removed: bool });

const armResult = object({ entered: int, converted: int, rate: num });
export const experimentListResponse = object({
  experiments: arrayOf(object({
    nodeId: str, arms: arrayOf(object({ id: str, weight: num })), startedAt: date, evaluationEndsAt: date,
    winner: nullableStr, decidedAt: nullableDate, results: { type: 'object', additionalProperties: armResult },
  })),
});
export const broadcastRunResponse = object({ fired: arrayOf(object({ journeyId: str, nodeId: str, fireAt: date, enrolled: int })) });
