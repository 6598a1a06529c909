/**
 * What a recipient does with an email, from its signed links (core/channels/email-tracking.ts): an open or a click
 * becomes an `email.opened` / `email.clicked` event of the contact the email went to (once per email, once per
 * link: a mail client loading the pixel again changes nothing), and the one-click unsubscribe withdraws the
 * contact's email consent (`no_consent` on every later send) with a timeline entry, then an `email.unsubscribed`
 * event journeys can react to.
 */
import { createHash } from 'node:crypto';
import type { ContactEvent } from '../../nodes/contract';
import { linkId, type TrackingToken } from '../channels/email-tracking';
import type { ContactDoc, ConsentRecord } from '../store/documents';
import { ingestForContacts, type EngineDeps } from './ingest';

export const UNSUBSCRIBE_SOURCE = 'list-unsubscribe';

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);

/** The address the contact is known by on email (the identity, else profile.email). */
function emailHandle(c: ContactDoc): string {
  const email = c.identities.find((i) => i.channel === 'email')?.handle;
  return email ?? (typeof c.profile.email === 'string' ? c.profile.email : c.identities[0]?.handle ?? c._id);
}

async function contactOf(d: EngineDeps, t: TrackingToken): Promise<ContactDoc | null> {
  const c = await d.store.contacts.findOne({ _id: t.c, workspaceId: t.w });
  return c && !c.erasedAt ? c : null;
}

async function emit(d: EngineDeps, contact: ContactDoc, t: TrackingToken, type: string, id: string, now: Date, extra: Record<string, unknown> = {}) {
  const event: ContactEvent = {
    id, type, channel: 'email', handle: emailHandle(contact), occurredAt: now.toISOString(),
    data: { messageKey: t.k, ...(t.j ? { journeyId: t.j } : {}), ...(t.n ? { nodeId: t.n } : {}), ...extra },
  };
  await ingestForContacts(d, t.w, [{ contact, event }]);
}

/** Records an open or a click; false when the contact is gone (erased, deleted): nothing is recorded. */
export async function recordEmailEngagement(d: EngineDeps, kind: 'opened' | 'clicked', t: TrackingToken, now = new Date()): Promise<boolean> {
  const contact = await contactOf(d, t);
  if (!contact) return false;
  if (kind === 'opened') await emit(d, contact, t, 'email.opened', `email.opened:${short(t.k)}`, now);
  else await emit(d, contact, t, 'email.clicked', `email.clicked:${short(t.k)}:${linkId(t.u ?? '')}`, now, { url: t.u });
  return true;
}

/**
 * The one-click unsubscribe: opts the contact out of email unless it already is. 'unsubscribed' when this call
 * did it, 'already' when it was opted out before, 'unknown' when the contact is gone.
 */
export async function unsubscribeByLink(d: EngineDeps, t: TrackingToken, now = new Date()): Promise<'unsubscribed' | 'already' | 'unknown'> {
  const contact = await contactOf(d, t);
  if (!contact) return 'unknown';
  const record: ConsentRecord = { status: 'opted_out', at: now, source: UNSUBSCRIBE_SOURCE };
  const before = await d.store.contacts.findOneAndUpdate(
    { _id: contact._id, workspaceId: t.w, 'consent.email.status': { $ne: 'opted_out' } },
    { $set: { 'consent.email': record, updatedAt: now } },
    { returnDocument: 'before' },
  );
  if (!before) return 'already';
  await d.store.interactions.updateOne({ _id: `${t.w}|consent|${contact._id}|email|unsubscribe:${short(t.k)}` }, {
    $setOnInsert: {
      workspaceId: t.w, contactId: contact._id, kind: 'update', type: 'consent.changed', channel: 'email',
      data: { channel: 'email', status: 'opted_out', previous: before.consent?.email?.status ?? null, source: UNSUBSCRIBE_SOURCE, messageKey: t.k, by: { kind: 'contact', name: 'List-Unsubscribe' } },
      occurredAt: now, receivedAt: now,
    },
  }, { upsert: true });
  await emit(d, { ...before, consent: { ...before.consent, email: record } }, t, 'email.unsubscribed', `email.unsubscribed:${short(t.k)}`, now);
  return 'unsubscribed';
}
