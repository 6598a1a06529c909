/**
 * Activities: all I/O of a journey run. Built by a factory so the worker (and tests) inject real dependencies.
 * Each one is safe to retry: effects and steps are keyed by ids the workflow minted.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { NodeRegistry } from '../nodes/registry';
import type { ChannelRegistry } from '../core/channels/channel-adapter';
import { ingestAll } from '../core/engine/ingest';
import { applyEffect } from '../core/store/contacts';
import { effectFollowUps, followUpEvents } from '../core/store/internal-events';
import type { Store } from '../core/store/db';
import { finishEnrollment, recordStep, writeRunEnrollment } from '../core/store/enrollments';
import type { FinishInput, RunNodeInput, RunNodeOutput, StepInput } from './activities.types';
import { executeNode, snapshotOf, stepOf } from './node-execution';
import { isLastAttempt } from './node-services';
import { runStretch, type RunStretchInput, type RunStretchOutput } from './stretch';

export interface ActivityDeps {
  store: Store;
  registry: NodeRegistry;
  channels: ChannelRegistry;
}

export function createActivities({ store, registry, channels }: ActivityDeps) {
  const engine = () => {
    const { client, info } = Context.current();
    return { store, temporal: client, taskQueue: info.taskQueue };
  };

  return {
    async recordStep(input: StepInput): Promise<void> {
      const { ref } = input;
      await recordStep(store, stepOf(ref, { id: input.nodeId, type: input.nodeType }, input.seq, {
        outcome: input.outcome, port: input.port, at: new Date(input.at), resumeAt: input.resumeAt ? new Date(input.resumeAt) : undefined,
        output: input.output, error: input.error,
      }), input.completesWait ?? false);
    },

    async finishEnrollment(input: FinishInput): Promise<void> {
      const { ref, enrollment } = input;
      const end = { status: input.status, outcome: input.outcome, at: new Date(input.at) };
      // A run that writes its own enrollment: its row may not exist yet (the first stretch failed before writing it).
      if (enrollment) await writeRunEnrollment(store, ref, enrollment, end, {});
      else await finishEnrollment(store, ref.workspaceId, ref.enrollmentId, end.status, end.outcome, end.at, {}, ref);
    },

    /** Consecutive non-waiting nodes in one local activity (see stretch.ts). */
    async runStretch(input: RunStretchInput): Promise<RunStretchOutput> {
      return runStretch({ store, registry, channels, followUps: async (contact, events) => ingestAll(engine(), contact.workspaceId, await followUpEvents(store, contact, events)) }, input);
    },

    /** One node as its own activity: nodes with their own retry schedule, and runs recorded before stretches. */
    async runNode(input: RunNodeInput): Promise<RunNodeOutput> {
      const { ref, node } = input;
      const contact = await store.contacts.findOne({ _id: ref.contactId, workspaceId: ref.workspaceId });
      if (!contact) throw ApplicationFailure.nonRetryable(`contact ${ref.contactId} no longer exists`, 'NodeError');
      const out = await executeNode({ store, registry, channels }, {
        ref, node, seq: input.seq, visit: input.visit, trigger: input.trigger, event: input.event, contact, snapshot: snapshotOf(contact),
        frequencyCap: input.settings.frequencyCap, dryRun: input.dryRun, lastAttempt: () => isLastAttempt(node.execution.retry.maximumAttempts),
      });
      for (const { effect, key } of out.effects) await applyEffect(store, ref.workspaceId, ref.contactId, key, effect);
      // Score, tag, segment and profile changes can start journeys (score-threshold, tag-added… triggers).
      if (out.effects.length && !input.dryRun) await ingestAll(engine(), ref.workspaceId, await effectFollowUps(store, contact, out.effects.map((e) => e.effect), out.key));
      await recordStep(store, out.step, input.completesWait ?? false);
      return out.error ? { port: 'error', error: out.error } : { port: out.port };
    },
  };
}
