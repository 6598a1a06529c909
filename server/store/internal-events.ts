/**
 * Engine-made contact events (contact.created, contact.updated, tag.added, score.changed, segment.entered,
 * ticket.sla_breached, broadcast.due, crisis.detected) go through the same ingestion path as social events, so
 * journeys start on them exactly the same way. Ids are deterministic (derived from the effect key, the ticket,
 * the window…): emitting twice stores and enrolls once. Nothing is emitted when no live journey listens.
 */
import type { Effect } from '../../nodes/contract';
import type { EngineDeps, IngestResult } from '../engine/ingest';
import type { Store } from './db';
import type { ContactDoc } from './documents';
import { liveJourneys } from './journeys';

export type Ingest = (d: EngineDeps, workspaceId: string, event: import('../../nodes/contract').ContactEvent) => Promise<IngestResult>;

/** Whether a live journey listens to `type` (from the per-process live-journey cache; most events have no listener). */
export async function someoneListens(s: Store, workspaceId: string, type: string): Promise<boolean> {
  return (await liveJourneys(s, workspaceId)).some((j) => j.liveTriggerTypes.includes(type));
}

export async function emitContactEvent(
  d: EngineDeps, ingest: Ingest, contact: Pick<ContactDoc, 'workspaceId' | 'identities'>, type: string, id: string, data: Record<string, unknown>, now = new Date(),
): Promise<IngestResult | undefined> {
  if (!(await someoneListens(d.store, contact.workspaceId, type))) return undefined;
  const identity = contact.identities[0];
  if (!identity) return undefined;
  return ingest(d, contact.workspaceId, { id, type, channel: identity.channel, handle: identity.handle, data, occurredAt: now.toISOString() });
}

/**
 * The events a node's applied effects give rise to: every score change (the score-threshold trigger decides
 * whether it crossed), newly added tags, newly entered segments, changed profile fields.
 */
export async function emitEffectEvents(d: EngineDeps, ingest: Ingest, before: ContactDoc, effects: Effect[], key: string): Promise<void> {
  if (!effects.length) return;
  const after = await d.store.contacts.findOne({ _id: before._id, workspaceId: before.workspaceId });
  if (!after) return;
  const ws = before.workspaceId;
  for (const [i, e] of effects.entries()) {
    const base = `internal:${key}:e${i}`;
    switch (e.kind) {
      case 'score': {
        const now = after.scores[e.name] ?? 0;
        await emitContactEvent(d, ingest, after, 'score.changed', base, { score: e.name, delta: e.delta, reason: e.reason, before: now - e.delta, after: now });
        break;
      }
      case 'contact.tags':
        for (const tag of (e.add ?? []).filter((t) => !before.tags.includes(t))) {
          await emitContactEvent(d, ingest, after, 'tag.added', `${base}:tag:${tag}`, { tag });
        }
        break;
      case 'segments':
        for (const segment of (e.add ?? []).filter((sg) => !(before.segments ?? []).includes(sg))) {
          await emitContactEvent(d, ingest, after, 'segment.entered', `${base}:segment:${segment}`, { segment });
        }
        break;
      case 'contact.set': {
        const fields = Object.keys(e.fields).filter((f) => f !== 'scoreUpdatedAt');
        if (fields.length) await emitContactEvent(d, ingest, after, 'contact.updated', base, { fields, set: Object.fromEntries(fields.map((f) => [f, e.fields[f]])) });
        break;
      }
    }
  }
  void ws;
}
