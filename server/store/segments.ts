/** Static segments: a contact's `segments` list. Entering one emits segment.entered (once per contact × segment × entry). */
import type { EngineDeps } from '../engine/ingest';
import type { Store } from './db';
import { emitContactEvent, type Ingest } from './internal-events';

export async function addToSegment(d: EngineDeps, ingest: Ingest, workspaceId: string, contactId: string, segment: string, now = new Date()): Promise<'added' | 'member' | 'missing'> {
  const before = await d.store.contacts.findOneAndUpdate(
    { _id: contactId, workspaceId }, { $addToSet: { segments: segment }, $set: { updatedAt: now } }, { returnDocument: 'before' },
  );
  if (!before) return 'missing';
  if ((before.segments ?? []).includes(segment)) return 'member';
  await d.store.interactions.updateOne(
    { _id: `${workspaceId}|segment|${contactId}|${segment}|${now.getTime()}` },
    { $setOnInsert: { workspaceId, contactId, kind: 'update', type: 'contact.segments', data: { add: [segment], remove: [] }, occurredAt: now, receivedAt: now } },
    { upsert: true },
  );
  await emitContactEvent(d, ingest, before, 'segment.entered', `segment:${contactId}:${segment}:${now.getTime()}`, { segment }, now);
  return 'added';
}

export async function removeFromSegment(s: Store, workspaceId: string, contactId: string, segment: string, now = new Date()): Promise<boolean> {
  const res = await s.contacts.updateOne({ _id: contactId, workspaceId, segments: segment }, { $pull: { segments: segment }, $set: { updatedAt: now } });
  return res.modifiedCount === 1;
}

export function segmentMembers(s: Store, workspaceId: string, segment: string, limit = 500) {
  return s.contacts.find({ workspaceId, segments: segment }, { projection: { appliedEffects: 0 } }).sort({ _id: 1 }).limit(limit).toArray();
}
