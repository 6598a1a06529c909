/**
 * SMS consent in the recipient's own words: STOP (and Twilio's other opt-out keywords) withdraws consent on the SMS
 * channel, START (or UNSTOP, YES) gives it back, as carriers require and Twilio enforces
 * (https://help.twilio.com/articles/223134027); Twilio refusing a send with 21610 says the same of an earlier STOP.
 * Each change is `consent.<channel>` as of its time and one `consent.changed` timeline entry; a redelivered or late
 * keyword never overrides a newer record.
 */
import type { Store } from '../../store/db';
import type { ConsentRecord } from '../../store/documents';

export const OPT_OUT_KEYWORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
export const OPT_IN_KEYWORDS = new Set(['START', 'UNSTOP', 'YES']);

/** The consent a message's text asks for: the whole message is the keyword (case and spacing aside). */
export function keywordConsent(text: string | undefined): 'opted_out' | 'opted_in' | undefined {
  const word = (text ?? '').trim().toUpperCase().replace(/[.!]+$/, '');
  return OPT_OUT_KEYWORDS.has(word) ? 'opted_out' : OPT_IN_KEYWORDS.has(word) ? 'opted_in' : undefined;
}

export async function applySmsConsent(
  store: Store, workspaceId: string, contactId: string,
  change: { channel: string; status: ConsentRecord['status']; source: string; at: Date; eventId: string }, now = new Date(),
): Promise<boolean> {
  const path = `consent.${change.channel}`;
  const record: ConsentRecord = { status: change.status, at: change.at, source: change.source };
  const before = await store.contacts.findOneAndUpdate(
    { _id: contactId, workspaceId, $or: [{ [path]: { $exists: false } }, { [`${path}.at`]: { $lt: change.at } }], [`${path}.status`]: { $ne: change.status } },
    { $set: { [path]: record, updatedAt: now } },
    { returnDocument: 'before' },
  );
  if (!before) return false;
  await store.interactions.updateOne({ _id: `${workspaceId}|consent|${contactId}|${change.channel}|${change.eventId}` }, {
    $setOnInsert: {
      workspaceId, contactId, kind: 'update', type: 'consent.changed', channel: change.channel,
      data: { channel: change.channel, status: change.status, previous: before.consent?.[change.channel]?.status ?? null, source: change.source, eventId: change.eventId, by: { kind: 'platform', name: 'SMS' } },
      occurredAt: change.at, receivedAt: now,
    },
  }, { upsert: true });
  return true;
}
