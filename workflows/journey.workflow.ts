/**
 * The interpreter: one execution per enrollment (journey version × contact × entry). It receives the compiled
 * journey version whole, walks it with timers, signals and seeded randomness, and calls activities for all I/O.
 * Deterministic by construction: no Node APIs, no clocks but workflow time, no database reads.
 */
import {
  ActivityFailure, condition, continueAsNew, log, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { ContactEvent } from '../nodes/contract';
import { evaluateConditions, type ConditionGroup } from '../nodes/conditions';
import { durationMs, type Duration } from '../nodes/duration';
import type { createActivities } from './activities';
import type { FinishInput, RecordedWait } from './activities.types';
import type { CompiledNode } from './model/compile-journey';
import { contactEventSignal, fastForwardSignal, type JourneyRunInput, type JourneyRunResult, type ResumeState } from './model/journey-run';
import { stretchable } from './model/stretchable';
import { nextWindowStart, quietHoursEnd } from '../nodes/time-window';

type Activities = ReturnType<typeof createActivities>;

const SEEN_EVENTS_KEPT = 200;
const STEPS_BEFORE_CONTINUE_AS_NEW = 500;

const bookkeeping = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});
const finishing = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { maximumInterval: '1m' } });

/** Runs that record this marker walk non-waiting nodes in stretches (one local activity each) instead of one by one. */
export const STRETCHES_PATCH = 'stretches-v1';
/**
 * Runs that record this marker let a stretch that stops at a timed wait record the wait's step too (with the
 * resume time it computed), so a drip's entry is one local activity instead of two.
 */
export const WAITS_IN_STRETCHES_PATCH = 'waits-in-stretches-v1';
const STRETCH_ATTEMPTS = 5;
const stretches = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: STRETCH_ATTEMPTS, nonRetryableErrorTypes: ['NodeError'] },
});

function nodeActivities(node: CompiledNode): Activities {
  const { timeoutMs, retry, pure } = node.execution;
  const options: ActivityOptions = {
    startToCloseTimeout: timeoutMs,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      nonRetryableErrorTypes: ['NodeError'],
    },
  };
  return pure ? proxyLocalActivities<Activities>(options) : proxyActivities<Activities>(options);
}

function matchesEvent(e: ContactEvent, spec: { eventTypes: string[]; conditions?: ConditionGroup }, trigger: ContactEvent, now: Date): boolean {
  if (!spec.eventTypes.includes(e.type)) return false;
  return !spec.conditions || evaluateConditions(spec.conditions, { event: e, trigger }, now).result;
}

export async function journeyRun(input: JourneyRunInput): Promise<JourneyRunResult> {
  const { ref, journey, trigger } = input;
  const settings = journey.settings;
  const state: ResumeState = input.resume ?? {
    nodeId: input.triggerNodeId, seq: 0, visits: {}, event: trigger, seenEventIds: [trigger.id], inbox: [],
  };
  let goalEvent: ContactEvent | undefined;
  let fastForwards = 0;
  /** The seq under which a waiting step was recorded: the next record of that seq completes it. */
  let waitedSeq = -1;
  let stepsThisRun = 0;
  /** The wait step the last stretch recorded where it stopped (its node, seq and resume time). */
  let waitRecorded: RecordedWait | undefined;

  setHandler(contactEventSignal, (e) => {
    if (state.seenEventIds.includes(e.id)) return; // the same event delivered twice counts once
    state.seenEventIds.push(e.id);
    if (state.seenEventIds.length > SEEN_EVENTS_KEPT) state.seenEventIds.shift();
    if (settings.goal && matchesEvent(e, settings.goal as { eventTypes: string[]; conditions?: ConditionGroup }, trigger, new Date())) goalEvent = e;
    state.inbox.push(e);
  });
  setHandler(fastForwardSignal, () => void fastForwards++);

  // Through the worker's logger sink (not recorded in history): every line names the workspace, journey and contact.
  const logged = { workspaceId: ref.workspaceId, journeyId: ref.journeyId, version: ref.version, contactId: ref.contactId };
  const ended = (status: FinishInput['status'], outcome: string): JourneyRunResult => {
    (status === 'failed' ? log.warn : log.info)('journey run ended', { ...logged, status, outcome, steps: state.seq });
    return { status, outcome, steps: state.seq };
  };
  const finish = async (status: FinishInput['status'], outcome: string): Promise<JourneyRunResult> => {
    await finishing.finishEnrollment({ ref, status, outcome, at: Date.now(), ...(input.enrollment ? { enrollment: input.enrollment } : {}) });
    return ended(status, outcome);
  };

  /** Waits until `until` (epoch ms); returns how the wait ended. */
  const waitUntil = async (node: CompiledNode, until: number, extra?: () => boolean, recorded = false): Promise<'time' | 'goal' | 'event'> => {
    const ff = fastForwards;
    waitedSeq = state.seq;
    if (!recorded) await bookkeeping.recordStep({ ref, nodeId: node.id, nodeType: node.type, seq: state.seq, outcome: 'waiting', at: Date.now(), resumeAt: until });
    const ended = await condition(() => goalEvent !== undefined || fastForwards > ff || (extra?.() ?? false), Math.max(until - Date.now(), 1));
    if (goalEvent) return 'goal';
    if (ended && extra?.()) return 'event';
    return 'time';
  };

  const exitOnGoal = async (node: CompiledNode) => {
    await bookkeeping.recordStep({ ref, nodeId: node.id, nodeType: node.type, seq: state.seq, outcome: 'exited', completesWait: waitedSeq === state.seq, at: Date.now(), output: { reason: 'goal', eventId: goalEvent!.id } });
    return finish('converted', `goal:${goalEvent!.type}`);
  };

  const stepLimit = input.maxStepsPerRun ?? STEPS_BEFORE_CONTINUE_AS_NEW;
  // Bounded: every pass takes at least one step, and the run continues as new at the step limit.
  for (let pass = 0; pass <= stepLimit; pass++) {
    const node = journey.nodes[state.nodeId];
    if (!node) return finish('failed', `missing node ${state.nodeId}`);
    if (!goalEvent && stretchable(node) && patched(STRETCHES_PATCH)) {
      let completesWait = waitedSeq === state.seq + 1;
      if (node.category === 'response' && settings.quietHours) {
        const q = settings.quietHours;
        const until = quietHoursEnd(new Date(), q, q.timezone ?? settings.timezone ?? 'UTC').getTime();
        if (until > Date.now()) {
          const seqBefore = state.seq;
          state.seq++; // the quiet-hours wait is recorded under the node's own seq
          const how = await waitUntil(node, until);
          if (how === 'goal') return exitOnGoal(node);
          state.seq = seqBefore;
          completesWait = true;
        }
      }
      const recordsWait = patched(WAITS_IN_STRETCHES_PATCH);
      let out;
      try {
        out = await stretches.runStretch({
          ref, journey, startNodeId: node.id, seq: state.seq + 1, visits: state.visits, trigger, event: state.event, dryRun: input.dryRun,
          completesWait, stopBeforeResponse: !!settings.quietHours, maxSteps: Math.max(1, stepLimit - stepsThisRun), maximumAttempts: STRETCH_ATTEMPTS,
          ...(recordsWait ? { recordsWait } : {}),
          // The run's first stretch of a contact its trigger created: the contact as created, not read back.
          ...(input.contactCreatedAt !== undefined && !input.resume && state.seq === 0 ? { contactCreatedAt: input.contactCreatedAt } : {}),
          // A run that writes its own enrollment does so in its first stretch.
          ...(input.enrollment && !input.resume && state.seq === 0 ? { enrollment: input.enrollment } : {}),
        });
      } catch (err) {
        const message = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String(err);
        state.seq++;
        await bookkeeping.recordStep({ ref, nodeId: node.id, nodeType: node.type, seq: state.seq, outcome: 'error', completesWait, at: Date.now(), error: { code: 'activity_failed', message } });
        return finish('failed', `${node.id}:activity_failed`);
      }
      state.seq += out.steps;
      stepsThisRun += out.steps;
      state.visits = out.visits;
      waitRecorded = out.waiting;
      if (out.finished) return ended(out.finished.status, out.finished.outcome);
      state.nodeId = out.next!;
      if (stepsThisRun >= stepLimit || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof journeyRun>({ ...input, resume: state });
      }
      continue;
    }
    state.seq++;
    stepsThisRun++;
    const visit = (state.visits[node.id] = (state.visits[node.id] ?? 0) + 1);
    let port: string | undefined;

    if (goalEvent) return exitOnGoal(node);

    if (node.category === 'trigger') {
      port = 'next';
      await bookkeeping.recordStep({ ref, nodeId: node.id, nodeType: node.type, seq: state.seq, outcome: 'done', port, at: Date.now(), output: { eventId: trigger.id, eventType: trigger.type } });
    } else if (node.flow) {
      const config = node.config as Record<string, unknown>;
      switch (node.flow) {
        case 'wait': {
          // Recorded by the stretch that led here (same node, same seq): its resume time is the one on the step.
          const pre = waitRecorded?.nodeId === node.id && waitRecorded.seq === state.seq ? waitRecorded : undefined;
          const how = await waitUntil(node, pre?.resumeAt ?? Date.now() + durationMs(config.duration as Duration), undefined, pre !== undefined);
          if (how === 'goal') return exitOnGoal(node);
          port = 'next';
          break;
        }
        case 'wait-until': {
          const tz = config.timezone === 'contact' || !config.timezone ? (input.contactTimezone ?? settings.timezone ?? 'UTC') : (config.timezone as string);
          const opens = nextWindowStart(new Date(), config as unknown as { days: number[]; start: string; end: string }, tz).getTime();
          if (opens > Date.now()) {
            const how = await waitUntil(node, opens);
            if (how === 'goal') return exitOnGoal(node);
          }
          port = 'next';
          break;
        }
        case 'wait-for-event': {
          const spec = config as unknown as { eventTypes: string[]; conditions?: ConditionGroup; sameThread?: boolean; timeout: Duration };
          state.inbox = []; // only what happens after the contact reached this node counts
          const thread = state.event.threadId ?? trigger.threadId;
          let received: ContactEvent | undefined;
          const arrived = () => {
            received ??= state.inbox.find((e) => matchesEvent(e, spec, trigger, new Date()) && (!spec.sameThread || (thread !== undefined && e.threadId === thread)));
            return received !== undefined;
          };
          const how = await waitUntil(node, Date.now() + durationMs(spec.timeout), arrived);
          if (how === 'goal') return exitOnGoal(node);
          port = how === 'event' ? 'received' : 'timed_out';
          if (received) state.event = received;
          state.inbox = [];
          break;
        }
        case 'split': {
          const branches = config.branches as { id: string; weight: number }[];
          const total = branches.reduce((sum, b) => sum + b.weight, 0);
          let roll = Math.random() * total; // seeded by Temporal: replays pick the same branch
          port = branches[branches.length - 1].id;
          for (const b of branches) {
            if ((roll -= b.weight) < 0) { port = b.id; break; }
          }
          break;
        }
        case 'goal':
          await bookkeeping.recordStep({ ref, nodeId: node.id, nodeType: node.type, seq: state.seq, outcome: 'exited', at: Date.now(), output: { reason: 'goal_node' } });
          return finish('converted', `goal_node:${node.id}`);
        case 'end':
          await bookkeeping.recordStep({ ref, nodeId: node.id, nodeType: node.type, seq: state.seq, outcome: 'exited', at: Date.now() });
          return finish('completed', `end:${node.id}`);
      }
      // For waits this completes the step recorded as waiting (same seq): the node's waiting count drops.
      await bookkeeping.recordStep({ ref, nodeId: node.id, nodeType: node.type, seq: state.seq, outcome: 'done', completesWait: waitedSeq === state.seq, port, at: Date.now() });
    } else {
      if (node.category === 'response' && settings.quietHours) {
        const q = settings.quietHours;
        const until = quietHoursEnd(new Date(), q, q.timezone ?? settings.timezone ?? 'UTC').getTime();
        if (until > Date.now() && (await waitUntil(node, until)) === 'goal') return exitOnGoal(node);
      }
      try {
        const out = await nodeActivities(node).runNode({
          ref, node, seq: state.seq, visit, trigger, event: state.event, settings: { frequencyCap: settings.frequencyCap }, dryRun: input.dryRun,
          completesWait: waitedSeq === state.seq,
        });
        if (out.error) {
          if (!journey.next[`${node.id}:error`]) return finish('failed', `${node.id}:${out.error.code}`);
        }
        port = out.port;
      } catch (err) {
        // Retries are exhausted (or the failure is not retryable): record it where the marketer will look.
        const message = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String(err);
        await bookkeeping.recordStep({ ref, nodeId: node.id, nodeType: node.type, seq: state.seq, outcome: 'error', completesWait: waitedSeq === state.seq, at: Date.now(), error: { code: 'activity_failed', message } });
        return finish('failed', `${node.id}:activity_failed`);
      }
    }

    const next = journey.next[`${node.id}:${port}`];
    if (!next) return finish('completed', `${node.id}:${port}`);
    state.nodeId = next;

    if (stepsThisRun >= stepLimit || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof journeyRun>({ ...input, resume: state });
    }
  }
  return continueAsNew<typeof journeyRun>({ ...input, resume: state });
}
