/**
 * A stretch: consecutive nodes that neither wait nor need a long retry schedule, run as one local activity. One
 * contact read, the nodes in order against an in-memory snapshot (later nodes see earlier effects), sends through
 * the outbox ledger as they happen, then the writes: the steps in one insert, the effects in one atomic update of
 * the contact (guarded by the stretch's key), the counters in one `$inc`, and the enrollment's end when the run
 * ends here. A retried stretch writes no step twice and sends nothing twice: steps are keyed by seq, effects by
 * the stretch key, sends by their outbox rows; if the effects were already applied, the recorded steps are
 * followed instead of running the nodes again.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ContactEvent } from '../nodes/contract';
import { applyEffects, newContactDoc, normalizeIdentity } from '../core/store/contacts';
import type { Store } from '../core/store/db';
import type { ContactDoc, StepDoc } from '../core/store/documents';
import { effectEvents, type FollowUpEvent } from '../core/store/internal-events';
import { addToStats, holdStats, markRecountNeeded } from '../core/store/journey-stats';
import { finishEnrollment, recordSteps, writeRunEnrollment } from '../core/store/enrollments';
import type { EnrollmentRef, RecordedWait } from './activities.types';
import type { EnrollmentSeed } from './model/journey-run';
import { durationMs, type Duration } from '../nodes/duration';
import type { CompiledJourney, CompiledNode } from './model/compile-journey';
import { stretchable } from './model/stretchable';
import { applyToSnapshot, executeNode, snapshotOf, stepOf, type NodeExecutionDeps, type NodeOutcome } from './node-execution';

export interface RunStretchInput {
  ref: EnrollmentRef;
  journey: CompiledJourney;
  startNodeId: string;
  /** The seq of the first node; each node takes the next. */
  seq: number;
  visits: Record<string, number>;
  trigger: ContactEvent;
  event: ContactEvent;
  dryRun?: boolean;
  /** The first node waited (quiet hours) under `seq`: its step completes that waiting record. */
  completesWait?: boolean;
  /** Quiet hours are set: stop before a response node, so the workflow can wait for them to end. */
  stopBeforeResponse?: boolean;
  maxSteps: number;
  /** Attempts of the local activity (the last one records a transient failure on the node instead of throwing). */
  maximumAttempts: number;
  /** A timed wait where the stretch stops is recorded with its steps (the workflow then only sets its timer). */
  recordsWait?: boolean;
  /**
   * The trigger created the contact at this time and this is the run's first stretch: the contact is the new one
   * (the trigger's identity, nothing else set), so it is not read back. A retry starts from the same contact, so it
   * takes the same path; its steps, effects and sends are keyed as any retry's.
   */
  contactCreatedAt?: number;
  /** The run's first stretch, of a run that writes its own enrollment: inserted here, ended or still active. */
  enrollment?: EnrollmentSeed;
}

export interface RunStretchOutput {
  /** Nodes run (seqs taken). */
  steps: number;
  visits: Record<string, number>;
  /** Where the workflow goes on (a flow node, a node run on its own, or the step limit was reached). */
  next?: string;
  /** The run ended in this stretch, and its enrollment is finished. */
  finished?: { status: 'completed' | 'failed'; outcome: string };
  /** `next` is a timed wait whose waiting step this stretch recorded (recordsWait). */
  waiting?: RecordedWait;
}

export interface StretchDeps extends NodeExecutionDeps {
  /** Ingests follow-up events (score.changed, tag.added…) after the stretch's writes. */
  followUps(contact: { workspaceId: string; identities: { channel: string; handle: string }[] }, events: FollowUpEvent[]): Promise<void>;
}

export async function runStretch(d: StretchDeps, input: RunStretchInput): Promise<RunStretchOutput> {
  const { ref, journey } = input;
  const stretchKey = `${ref.enrollmentId}:s${input.seq}`;
  // The contact is read when the first node that is not a trigger runs: a stretch of a trigger alone (a drip's
  // entry, before its wait) neither reads nor changes it. A stretch whose effects an earlier attempt applied is
  // followed from its recorded steps instead (nothing before the first such node has effects).
  let loaded: { contact: ContactDoc; snapshot: ReturnType<typeof snapshotOf> } | undefined;
  const load = async () => {
    const contact = input.contactCreatedAt !== undefined
      ? newContactDoc(ref.workspaceId, ref.contactId, normalizeIdentity({ channel: input.trigger.channel, handle: input.trigger.handle }), new Date(input.contactCreatedAt))
      : await d.store.contacts.findOne({ _id: ref.contactId, workspaceId: ref.workspaceId });
    if (!contact) throw ApplicationFailure.nonRetryable(`contact ${ref.contactId} no longer exists`, 'NodeError');
    return contact.appliedEffects?.includes(stretchKey) ? undefined : { contact, snapshot: snapshotOf(contact) };
  };

  const visits = { ...input.visits };
  const steps: StepDoc[] = [];
  const effects: NodeOutcome['effects'] = [];
  const followUps: FollowUpEvent[] = [];
  const lastAttempt = () => Context.current().info.attempt >= input.maximumAttempts;
  let event = input.event;
  let nodeId = input.startNodeId;
  let finished: RunStretchOutput['finished'];
  let next: string | undefined;
  let waiting: RecordedWait | undefined;

  for (;;) {
    const node = journey.nodes[nodeId];
    if (!node) { finished = { status: 'failed', outcome: `missing node ${nodeId}` }; break; }
    if (steps.length && stopsStretch(node, input, steps.length)) {
      next = nodeId;
      // A timed wait (not the step limit, where the run continues as new) is recorded here, as the workflow would.
      if (input.recordsWait && node.flow === 'wait' && steps.length < input.maxSteps) {
        const seq = input.seq + steps.length;
        const resumeAt = Date.now() + durationMs((node.config as { duration: Duration }).duration);
        steps.push(stepOf(ref, node, seq, { outcome: 'waiting', resumeAt: new Date(resumeAt) }));
        waiting = { nodeId: node.id, seq, resumeAt };
      }
      break;
    }
    const seq = input.seq + steps.length;
    const visit = (visits[node.id] = (visits[node.id] ?? 0) + 1);
    let port: string;
    if (node.category === 'trigger') {
      port = 'next';
      steps.push(stepOf(ref, node, seq, { outcome: 'done', port, output: { eventId: input.trigger.id, eventType: input.trigger.type } }));
    } else {
      if (!loaded) {
        loaded = await load();
        if (!loaded) return resume(d.store, input);
      }
      const { contact, snapshot } = loaded;
      let out: NodeOutcome;
      try {
        out = await executeNode(d, {
          ref, node, seq, visit, trigger: input.trigger, event, contact, snapshot, dryRun: input.dryRun,
          frequencyCap: journey.settings.frequencyCap, lastAttempt, followUps,
        });
      } catch (err) {
        if (!lastAttempt() || (err instanceof ApplicationFailure && err.nonRetryable)) throw err;
        // Retries are exhausted: record the failure on the node where the marketer will look.
        const error = { code: 'activity_failed', message: (err as Error).message };
        steps.push(stepOf(ref, node, seq, { outcome: 'error', error }));
        finished = { status: 'failed', outcome: `${node.id}:activity_failed` };
        break;
      }
      port = out.port;
      steps.push(out.step);
      for (const e of out.effects) {
        effects.push(e);
        applyToSnapshot(snapshot, e.effect);
      }
      if (out.error && !journey.next[`${node.id}:error`]) {
        finished = { status: 'failed', outcome: `${node.id}:${out.error.code}` };
        break;
      }
    }
    const to = journey.next[`${node.id}:${port}`];
    if (!to) { finished = { status: 'completed', outcome: `${node.id}:${port}` }; break; }
    nodeId = to;
  }

  // Named in the process's counter lease from before the records until their counts are applied (stats-batch.ts).
  const release = await holdStats(d.store, ref);
  try {
    const delta = await recordSteps(d.store, steps, { completesWait: input.completesWait });
    if (effects.length && loaded) {
      const after = await applyEffects(d.store, ref.workspaceId, ref.contactId, stretchKey, effects);
      if (after && !input.dryRun) await d.followUps(after, effectEvents(loaded.contact, after, effects));
    }
    // Events the sends gave rise to (a refused email's message.failed): ids keyed by the outbox row, so once.
    if (followUps.length && loaded && !input.dryRun) await d.followUps(loaded.contact, followUps);
    await finishOrCount(d.store, input, finished, delta);
  } finally {
    release();
  }
  // `steps` counts the nodes run: a recorded wait's step is the workflow's to take.
  return { steps: steps.length - (waiting ? 1 : 0), visits, next, finished, ...(waiting ? { waiting } : {}) };
}

async function finishOrCount(store: Store, input: RunStretchInput, finished: RunStretchOutput['finished'], delta: Record<string, number>) {
  const { ref, enrollment } = input;
  if (enrollment) await writeRunEnrollment(store, ref, enrollment, finished && { ...finished, at: new Date() }, delta);
  else if (finished) await finishEnrollment(store, ref.workspaceId, ref.enrollmentId, finished.status, finished.outcome, new Date(), delta, ref);
  else await addToStats(store, ref, delta);
}

/** Where a stretch that has taken `taken` steps stops (the workflow goes on at this node). */
function stopsStretch(node: CompiledNode, input: RunStretchInput, taken: number): boolean {
  return !stretchable(node) || (!!input.stopBeforeResponse && node.category === 'response') || taken >= input.maxSteps;
}

/**
 * The stretch's effects were applied by an earlier attempt (which then died): its steps were written before them,
 * so the path is read back from the steps instead of running the nodes again on a contact they already changed.
 */
async function resume(store: Store, input: RunStretchInput): Promise<RunStretchOutput> {
  const { ref, journey } = input;
  const recorded = await store.steps.find({ workspaceId: ref.workspaceId, enrollmentId: ref.enrollmentId, seq: { $gte: input.seq } }).sort({ seq: 1 }).toArray();
  const visits = { ...input.visits };
  let finished: RunStretchOutput['finished'];
  let next: string | undefined;
  let nodeId = input.startNodeId;
  let steps = 0;
  let waiting: RecordedWait | undefined;
  for (const st of recorded) {
    const node = journey.nodes[st.nodeId];
    // The stretch ended where the run went on without it: a flow or isolated node (whose steps come later), or
    // a timed wait whose step it recorded.
    if (st.nodeId !== nodeId || !node || (steps && stopsStretch(node, input, steps))) {
      if (input.recordsWait && node?.flow === 'wait' && st.nodeId === nodeId && st.outcome === 'waiting' && st.resumeAt) {
        waiting = { nodeId: st.nodeId, seq: st.seq, resumeAt: st.resumeAt.getTime() };
      }
      break;
    }
    steps++;
    visits[st.nodeId] = (visits[st.nodeId] ?? 0) + 1;
    const port = st.port ?? 'error';
    const to = journey.next[`${st.nodeId}:${port}`];
    if (st.outcome === 'error' && !to) { finished = { status: 'failed', outcome: `${st.nodeId}:${st.error?.code ?? 'error'}` }; break; }
    if (!to) { finished = { status: 'completed', outcome: `${st.nodeId}:${port}` }; break; }
    nodeId = to;
    next = to;
  }
  if (finished) next = undefined;
  // The steps are written before the effects, so they are there; if not, something else wrote this key.
  if (!steps) throw new Error(`stretch ${ref.enrollmentId}:s${input.seq} was applied but its steps are missing`);
  await markRecountNeeded(store, ref); // the earlier attempt may have died before its counters
  await finishOrCount(store, input, finished, {});
  return { steps, visits, next, finished, ...(waiting && next === waiting.nodeId ? { waiting } : {}) };
}
