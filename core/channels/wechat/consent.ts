/**
 * Following is WeChat's consent to an Official Account's messages: an unfollow (取消关注, the `unsubscribe` event)
 * withdraws the contact's consent on the channel, the way PUT /api/v1/contacts/:id/consent/:channel with `opted_out`
 * does (the record every send on that channel honours, `no_consent`, and a `consent.changed` timeline entry), and a
 * later follow gives back what the unfollow took. An opt-out made any other way (the consent API, an agent, an
 * unsubscribe link) is the contact's own word and stands: a follow does not lift it.
 */
import type { ContactEvent } from '../../../nodes/contract';
import type { Store } from '../../store/db';
import type { ConsentRecord } from '../../store/documents';

export const UNFOLLOW_SOURCE = 'wechat.unsubscribe';
export const FOLLOW_SOURCE = 'wechat.subscribe';

/**
 * Applies a follow or an unfollow to `consent.<channel>` as of the event's time, unless the record is as recent or
 * newer: a redelivered or late event never overrides a change made after it, nor writes a second timeline entry.
 * True when it changed the record.
 */
export async function applyFollowConsent(store: Store, workspaceId: string, contactId: string, event: ContactEvent, now = new Date()): Promise<boolean> {
  const follow = event.type === FOLLOW_SOURCE;
  if (!follow && event.type !== UNFOLLOW_SOURCE) return false;
  const at = new Date(event.occurredAt);
  const path = `consent.${event.channel}`;
  const record: ConsentRecord = { status: follow ? 'opted_in' : 'opted_out', at, source: event.type };
  const newer = { [`${path}.at`]: { $lt: at } };
  // An unfollow applies to any older record (or none); a follow only lifts an opt-out that an unfollow made.
  const filter = follow
    ? { _id: contactId, workspaceId, ...newer, [`${path}.status`]: 'opted_out', [`${path}.source`]: UNFOLLOW_SOURCE }
    : { _id: contactId, workspaceId, $or: [{ [path]: { $exists: false } }, newer] };
  const before = await store.contacts.findOneAndUpdate(filter, { $set: { [path]: record, updatedAt: now } }, { returnDocument: 'before' });
  if (!before) return false;
  const entryId = `${workspaceId}|consent|${contactId}|${event.channel}|${event.id}`;
  await store.interactions.updateOne({ _id: entryId }, {
    $setOnInsert: {
      workspaceId, contactId, kind: 'update', type: 'consent.changed', channel: event.channel,
      data: { channel: event.channel, status: record.status, previous: before.consent?.[event.channel]?.status ?? null, source: event.type, eventId: event.id, by: { kind: 'platform', name: 'WeChat' } },
      occurredAt: at, receivedAt: now,
    },
  }, { upsert: true });
  return true;
}
