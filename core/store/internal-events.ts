/**
 * Engine-made contact events (contact.created, contact.updated, tag.added, score.changed, segment.entered,
 * ticket.sla_breached, broadcast.due, crisis.detected) go through the same ingestion path as social events, so
 * journeys start on them exactly the same way. Ids are deterministic (derived from the effect key, the ticket,
 * the window…): ingesting twice stores and enrolls once. None is made when no live journey listens.
 * The store only builds them: the caller hands the returned list to ingestion (core/engine/ingest.ts ingestAll),
 * so nothing here calls back into the engine.
 */
import type { ContactEvent, Effect } from '../../nodes/contract';
import type { Store } from './db';
import type { ContactDoc } from './documents';
import { liveJourneys } from './journeys';

/** Whether a live journey listens to `type` (from the per-process live-journey cache; most events have no listener). */
export async function someoneListens(s: Store, workspaceId: string, type: string): Promise<boolean> {
  return (await liveJourneys(s, workspaceId)).some((j) => j.liveTriggerTypes.includes(type));
}

/** The event to ingest for a change of the contact, or undefined when no live journey listens to its type. */
export async function followUpEvent(
  s: Store, contact: Pick<ContactDoc, 'workspaceId' | 'identities' | 'test'>, type: string, id: string, data: Record<string, unknown>, now = new Date(),
): Promise<ContactEvent | undefined> {
  // Ingestion resolves by channel handle, which would reach the real contact of that handle: a test contact's
  // follow-ups stay inside its test run.
  if (contact.test) return undefined;
  if (!(await someoneListens(s, contact.workspaceId, type))) return undefined;
  const identity = contact.identities[0];
  if (!identity) return undefined;
  return { id, type, channel: identity.channel, handle: identity.handle, data, occurredAt: now.toISOString() };
}

export interface FollowUpEvent { type: string; id: string; data: Record<string, unknown> }

/**
 * The events applied effects give rise to (pure: the caller ingests them): every score change (the
 * score-threshold trigger decides whether it crossed), newly added tags, newly entered segments, changed profile
 * fields. `before` and `after` are the contact around the update; ids derive from the effect keys.
 */
export function effectEvents(before: Pick<ContactDoc, 'tags' | 'segments'>, after: Pick<ContactDoc, 'scores'>, effects: { effect: Effect; key: string }[]): FollowUpEvent[] {
  const out: FollowUpEvent[] = [];
  const delta: Record<string, number> = {};
  for (const { effect: e } of effects) if (e.kind === 'score') delta[e.name] = (delta[e.name] ?? 0) + e.delta;
  const seen = { tags: new Set(before.tags), segments: new Set(before.segments ?? []) };
  let scoreSoFar: Record<string, number> = {};
  for (const { effect: e, key } of effects) {
    const base = `internal:${key}`;
    switch (e.kind) {
      case 'score': {
        // Several score effects in one stretch: each event sees the value as it was at that point.
        const final = after.scores[e.name] ?? 0;
        const beforeAll = final - delta[e.name];
        const from = beforeAll + (scoreSoFar[e.name] ?? 0);
        scoreSoFar = { ...scoreSoFar, [e.name]: (scoreSoFar[e.name] ?? 0) + e.delta };
        out.push({ type: 'score.changed', id: base, data: { score: e.name, delta: e.delta, reason: e.reason, before: from, after: from + e.delta } });
        break;
      }
      case 'contact.tags':
        for (const tag of e.add ?? []) if (!seen.tags.has(tag)) { seen.tags.add(tag); out.push({ type: 'tag.added', id: `${base}:tag:${tag}`, data: { tag } }); }
        for (const tag of e.remove ?? []) seen.tags.delete(tag);
        break;
      case 'segments':
        for (const segment of e.add ?? []) if (!seen.segments.has(segment)) { seen.segments.add(segment); out.push({ type: 'segment.entered', id: `${base}:segment:${segment}`, data: { segment } }); }
        for (const segment of e.remove ?? []) seen.segments.delete(segment);
        break;
      case 'contact.set': {
        const fields = Object.keys(e.fields).filter((f) => f !== 'scoreUpdatedAt');
        if (fields.length) out.push({ type: 'contact.updated', id: base, data: { fields, set: Object.fromEntries(fields.map((f) => [f, e.fields[f]])) } });
        break;
      }
    }
  }
  return out;
}

/** The follow-up events a live journey listens to, to ingest in this order. */
export async function followUpEvents(s: Store, contact: Pick<ContactDoc, 'workspaceId' | 'identities' | 'test'>, events: FollowUpEvent[]): Promise<ContactEvent[]> {
  const out: ContactEvent[] = [];
  for (const e of events) {
    const event = await followUpEvent(s, contact, e.type, e.id, e.data);
    if (event) out.push(event);
  }
  return out;
}

/** The follow-up events of effects applied one by one (one node's effects, keyed `${key}:e${i}`). */
export async function effectFollowUps(s: Store, before: ContactDoc, effects: Effect[], key: string): Promise<ContactEvent[]> {
  if (!effects.length) return [];
  const after = await s.contacts.findOne({ _id: before._id, workspaceId: before.workspaceId });
  if (!after) return [];
  return followUpEvents(s, after, effectEvents(before, after, effects.map((effect, i) => ({ effect, key: `${key}:e${i}` }))));
}
