import type { ContactEvent } from '../../nodes/contract';
import type { Store } from './db';
import type { InteractionDoc } from './documents';
import { isDuplicateKey } from './errors';

/** Stores an inbound event on the contact's timeline; the event id makes it idempotent. */
export async function storeEvent(s: Store, workspaceId: string, contactId: string, event: ContactEvent, now = new Date(), analysis?: InteractionDoc['analysis']): Promise<{ duplicate: boolean; doc: InteractionDoc }> {
  const doc: InteractionDoc = {
    _id: `${workspaceId}|event|${event.id}`,
    workspaceId, contactId, kind: 'event', eventId: event.id, type: event.type, channel: event.channel, handle: event.handle,
    text: event.text, threadId: event.threadId, data: event.data, occurredAt: new Date(event.occurredAt), receivedAt: now, analysis,
  };
  try {
    await s.interactions.insertOne(doc);
    return { duplicate: false, doc };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const existing = await s.interactions.findOne({ _id: doc._id });
    return { duplicate: true, doc: existing ?? doc };
  }
}

export async function timeline(s: Store, workspaceId: string, contactId: string, opts: { limit: number; before?: Date }) {
  const filter: Record<string, unknown> = { workspaceId, contactId };
  if (opts.before) filter.occurredAt = { $lt: opts.before };
  return s.interactions.find(filter).sort({ occurredAt: -1 }).limit(opts.limit).toArray();
}

export function interactionView(d: InteractionDoc) {
  const { _id, workspaceId: _ws, ...rest } = d;
  return { id: d.eventId ?? _id, ...rest, occurredAt: d.occurredAt.toISOString(), receivedAt: d.receivedAt.toISOString() };
}
