import { randomUUID } from 'node:crypto';
import type { Effect } from '../../nodes/contract';
import type { Store } from './db';
import type { ContactDoc, Identity, StepEffect } from './documents';
import { insertNew } from './errors';

/** Handles compare case-insensitively where the platform does (email); others are kept as the platform sends them. */
export function normalizeIdentity(identity: Identity): Identity {
  const channel = identity.channel.trim().toLowerCase();
  const handle = identity.handle.trim();
  return { channel, handle: channel === 'email' ? handle.toLowerCase() : handle };
}

function identityId(workspaceId: string, i: Identity, test = false): string {
  // Test contacts live in their own identity space: a draft's test run never resolves to a real person.
  return `${test ? 'test|' : ''}${workspaceId}|${i.channel}|${i.handle}`;
}

export async function findContactByIdentity(s: Store, workspaceId: string, identity: Identity): Promise<ContactDoc | null> {
  const id = await s.identities.findOne({ _id: identityId(workspaceId, normalizeIdentity(identity)) });
  return id ? s.contacts.findOne({ _id: id.contactId, workspaceId }) : null;
}

/**
 * The contact behind a channel handle, created on first sight. One round trip finds the identity or claims it for
 * a new contact id (an upsert: the identity's unique `_id` settles races between first events of one handle); the
 * contact is written after its identity, so whoever finds an identity without its contact (a racing first event,
 * or a crash between the two writes) writes that contact, and exactly one caller reports it created.
 */
export async function resolveContact(s: Store, workspaceId: string, rawIdentity: Identity, now = new Date(), opts: { test?: boolean } = {}): Promise<{ contact: ContactDoc; created: boolean }> {
  const identity = normalizeIdentity(rawIdentity);
  const test = opts.test === true;
  const fresh = randomUUID();
  const found = await s.identities.findOneAndUpdate(
    { _id: identityId(workspaceId, identity, test) },
    { $setOnInsert: { workspaceId, ...identity, contactId: fresh, createdAt: now, ...(test ? { test: true as const } : {}) } },
    { upsert: true, returnDocument: 'before' }, // null: this call wrote the identity, for the contact `fresh`
  );
  const contactId = found?.contactId ?? fresh;
  if (found) {
    const existing = await s.contacts.findOne({ _id: contactId, workspaceId });
    if (existing) return { contact: existing, created: false };
  }
  const contact = newContactDoc(workspaceId, contactId, identity, now, test);
  if (await insertNew(s.contacts, contact)) return { contact, created: true };
  const winner = await s.contacts.findOne({ _id: contactId, workspaceId });
  if (!winner) throw new Error(`contact ${contactId} exists outside workspace ${workspaceId}`);
  return { contact: winner, created: false };
}

/** A contact as its first event creates it: one identity (normalized), nothing else known yet. */
export function newContactDoc(workspaceId: string, contactId: string, identity: Identity, now: Date, test = false): ContactDoc {
  return {
    _id: contactId, workspaceId, identities: [identity], profile: {}, tags: [], scores: {}, consent: {},
    createdAt: now, updatedAt: now, appliedEffects: [], ...(test ? { test: true as const } : {}),
  };
}

/** Filter of real contacts: test contacts (draft test runs) never count in lists, segments or broadcasts. */
export const REAL_CONTACTS = { test: { $ne: true } } as const;

// On MongoDB `$slice` caps the ledger; FerretDB 1.x ignores it (documented gap: the array keeps growing there).
const APPLIED_EFFECTS_KEPT = 500;

/**
 * Applies one effect as a single atomic update guarded by its key, so a retried activity never applies it twice.
 * The timeline shows it from the step that made it (see StepDoc.effects).
 */
export async function applyEffect(s: Store, workspaceId: string, contactId: string, key: string, effect: Effect, now = new Date()): Promise<boolean> {
  const update: Record<string, Record<string, unknown>> = {
    $set: { updatedAt: now },
    $push: { appliedEffects: { $each: [key], $slice: -APPLIED_EFFECTS_KEPT } },
  };
  switch (effect.kind) {
    case 'score':
      update.$inc = { [`scores.${effect.name}`]: effect.delta };
      break;
    case 'contact.set':
      for (const [field, value] of Object.entries(effect.fields)) update.$set[`profile.${field}`] = value;
      break;
    case 'contact.tags':
      // $addToSet and $pull on one path in one update conflict: removals take their own guarded update below.
      if (effect.add?.length) update.$addToSet = { tags: { $each: effect.add } };
      break;
    case 'segments':
      if (effect.add?.length) update.$addToSet = { segments: { $each: effect.add } };
      break;
  }
  const res = await s.contacts.updateOne({ _id: contactId, workspaceId, appliedEffects: { $ne: key } }, update);
  if ((effect.kind === 'contact.tags' || effect.kind === 'segments') && effect.remove?.length) {
    const field = effect.kind === 'segments' ? 'segments' : 'tags';
    await s.contacts.updateOne(
      { _id: contactId, workspaceId, appliedEffects: { $ne: `${key}#remove` } },
      { $pull: { [field]: { $in: effect.remove } }, $push: { appliedEffects: { $each: [`${key}#remove`], $slice: -APPLIED_EFFECTS_KEPT } } },
    );
  }
  return res.modifiedCount === 1;
}

/** A contact as the API shows it: no workspace, no effect ledger, nothing earlier versions left on the document. */
export function contactView(c: ContactDoc) {
  return {
    id: c._id, identities: c.identities.map(({ channel, handle }) => ({ channel, handle })), profile: c.profile, tags: c.tags, scores: c.scores,
    consent: Object.fromEntries(Object.entries(c.consent).map(([ch, r]) => [ch, { status: r.status, at: r.at.toISOString(), ...(r.source !== undefined ? { source: r.source } : {}) }])),
    ...(c.segments ? { segments: c.segments } : {}), ...(c.test ? { test: true } : {}), ...(c.erasedAt ? { erasedAt: c.erasedAt.toISOString() } : {}),
    createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
  };
}

/**
 * Applies the effects of a stretch of nodes as one atomic update of the contact, guarded by `key` (a retried
 * stretch applies nothing twice); the timeline shows them from the stretch's steps. Tag or segment removals
 * that meet additions of the same field in one stretch take a second guarded update (MongoDB refuses both
 * operators on one path). Returns the contact as it is after the update, or undefined when `key` was applied before.
 */
export async function applyEffects(
  s: Store, workspaceId: string, contactId: string, key: string, effects: { effect: Effect }[], now = new Date(),
): Promise<ContactDoc | undefined> {
  const set: Record<string, unknown> = { updatedAt: now };
  const inc: Record<string, number> = {};
  const add: Record<'tags' | 'segments', string[]> = { tags: [], segments: [] };
  const remove: Record<'tags' | 'segments', string[]> = { tags: [], segments: [] };
  for (const { effect } of effects) {
    switch (effect.kind) {
      case 'score': inc[`scores.${effect.name}`] = (inc[`scores.${effect.name}`] ?? 0) + effect.delta; break;
      case 'contact.set': for (const [field, value] of Object.entries(effect.fields)) set[`profile.${field}`] = value; break;
      case 'contact.tags': case 'segments': {
        const field = effect.kind === 'segments' ? 'segments' : 'tags';
        for (const v of effect.add ?? []) { add[field].push(v); remove[field] = remove[field].filter((x) => x !== v); }
        for (const v of effect.remove ?? []) { remove[field].push(v); add[field] = add[field].filter((x) => x !== v); }
        break;
      }
    }
  }
  const update: Record<string, unknown> = { $set: set, $push: { appliedEffects: { $each: [key], $slice: -APPLIED_EFFECTS_KEPT } } };
  if (Object.keys(inc).length) update.$inc = inc;
  const addToSet = Object.fromEntries((['tags', 'segments'] as const).filter((f) => add[f].length).map((f) => [f, { $each: add[f] }]));
  const pull = Object.fromEntries((['tags', 'segments'] as const).filter((f) => remove[f].length && !add[f].length).map((f) => [f, { $in: remove[f] }]));
  if (Object.keys(addToSet).length) update.$addToSet = addToSet;
  if (Object.keys(pull).length) update.$pull = pull;
  let after = await s.contacts.findOneAndUpdate({ _id: contactId, workspaceId, appliedEffects: { $ne: key } }, update, { returnDocument: 'after' });
  const laterPull = Object.fromEntries((['tags', 'segments'] as const).filter((f) => remove[f].length && add[f].length).map((f) => [f, { $in: remove[f] }]));
  if (after && Object.keys(laterPull).length) {
    after = (await s.contacts.findOneAndUpdate(
      { _id: contactId, workspaceId, appliedEffects: { $ne: `${key}#remove` } },
      { $pull: laterPull, $push: { appliedEffects: { $each: [`${key}#remove`], $slice: -APPLIED_EFFECTS_KEPT } } },
      { returnDocument: 'after' },
    )) ?? after;
  }
  return after ?? undefined;
}

/** An effect as the contact's timeline shows it (kept on the step that made it). */
export function timelineEffect(effect: Effect, key: string): StepEffect {
  return { key, ...timelineOf(effect) };
}

function timelineOf(effect: Effect): Omit<StepEffect, 'key'> {
  switch (effect.kind) {
    case 'score': return { kind: 'score', type: 'score.changed', data: { score: effect.name, delta: effect.delta, reason: effect.reason } };
    case 'contact.set': return { kind: 'update', type: 'contact.updated', data: { set: effect.fields } };
    case 'contact.tags': return { kind: 'update', type: 'contact.tags', data: { add: effect.add ?? [], remove: effect.remove ?? [] } };
    case 'segments': return { kind: 'update', type: 'contact.segments', data: { add: effect.add ?? [], remove: effect.remove ?? [] } };
  }
}
