/** Static segments: a contact's `segments` list. Entering one emits segment.entered (once per contact × segment × entry). */
import type { ContactEvent } from '../../nodes/contract';
import { REAL_CONTACTS } from './contacts';
import type { Store } from './db';
import { followUpEvent } from './internal-events';

/** Adds the contact to the segment; `followUps` (segment.entered when it was not a member) are for the caller to ingest. */
export async function addToSegment(s: Store, workspaceId: string, contactId: string, segment: string, now = new Date()): Promise<{ outcome: 'added' | 'member' | 'missing'; followUps: ContactEvent[] }> {
  const before = await s.contacts.findOneAndUpdate(
    { _id: contactId, workspaceId }, { $addToSet: { segments: segment }, $set: { updatedAt: now } }, { returnDocument: 'before' },
  );
  if (!before) return { outcome: 'missing', followUps: [] };
  if ((before.segments ?? []).includes(segment)) return { outcome: 'member', followUps: [] };
  await s.interactions.updateOne(
    { _id: `${workspaceId}|segment|${contactId}|${segment}|${now.getTime()}` },
    { $setOnInsert: { workspaceId, contactId, kind: 'update', type: 'contact.segments', data: { add: [segment], remove: [] }, occurredAt: now, receivedAt: now } },
    { upsert: true },
  );
  const entered = await followUpEvent(s, before, 'segment.entered', `segment:${contactId}:${segment}:${now.getTime()}`, { segment }, now);
  return { outcome: 'added', followUps: entered ? [entered] : [] };
}

export async function removeFromSegment(s: Store, workspaceId: string, contactId: string, segment: string, now = new Date()): Promise<boolean> {
  const res = await s.contacts.updateOne({ _id: contactId, workspaceId, segments: segment }, { $pull: { segments: segment }, $set: { updatedAt: now } });
  return res.modifiedCount === 1;
}

export function segmentMembers(s: Store, workspaceId: string, segment: string, limit = 500) {
  return s.contacts.find({ workspaceId, segments: segment, ...REAL_CONTACTS }, { projection: { appliedEffects: 0 } }).sort({ _id: 1 }).limit(limit).toArray();
}

export interface SegmentSummary { name: string; members: number }

/**
 * The workspace's static segments with member counts, by name. Counted in JS from a projection of the contacts
 * that have a `segments` list (the embedded store scans non-_id filters and aggregates poorly); past `scanLimit`
 * contacts the counts are partial and `truncated` says so.
 */
export async function listSegments(s: Store, workspaceId: string, scanLimit = 50_000): Promise<{ segments: SegmentSummary[]; truncated: boolean }> {
  const counts = new Map<string, number>();
  let scanned = 0;
  const cursor = s.contacts.find({ workspaceId, segments: { $exists: true }, ...REAL_CONTACTS }, { projection: { _id: 0, segments: 1 } }).limit(scanLimit + 1);
  for await (const c of cursor) {
    if (++scanned > scanLimit) break;
    for (const name of new Set(c.segments ?? [])) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  await cursor.close();
  const segments = [...counts].map(([name, members]) => ({ name, members })).sort((a, b) => a.name.localeCompare(b.name));
  return { segments, truncated: scanned > scanLimit };
}
