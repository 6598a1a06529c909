/**
 * The body of an event delivery — one event, or `{"events": [...]}` — validated against the event schema with a
 * 400 naming each field (a oneOf over both shapes would report both branches' errors), and its events in order.
 * The same for POST /api/v1/events and the signed webhooks of generic channels.
 */
import { createAjv, toFieldErrors } from '../../nodes/ajv';
import type { ContactEvent } from '../../nodes/contract';
import { contactEventSchema, eventBatchSchema } from '../../nodes/event-schema';
import { badRequest } from '../errors';

const ajv = createAjv();
const validateOne = ajv.compile<ContactEvent>(contactEventSchema);
const validateBatch = ajv.compile<{ events: ContactEvent[] }>(eventBatchSchema);

/** A body that is an object with `events` is a batch; anything else must be one event. */
export function isEventBatch(body: unknown): body is { events: unknown } {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && 'events' in body;
}

export function eventsOfBody(body: unknown): { batch: boolean; events: ContactEvent[] } {
  if (isEventBatch(body)) {
    if (!validateBatch(body)) throw badRequest(toFieldErrors(validateBatch.errors));
    return { batch: true, events: body.events };
  }
  if (!validateOne(body)) throw badRequest(toFieldErrors(validateOne.errors));
  return { batch: false, events: [body] };
}
