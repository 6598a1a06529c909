/**
 * Event ingestion: resolve the contact, store the event once, signal the contact's waiting runs, and enroll the
 * contact into every live journey whose trigger matches. Safe to repeat for the same event: storage is keyed by
 * event id, workflow ids are deterministic, and runs ignore an event id they have seen.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { evaluateConditions, type ConditionGroup } from '../../nodes/conditions';
import type { ContactEvent } from '../../nodes/contract';
import type { CompiledJourney } from '../../workflows/model/compile-journey';
import { contactEventSignal, type JourneyRunInput } from '../../workflows/journey.workflow';
import { contactView, resolveContact } from '../store/contacts';
import type { Store } from '../store/db';
import type { ContactDoc, JourneyVersionDoc } from '../store/documents';
import { storeEvent } from '../store/interactions';
import { triggerAccepts } from '../../nodes/builtin/triggers/match';
import { analyzeText } from '../../nodes/text/analyze';
import { analysisView } from '../store/analysis';
import { observeForCrisis } from '../store/crisis';
import { emitContactEvent } from '../store/internal-events';
import { getVersion, liveJourneys } from '../store/journeys';
import { addActiveRun, finishEnrollment, insertEnrollment, removeActiveRun } from '../store/runs';

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
  const now = new Date();
  const { contact, created } = await resolveContact(d.store, workspaceId, { channel: event.channel, handle: event.handle }, now);
  // The stored interaction keeps the text analysis exactly as filter nodes and POST /analyze compute it.
  const analysis = event.text ? analyzeText(event.text) : undefined;
  const { duplicate } = await storeEvent(d.store, workspaceId, contact._id, event, now, analysis && analysisView(analysis));
  const result: IngestResult = { eventId: event.id, contactId: contact._id, contactCreated: created, duplicate, enrolled: [], signalled: [], skipped: [] };

  // Signal first: a run this event starts must not also receive it as a reply to itself.
  for (const runId of contact.activeRuns ?? []) {
    try {
      await d.temporal.workflow.getHandle(runId).signal(contactEventSignal, event);
      result.signalled.push(runId);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // The run has ended (or was terminated by an operator): stop treating it as the contact's.
      await finishEnrollment(d.store, workspaceId, runId, 'exited', 'workflow_not_found', now);
      await removeActiveRun(d.store, workspaceId, contact._id, runId);
    }
  }

  for (const j of (await liveJourneys(d.store, workspaceId)).filter((j) => j.liveTriggerTypes.includes(event.type))) {
    const version = await liveVersion(d.store, workspaceId, j._id, j.liveVersion!);
    if (!version) continue;
    const triggerNodeId = matchingTrigger(version.compiled, event, contact, now);
    if (!triggerNodeId) continue;
    const outcome = await enroll(d, version, contact, event, triggerNodeId, opts.dryRun ?? false, now);
    if (outcome.enrolled) result.enrolled.push({ journeyId: j._id, version: version.version, enrollmentId: outcome.id });
    else result.skipped.push({ journeyId: j._id, reason: outcome.reason });
  }
  if (!duplicate) {
    if (created && event.type !== 'contact.created') {
      await emitContactEvent(d, ingestEvent, contact, 'contact.created', `contact.created:${contact._id}`, { channel: event.channel, handle: event.handle, firstEventId: event.id }, now);
    }
    await observeForCrisis(d, ingestEvent, workspaceId, event, analysis);
  }
  return result;
}

async function enroll(d: EngineDeps, v: JourneyVersionDoc, contact: ContactDoc, event: ContactEvent, triggerNodeId: string, dryRun: boolean, now: Date) {
  const reentry = v.compiled.settings.reentry ?? 'after_exit';
  if (reentry === 'after_exit' && (contact.activeRuns ?? []).some((id) => id.startsWith(`journey:${v.journeyId}:`))) {
    return { enrolled: false as const, reason: 'already_in_journey' };
  }
  const entryKey = reentry === 'never' ? 'once' : `event:${event.id}`;
  const id = enrollmentId(v.journeyId, contact._id, entryKey);
  const inserted = await insertEnrollment(d.store, {
    _id: id, workspaceId: v.workspaceId, journeyId: v.journeyId, version: v.version, contactId: contact._id,
    triggerEventId: event.id, entryKey, status: 'active', startedAt: now,
  });
  const input: JourneyRunInput = {
    ref: { workspaceId: v.workspaceId, journeyId: v.journeyId, version: v.version, enrollmentId: id, contactId: contact._id },
    journey: v.compiled, triggerNodeId, trigger: event, dryRun,
    contactTimezone: typeof contact.profile.timezone === 'string' ? contact.profile.timezone : undefined,
  };
  if (inserted === 'exists') {
    const existing = await d.store.enrollments.findOne({ _id: id }, { projection: { status: 1 } });
    if (existing && existing.status !== 'active') return { enrolled: false as const, reason: reentry === 'never' ? 'entered_before' : 'already_enrolled_by_this_event' };
  }
  // Before the start, so a reply that arrives the moment the run begins already finds it.
  await addActiveRun(d.store, v.workspaceId, contact._id, id);
  try {
    // Started even when the enrollment row existed: a crash between the two writes must not strand it.
    await d.temporal.workflow.start('journeyRun', { workflowId: id, taskQueue: d.taskQueue, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { enrolled: false as const, reason: reentry === 'never' ? 'entered_before' : 'already_enrolled_by_this_event' };
  }
  return { enrolled: true as const, id };
}
