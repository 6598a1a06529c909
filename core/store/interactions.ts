import type { ContactEvent } from '../../nodes/contract';
import type { Store } from './db';
import type { InteractionDoc } from './documents';
import { isDuplicateKey } from './errors';

/** Stores an inbound event on the contact's timeline; the event id makes it idempotent. */
/** The interaction an event is stored as; its `_id` names the event, so storing it twice is a duplicate. */
export function eventDoc(workspaceId: string, contactId: string, event: ContactEvent, now: Date, analysis?: InteractionDoc['analysis']): InteractionDoc {
  return {
    _id: `${workspaceId}|event|${event.id}`,
    workspaceId, contactId, kind: 'event', eventId: event.id, type: event.type, channel: event.channel, handle: event.handle,
    text: event.text, threadId: event.threadId, data: event.data, occurredAt: new Date(event.occurredAt), receivedAt: now, analysis,
  };
}

export async function storeEvent(s: Store, workspaceId: string, contactId: string, event: ContactEvent, now = new Date(), analysis?: InteractionDoc['analysis']): Promise<{ duplicate: boolean; doc: InteractionDoc }> {
  const doc = eventDoc(workspaceId, contactId, event, now, analysis);
  try {
    await s.interactions.insertOne(doc);
    return { duplicate: false, doc };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const existing = await s.interactions.findOne({ _id: doc._id });
    return { duplicate: true, doc: existing ?? doc };
  }
}

/**
 * The contact's timeline, newest first: what came in (events), what the workspace did (consent, segments), and the
 * changes journeys made, which live on the steps that made them (one write fewer per run).
 */
export async function timeline(s: Store, workspaceId: string, contactId: string, opts: { limit: number; before?: Date }): Promise<InteractionDoc[]> {
  const before = opts.before ? { $lt: opts.before } : undefined;
  const [entries, steps] = await Promise.all([
    s.interactions.find({ workspaceId, contactId, ...(before ? { occurredAt: before } : {}) }).sort({ occurredAt: -1 }).limit(opts.limit).toArray(),
    s.steps.find(
      { workspaceId, contactId, effects: { $exists: true }, ...(before ? { at: before } : {}) },
      { projection: { effects: 1, at: 1, journeyId: 1, version: 1, nodeId: 1, enrollmentId: 1 } },
    ).sort({ at: -1 }).limit(opts.limit).toArray(),
  ]);
  const changes = steps.flatMap((st) => (st.effects ?? []).map((e): InteractionDoc => ({
    _id: `${workspaceId}|effect|${e.key}`, workspaceId, contactId, kind: e.kind, type: e.type, data: e.data, occurredAt: st.at, receivedAt: st.at,
    source: { journeyId: st.journeyId, version: st.version, nodeId: st.nodeId, enrollmentId: st.enrollmentId },
  })));
  return [...entries, ...changes].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime()).slice(0, opts.limit);
}

/** A timeline entry as the API shows it: its event id (or entry id), without the workspace. */
export function interactionView(d: InteractionDoc) {
  const { _id, workspaceId: _ws, ...rest } = d;
  return { ...rest, id: d.eventId ?? _id, occurredAt: d.occurredAt.toISOString(), receivedAt: d.receivedAt.toISOString() };
}
