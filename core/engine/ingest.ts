/**
 * Event ingestion: resolve the contact, store the event once, signal the contact's waiting runs, and enroll the
 * contact into every live journey whose trigger matches. Safe to repeat for the same event: storage is keyed by
 * event id, workflow ids are deterministic, and runs ignore an event id they have seen.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { evaluateConditions, type ConditionGroup } from '../../nodes/conditions';
import type { ContactEvent } from '../../nodes/contract';
import { isTimeZone } from '../../nodes/formats';
import { assertStorable, LIMITS } from '../storable';
import type { CompiledJourney } from '../../workflows/model/compile-journey';
import { runsInOneStretch } from '../../workflows/model/stretchable';
import { contactEventSignal, type JourneyRunInput } from '../../workflows/model/journey-run';
import { contactView, newContactDoc, normalizeIdentity, resolveContact } from '../store/contacts';
import type { Store } from '../store/db';
import type { ContactDoc, EnrollmentDoc, JourneyVersionDoc } from '../store/documents';
import { insertManyNew } from '../store/errors';
import { eventDoc } from '../store/interactions';
import { triggerAccepts } from '../../nodes/builtin/triggers/match';
import { analyzeText } from '../../nodes/text/analyze';
import { analysisView } from '../store/analysis';
import { observeForCrisis } from '../store/crisis';
import { followUpEvent } from '../store/internal-events';
import { getVersion, liveJourneys, runsMayWaitForEvents } from '../store/journeys';
import { activeEnrollmentsOf, finishEnrollment } from '../store/enrollments';

export interface EngineDeps {
  store: Store;
  temporal: Client;
  taskQueue: string;
}

export interface IngestResult {
  eventId: string;
  contactId: string;
  contactCreated: boolean;
  duplicate: boolean;
  enrolled: { journeyId: string; version: number; enrollmentId: string }[];
  signalled: string[];
  skipped: { journeyId: string; reason: string }[];
}

/**
 * Published versions never change, so they are cached for the process lifetime (bounded). The read in flight is
 * cached too: a batch asking for one version many times at once reads it once.
 */
const versionCache = new Map<string, Promise<JourneyVersionDoc | undefined>>();

function liveVersion(s: Store, workspaceId: string, journeyId: string, version: number): Promise<JourneyVersionDoc | undefined> {
  const key = `${workspaceId}|${journeyId}|${version}`;
  let v = versionCache.get(key);
  if (!v) {
    if (versionCache.size > 1000) versionCache.delete(versionCache.keys().next().value!);
    v = getVersion(s, workspaceId, journeyId, version).then((x) => x ?? undefined);
    versionCache.set(key, v);
    // Not found (or failed) is not cached: a version read before its write is visible is read again.
    v.then((x) => { if (!x) versionCache.delete(key); }, () => versionCache.delete(key));
  }
  return v;
}

export function matchingTrigger(journey: CompiledJourney, event: ContactEvent, contact: ContactDoc, now: Date): string | undefined {
  return journey.triggers.find((id) => {
    const cfg = journey.nodes[id].config as { eventTypes?: string[]; channels?: string[]; conditions?: ConditionGroup };
    if (cfg.eventTypes && !cfg.eventTypes.includes(event.type)) return false;
    if (cfg.channels?.length && !cfg.channels.includes(event.channel)) return false;
    if (!triggerAccepts(journey.nodes[id], event, journey.journeyId)) return false;
    return !cfg.conditions || evaluateConditions(cfg.conditions, { event, trigger: event, contact: contactView(contact) }, now).result;
  });
}

export function enrollmentId(journeyId: string, contactId: string, entryKey: string): string {
  return `journey:${journeyId}:contact:${contactId}:${entryKey}`;
}

/**
 * Ingests one event: resolves (or creates) its contact, then takes the bulk path with that one item (one code path
 * for a POST, a batch and a broadcast page).
 */
export async function ingestEvent(d: EngineDeps, workspaceId: string, event: ContactEvent): Promise<IngestResult> {
  // HTTP bodies are checked before they get here; engine-made events (follow-ups, broadcasts) are checked here.
  assertStorable(event, LIMITS.event);
  const { contact, created } = await resolveContact(d.store, workspaceId, { channel: event.channel, handle: event.handle }, new Date());
  return (await ingestResolved(d, workspaceId, [{ event, contact, created }], 1))[0];
}

function runInput(v: JourneyVersionDoc, contact: ContactDoc, enrollmentId: string, event: ContactEvent, triggerNodeId: string, created = false): JourneyRunInput {
  return {
    ref: { workspaceId: v.workspaceId, journeyId: v.journeyId, version: v.version, enrollmentId, contactId: contact._id },
    journey: v.compiled, triggerNodeId, trigger: event, dryRun: false,
    contactTimezone: isTimeZone(contact.profile.timezone) ? contact.profile.timezone : undefined,
    ...(created ? { contactCreatedAt: contact.createdAt.getTime() } : {}),
  };
}

/** Starts the run of an enrollment; false when it exists already (a retry, or a concurrent start). */
async function startRun(d: EngineDeps, input: JourneyRunInput): Promise<boolean> {
  try {
    await d.temporal.workflow.start('journeyRun', { workflowId: input.ref.enrollmentId, taskQueue: d.taskQueue, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/**
 * Starts the run of an active enrollment that has none (its start was lost to a crash). The run's input is rebuilt
 * from what the enrollment recorded: its version and its trigger event (stored before the enrollment).
 */
export async function recoverRun(d: EngineDeps, e: Pick<EnrollmentDoc, '_id' | 'journeyId' | 'version' | 'triggerEventId'> & { workspaceId?: string }, contact: ContactDoc, now = new Date()): Promise<boolean> {
  const ws = contact.workspaceId;
  const v = await liveVersion(d.store, ws, e.journeyId, e.version);
  const stored = await d.store.interactions.findOne({ _id: `${ws}|event|${e.triggerEventId}` });
  if (!v || !stored) {
    await finishEnrollment(d.store, ws, e._id, 'exited', 'run_not_recoverable', now);
    return false;
  }
  const trigger: ContactEvent = {
    id: e.triggerEventId, type: stored.type, channel: stored.channel ?? '', handle: stored.handle ?? '', text: stored.text, data: stored.data,
    threadId: stored.threadId, occurredAt: stored.occurredAt.toISOString(),
    ...(stored.analysis ? { analysis: { language: stored.analysis.language, sentiment: stored.analysis.sentiment } } : {}),
  };
  const triggerNodeId = matchingTrigger(v.compiled, trigger, contact, now) ?? v.compiled.triggers[0];
  return startRun(d, runInput(v, contact, e._id, trigger, triggerNodeId));
}

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight. After a failure no new call starts; the ones in
 * flight are awaited, then the first failure is thrown (nothing is left running behind the caller's next write).
 */
async function inPool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        await fn(items[i], i);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (failure) throw failure.err;
}

/** Run starts in flight at once by the batch paths (a batch of events, a broadcast's page). */
export const START_CONCURRENCY = 32;

/** An event whose contact is known: resolved by this ingestion (maybe created by it), or given by the caller. */
interface Resolved { event: ContactEvent; contact: ContactDoc; created: boolean }

/** The `_id` of an identity, as core/store/contacts.ts keys it (real contacts: no `test|` prefix). */
const identityKey = (workspaceId: string, i: { channel: string; handle: string }) => `${workspaceId}|${i.channel}|${i.handle}`;

/**
 * resolveContact for many distinct identities in two inserts: the identities (each new `_id` is claimed for a fresh
 * contact id, as the upsert of one event does), then the contacts of those claimed here. An identity that existed
 * takes the one-event path (it finds the contact, or writes it if its first writer died before); a contact another
 * resolver wrote first (it found the identity before this insert of the contact) is that one's, not created here.
 */
async function resolveMany(s: Store, workspaceId: string, events: ContactEvent[], now: Date, concurrency: number): Promise<{ contact: ContactDoc; created: boolean }[]> {
  const identities = events.map((e) => normalizeIdentity({ channel: e.channel, handle: e.handle }));
  const fresh = identities.map(() => randomUUID());
  const existed = await insertManyNew(s.identities, identities.map((i, k) => ({ _id: identityKey(workspaceId, i), workspaceId, ...i, contactId: fresh[k], createdAt: now })));
  const out: { contact: ContactDoc; created: boolean }[] = new Array(events.length);
  const claimed = identities.map((_, k) => k).filter((k) => !existed.has(k));
  const contacts: ContactDoc[] = claimed.map((k) => newContactDoc(workspaceId, fresh[k], identities[k], now));
  const raced = contacts.length ? await insertManyNew(s.contacts, contacts) : new Set<number>();
  claimed.forEach((k, j) => { if (!raced.has(j)) out[k] = { contact: contacts[j], created: true }; });
  await inPool([...raced].map((j) => claimed[j]), concurrency, async (k) => {
    const winner = await s.contacts.findOne({ _id: fresh[k], workspaceId });
    out[k] = winner ? { contact: winner, created: false } : await resolveContact(s, workspaceId, identities[k], now);
  });
  await inPool([...existed], concurrency, async (k) => { out[k] = await resolveContact(s, workspaceId, identities[k], now); });
  return out;
}

/**
 * The enrollment path of ingestEvent for many events of distinct, known contacts at once: the events stored in one
 * insert, live journeys read once, the contacts' running enrollments read only for those that need them (as in
 * ingestEvent), the enrollments written in one insert, the runs started `concurrency` at a time, then the
 * follow-ups ingestEvent makes (contact.created of a new contact, the crisis detector). Per contact the order is
 * ingestEvent's: event, signals, enrollments, runs, follow-ups; and every write is keyed as there, so a retried
 * batch (or a second runner of the same broadcast) stores, enrolls and starts nothing twice.
 */
async function ingestResolved(d: EngineDeps, workspaceId: string, items: Resolved[], concurrency: number): Promise<IngestResult[]> {
  const now = new Date();
  const analyses = items.map(({ event }) => (event.text ? analyzeText(event.text) : undefined));
  // The stored interactions keep the text analysis exactly as filter nodes and POST /analyze compute it; one
  // unordered insert, those that existed are duplicates.
  const duplicates = await insertManyNew(d.store.interactions, items.map(({ event, contact }, k) => eventDoc(workspaceId, contact._id, event, now, analyses[k] && analysisView(analyses[k]))));
  // What runs get: the event with its analysis, so text filters read it instead of analysing the text again.
  const runEvents = items.map(({ event }, k) => {
    const a = analyses[k];
    return a ? { ...event, analysis: { language: a.language, sentiment: { label: a.sentiment.label, score: a.sentiment.score, hits: a.sentiment.hits } } } : event;
  });
  const results: IngestResult[] = items.map(({ event, contact, created }, k) => ({
    eventId: event.id, contactId: contact._id, contactCreated: created, duplicate: duplicates.has(k), enrolled: [], signalled: [], skipped: [],
  }));

  // Live journeys and their versions read once for the batch, then matched event by event.
  const types = new Set(items.map((it) => it.event.type));
  const live = (await liveJourneys(d.store, workspaceId)).filter((j) => j.liveTriggerTypes.some((t) => types.has(t)));
  const versions = await Promise.all(live.map((j) => liveVersion(d.store, workspaceId, j._id, j.liveVersion!)));
  const candidates = items.map(({ event, contact }) => {
    const out: { journey: JourneyVersionDoc; triggerNodeId: string }[] = [];
    live.forEach((j, i) => {
      const version = versions[i];
      const triggerNodeId = version && j.liveTriggerTypes.includes(event.type) && matchingTrigger(version.compiled, event, contact, now);
      if (version && triggerNodeId) out.push({ journey: version, triggerNodeId });
    });
    return out;
  });
  const mayWait = items.some((it) => !it.created) && (await runsMayWaitForEvents(d.store, workspaceId));
  const active: { _id: string; journeyId: string; version: number; triggerEventId: string }[][] = items.map(() => []);
  const readActive = items.map((it, k) => k).filter((k) => !items[k].created
    && (mayWait || candidates[k].some((c) => (c.journey.compiled.settings.reentry ?? 'after_exit') === 'after_exit')));
  await inPool(readActive, concurrency, async (k) => {
    active[k] = await activeEnrollmentsOf(d.store, workspaceId, items[k].contact._id);
    // Signal first: a run this event starts must not also receive it as a reply to itself.
    for (const e of active[k]) {
      if (e._id.startsWith('test:')) continue; // test runs get their events from the test-run panel
      try {
        await d.temporal.workflow.getHandle(e._id).signal(contactEventSignal, runEvents[k]);
        results[k].signalled.push(e._id);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        if (await recoverRun(d, e, items[k].contact, now)) results[k].signalled.push(e._id);
      }
    }
  });

  // One enrollment per (event, journey) that admits it, in one unordered insert; then the runs. A journey whose
  // runs are one stretch gets its enrollment from the run (written once, when it ends): for a new event the
  // entry's `_id` cannot exist yet; a redelivered one takes the insert, which finds what an earlier delivery did.
  interface Entry { k: number; version: JourneyVersionDoc; triggerNodeId: string; doc: EnrollmentDoc; reason: string; byRun: boolean }
  const entries: Entry[] = [];
  const outcomes = candidates.map((cs) => cs.map((): { id?: string; reason?: string } => ({})));
  candidates.forEach((cs, k) => cs.forEach(({ journey: v, triggerNodeId }, c) => {
    const reentry = v.compiled.settings.reentry ?? 'after_exit';
    if (reentry === 'after_exit' && active[k].some((e) => e.journeyId === v.journeyId)) {
      outcomes[k][c].reason = 'already_in_journey';
      return;
    }
    const { event, contact } = items[k];
    const entryKey = reentry === 'never' ? 'once' : `event:${event.id}`;
    const doc: EnrollmentDoc = {
      _id: enrollmentId(v.journeyId, contact._id, entryKey), workspaceId: v.workspaceId, journeyId: v.journeyId, version: v.version, contactId: contact._id,
      triggerEventId: event.id, entryKey, status: 'active', startedAt: now,
    };
    const byRun = !duplicates.has(k) && runsInOneStretch(v.compiled);
    entries.push({ k, version: v, triggerNodeId, doc, reason: reentry === 'never' ? 'entered_before' : 'already_enrolled_by_this_event', byRun });
    outcomes[k][c].id = doc._id;
  }));
  const toInsert = entries.map((_, i) => i).filter((i) => !entries[i].byRun);
  const existing = new Set([...(toInsert.length ? await insertManyNew(d.store.enrollments, toInsert.map((i) => entries[i].doc)) : [])].map((j) => toInsert[j]));
  const ended = new Set<number>();
  await inPool([...existing], concurrency, async (i) => {
    const found = await d.store.enrollments.findOne({ _id: entries[i].doc._id }, { projection: { status: 1 } });
    if (found && found.status !== 'active') ended.add(i);
  });
  const started = new Set<number>();
  // Started even when the enrollment row existed (and is active): a crash between the two writes must not strand it.
  await inPool(entries.map((_, i) => i).filter((i) => !ended.has(i)), concurrency, async (i) => {
    const { k, version, triggerNodeId, doc, byRun } = entries[i];
    // A contact this event created is handed to the run as it was created (its first stretch reads nothing back).
    const input = runInput(version, items[k].contact, doc._id, runEvents[k], triggerNodeId, items[k].created);
    if (byRun) input.enrollment = { triggerEventId: doc.triggerEventId, entryKey: doc.entryKey, startedAt: doc.startedAt.getTime() };
    if (await startRun(d, input)) started.add(i);
  });
  const byId = new Map(entries.map((e, i) => [`${e.k}|${e.doc._id}`, i]));
  candidates.forEach((cs, k) => cs.forEach(({ journey: v }, c) => {
    const o = outcomes[k][c];
    const i = o.id === undefined ? undefined : byId.get(`${k}|${o.id}`);
    if (i !== undefined && started.has(i)) results[k].enrolled.push({ journeyId: v.journeyId, version: v.version, enrollmentId: o.id! });
    else results[k].skipped.push({ journeyId: v.journeyId, reason: o.reason ?? entries[i!].reason });
  }));

  await inPool(items.map((_, k) => k).filter((k) => !duplicates.has(k)), concurrency, async (k) => {
    const { event, contact, created } = items[k];
    const followUps: ContactEvent[] = [];
    if (created && event.type !== 'contact.created') {
      const first = await followUpEvent(d.store, contact, 'contact.created', `contact.created:${contact._id}`, { channel: event.channel, handle: event.handle, firstEventId: event.id }, now);
      if (first) followUps.push(first);
    }
    followUps.push(...await observeForCrisis(d.store, workspaceId, event, analyses[k]));
    await ingestAll(d, workspaceId, followUps);
  });
  return results;
}

/**
 * Ingests many events (a batch): events of one contact in their order, different contacts side by side. Each round
 * takes the next event of every contact in the batch (so a round's contacts are distinct) through ingestEvent's
 * path in bulk: identities and new contacts in one insert each, the events in one, the enrollments in one, reads
 * of existing contacts and run starts at most `concurrency` at a time. Results come back in the events' order.
 */
export async function ingestMany(d: EngineDeps, workspaceId: string, events: ContactEvent[], concurrency = START_CONCURRENCY): Promise<IngestResult[]> {
  // One event (most POSTs): ingestEvent itself, one round trip fewer for a known contact than a bulk round.
  if (events.length === 1) return [await ingestEvent(d, workspaceId, events[0])];
  for (const e of events) assertStorable(e, LIMITS.event);
  const results: IngestResult[] = new Array(events.length);
  const byContact = new Map<string, number[]>();
  events.forEach((e, i) => {
    const key = `${e.channel.trim().toLowerCase()}|${e.handle.trim().toLowerCase()}`;
    (byContact.get(key) ?? byContact.set(key, []).get(key)!).push(i);
  });
  const queues = [...byContact.values()];
  for (let round = 0; ; round++) {
    const indexes = queues.filter((q) => q.length > round).map((q) => q[round]);
    if (!indexes.length) break;
    const batch = indexes.map((i) => events[i]);
    const resolved = await resolveMany(d.store, workspaceId, batch, new Date(), concurrency);
    const out = await ingestResolved(d, workspaceId, batch.map((event, j) => ({ event, ...resolved[j] })), concurrency);
    indexes.forEach((i, j) => { results[i] = out[j]; });
  }
  return results;
}

/**
 * Enrolls known contacts (a broadcast's page of segment members) with one event each, addressed to that contact:
 * no identity resolution (the member is the contact, whatever its handle resolves to now); otherwise ingestMany's
 * path. The contacts must be distinct.
 */
export async function ingestForContacts(d: EngineDeps, workspaceId: string, items: { contact: ContactDoc; event: ContactEvent }[], concurrency = START_CONCURRENCY): Promise<IngestResult[]> {
  for (const { event } of items) assertStorable(event, LIMITS.event);
  return ingestResolved(d, workspaceId, items.map((it) => ({ ...it, created: false })), concurrency);
}

/**
 * Ingests an event after `prepare` changed its contact (what the platform says of it: a name, a source, tags), so
 * the journeys the event starts read the change. Resolving first takes the contact's creation from ingestion: its
 * contact.created follows the event here, once, as ingestion would have emitted it.
 */
export async function ingestPrepared(
  d: EngineDeps, workspaceId: string, event: ContactEvent, prepare: (contact: ContactDoc, now: Date) => Promise<void>,
): Promise<IngestResult> {
  const now = new Date();
  const { contact, created } = await resolveContact(d.store, workspaceId, { channel: event.channel, handle: event.handle }, now);
  await prepare(contact, now);
  const result = await ingestEvent(d, workspaceId, event);
  if (created && !result.duplicate) {
    const first = await followUpEvent(d.store, contact, 'contact.created', `contact.created:${contact._id}`, { channel: event.channel, handle: event.handle, firstEventId: event.id }, now);
    if (first) await ingestEvent(d, workspaceId, first);
  }
  return { ...result, contactCreated: created };
}

/** Ingests events one after the other (follow-ups a change gave rise to: the store builds them, ingestion runs them). */
export async function ingestAll(d: EngineDeps, workspaceId: string, events: ContactEvent[]): Promise<void> {
  for (const e of events) await ingestEvent(d, workspaceId, e);
}
