/**
 * Event ingestion: resolve the contact, store the event once, signal the contact's waiting runs, and enroll the
 * contact into every live journey whose trigger matches. Safe to repeat for the same event: storage is keyed by
 * event id, workflow ids are deterministic, and runs ignore an event id they have seen.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { evaluateConditions, type ConditionGroup } from '../../nodes/conditions';
import type { ContactEvent } from '../../nodes/contract';
import { isTimeZone } from '../../nodes/formats';
import { assertStorable, LIMITS } from '../storable';
import type { CompiledJourney } from '../../workflows/model/compile-journey';
import { contactEventSignal, type JourneyRunInput } from '../../workflows/model/journey-run';
import { contactView, resolveContact } from '../store/contacts';
import type { Store } from '../store/db';
import type { ContactDoc, EnrollmentDoc, JourneyVersionDoc } from '../store/documents';
import { storeEvent } from '../store/interactions';
import { triggerAccepts } from '../../nodes/builtin/triggers/match';
import { analyzeText } from '../../nodes/text/analyze';
import { analysisView } from '../store/analysis';
import { observeForCrisis } from '../store/crisis';
import { emitContactEvent } from '../store/internal-events';
import { getVersion, liveJourneys, runsMayWaitForEvents } from '../store/journeys';
import { activeEnrollmentsOf, finishEnrollment, insertEnrollment } from '../store/runs';

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

/** Published versions never change, so they are cached for the process lifetime (bounded). */
const versionCache = new Map<string, JourneyVersionDoc>();

async function liveVersion(s: Store, workspaceId: string, journeyId: string, version: number) {
  const key = `${workspaceId}|${journeyId}|${version}`;
  let v = versionCache.get(key);
  if (!v) {
    v = (await getVersion(s, workspaceId, journeyId, version)) ?? undefined;
    if (v) {
      if (versionCache.size > 1000) versionCache.delete(versionCache.keys().next().value!);
      versionCache.set(key, v);
    }
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

export async function ingestEvent(d: EngineDeps, workspaceId: string, event: ContactEvent, opts: { dryRun?: boolean } = {}): Promise<IngestResult> {
  // HTTP bodies are checked before they get here; engine-made events (follow-ups, broadcasts) are checked here.
  assertStorable(event, LIMITS.event);
  const now = new Date();
  const { contact, created } = await resolveContact(d.store, workspaceId, { channel: event.channel, handle: event.handle }, now);
  // The stored interaction keeps the text analysis exactly as filter nodes and POST /analyze compute it.
  const analysis = event.text ? analyzeText(event.text) : undefined;
  const { duplicate } = await storeEvent(d.store, workspaceId, contact._id, event, now, analysis && analysisView(analysis));
  const result: IngestResult = { eventId: event.id, contactId: contact._id, contactCreated: created, duplicate, enrolled: [], signalled: [], skipped: [] };

  const live = await liveJourneys(d.store, workspaceId);
  const candidates: { journey: JourneyVersionDoc; triggerNodeId: string }[] = [];
  for (const j of live.filter((x) => x.liveTriggerTypes.includes(event.type))) {
    const version = await liveVersion(d.store, workspaceId, j._id, j.liveVersion!);
    const triggerNodeId = version && matchingTrigger(version.compiled, event, contact, now);
    if (version && triggerNodeId) candidates.push({ journey: version, triggerNodeId });
  }
  // The contact's running enrollments are read only when someone needs them: a run that may wait for this
  // contact's events (wait-for-event, goals), or a journey this event would enter that admits one run at a time.
  const needsActive = (!created && (await runsMayWaitForEvents(d.store, workspaceId)))
    || candidates.some((c) => (c.journey.compiled.settings.reentry ?? 'after_exit') === 'after_exit');
  const active = needsActive && !created ? await activeEnrollmentsOf(d.store, workspaceId, contact._id) : [];

  // Signal first: a run this event starts must not also receive it as a reply to itself.
  for (const e of active) {
    if (e._id.startsWith('test:')) continue; // test runs get their events from the test-run panel
    try {
      await d.temporal.workflow.getHandle(e._id).signal(contactEventSignal, event);
      result.signalled.push(e._id);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // An enrollment whose run never started (the process died between the two writes): start it now.
      if (await recoverRun(d, e, contact, now)) result.signalled.push(e._id);
    }
  }

  for (const { journey: version, triggerNodeId } of candidates) {
    const outcome = await enroll(d, version, contact, active, event, triggerNodeId, opts.dryRun ?? false, now);
    if (outcome.enrolled) result.enrolled.push({ journeyId: version.journeyId, version: version.version, enrollmentId: outcome.id });
    else result.skipped.push({ journeyId: version.journeyId, reason: outcome.reason });
  }
  if (!duplicate) {
    if (created && event.type !== 'contact.created') {
      await emitContactEvent(d, ingestEvent, contact, 'contact.created', `contact.created:${contact._id}`, { channel: event.channel, handle: event.handle, firstEventId: event.id }, now);
    }
    await observeForCrisis(d, ingestEvent, workspaceId, event, analysis);
  }
  return result;
}

function runInput(v: JourneyVersionDoc, contact: ContactDoc, enrollmentId: string, event: ContactEvent, triggerNodeId: string, dryRun: boolean): JourneyRunInput {
  return {
    ref: { workspaceId: v.workspaceId, journeyId: v.journeyId, version: v.version, enrollmentId, contactId: contact._id },
    journey: v.compiled, triggerNodeId, trigger: event, dryRun,
    contactTimezone: isTimeZone(contact.profile.timezone) ? contact.profile.timezone : undefined,
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
  };
  const triggerNodeId = matchingTrigger(v.compiled, trigger, contact, now) ?? v.compiled.triggers[0];
  return startRun(d, runInput(v, contact, e._id, trigger, triggerNodeId, false));
}

async function enroll(d: EngineDeps, v: JourneyVersionDoc, contact: ContactDoc, active: { journeyId: string }[], event: ContactEvent, triggerNodeId: string, dryRun: boolean, now: Date) {
  const reentry = v.compiled.settings.reentry ?? 'after_exit';
  if (reentry === 'after_exit' && active.some((e) => e.journeyId === v.journeyId)) {
    return { enrolled: false as const, reason: 'already_in_journey' };
  }
  const entryKey = reentry === 'never' ? 'once' : `event:${event.id}`;
  const id = enrollmentId(v.journeyId, contact._id, entryKey);
  const inserted = await insertEnrollment(d.store, {
    _id: id, workspaceId: v.workspaceId, journeyId: v.journeyId, version: v.version, contactId: contact._id,
    triggerEventId: event.id, entryKey, status: 'active', startedAt: now,
  });
  if (inserted === 'exists') {
    const existing = await d.store.enrollments.findOne({ _id: id }, { projection: { status: 1 } });
    if (existing && existing.status !== 'active') return { enrolled: false as const, reason: reentry === 'never' ? 'entered_before' : 'already_enrolled_by_this_event' };
  }
  // Started even when the enrollment row existed: a crash between the two writes must not strand it.
  if (!(await startRun(d, runInput(v, contact, id, event, triggerNodeId, dryRun)))) {
    return { enrolled: false as const, reason: reentry === 'never' ? 'entered_before' : 'already_enrolled_by_this_event' };
  }
  return { enrolled: true as const, id };
}

/**
 * Ingests many events (a batch, a broadcast page): events of one contact in their order, different contacts side
 * by side, at most `concurrency` at a time. Results come back in the events' order.
 */
export async function ingestMany(d: EngineDeps, workspaceId: string, events: ContactEvent[], concurrency = 16): Promise<IngestResult[]> {
  const results: IngestResult[] = new Array(events.length);
  const byContact = new Map<string, number[]>();
  events.forEach((e, i) => {
    const key = `${e.channel.trim().toLowerCase()}|${e.handle.trim().toLowerCase()}`;
    (byContact.get(key) ?? byContact.set(key, []).get(key)!).push(i);
  });
  const queues = [...byContact.values()];
  let next = 0;
  const lane = async () => {
    while (next < queues.length) {
      for (const i of queues[next++]) results[i] = await ingestEvent(d, workspaceId, events[i]);
    }
  };
  const lanes = Array.from({ length: Math.min(concurrency, queues.length) }, lane);
  const settled = await Promise.allSettled(lanes);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results;
}
