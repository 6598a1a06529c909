/**
 * Activities: all I/O of a journey run. Built by a factory so the worker (and tests) inject real dependencies.
 * Each one is safe to retry: effects and steps are keyed by ids the workflow minted.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { NodeError, type ContactSnapshot, type RunContext } from '../nodes/contract';
import { portsOf } from '../nodes/ports';
import type { NodeRegistry } from '../nodes/registry';
import type { ChannelRegistry } from '../server/channels/channel-adapter';
import { ingestEvent } from '../server/engine/ingest';
import { applyEffect } from '../server/store/contacts';
import { withContactLock } from '../server/store/contact-lock';
import { emitEffectEvents } from '../server/store/internal-events';
import type { Store } from '../server/store/db';
import type { ContactDoc } from '../server/store/documents';
import { finishEnrollment, recordStep, removeActiveRun } from '../server/store/runs';
import type { FinishInput, RunNodeInput, RunNodeOutput, StepInput } from './activities.types';
import { createNodeServices, isLastAttempt } from './node-services';

export interface ActivityDeps {
  store: Store;
  registry: NodeRegistry;
  channels: ChannelRegistry;
}

function snapshot(c: ContactDoc): ContactSnapshot {
  return {
    id: c._id, workspaceId: c.workspaceId, identities: c.identities, profile: c.profile, tags: c.tags, scores: c.scores,
    consent: Object.fromEntries(Object.entries(c.consent ?? {}).map(([k, v]) => [k, { ...v, at: new Date(v.at).toISOString() }])),
    segments: c.segments ?? [], createdAt: c.createdAt.toISOString(),
  };
}

export function createActivities({ store, registry, channels }: ActivityDeps) {
  async function step(input: StepInput & { evaluated?: unknown }) {
    const { ref } = input;
    const completesWait = input.completesWait ?? false;
    await recordStep(store, {
      _id: `${ref.enrollmentId}|${input.seq}`, workspaceId: ref.workspaceId, enrollmentId: ref.enrollmentId, journeyId: ref.journeyId,
      version: ref.version, contactId: ref.contactId, seq: input.seq, nodeId: input.nodeId, nodeType: input.nodeType,
      outcome: input.outcome, port: input.port, at: new Date(input.at), resumeAt: input.resumeAt ? new Date(input.resumeAt) : undefined,
      evaluated: input.evaluated, output: input.output, error: input.error,
    }, completesWait);
  }

  return {
    async recordStep(input: StepInput): Promise<void> {
      await step(input);
    },

    async finishEnrollment(input: FinishInput): Promise<void> {
      // The contact is free for re-entry before the run reads as ended, so "ended" always means re-enterable.
      await removeActiveRun(store, input.ref.workspaceId, input.ref.contactId, input.ref.enrollmentId);
      await finishEnrollment(store, input.ref.workspaceId, input.ref.enrollmentId, input.status, input.outcome, new Date(input.at));
    },

    async runNode(input: RunNodeInput): Promise<RunNodeOutput> {
      const { ref, node } = input;
      const manifest = registry.get(node.type, node.version);
      const runtime = registry.runtime(node.type, node.version);
      if (!manifest || !runtime) {
        throw ApplicationFailure.nonRetryable(`node type ${node.type}@${node.version} is not installed on this worker`, 'NodeError');
      }
      const contact = await store.contacts.findOne({ _id: ref.contactId, workspaceId: ref.workspaceId });
      if (!contact) throw ApplicationFailure.nonRetryable(`contact ${ref.contactId} no longer exists`, 'NodeError');

      const idempotencyKey = node.execution.idempotency === 'enrollment' ? `${ref.enrollmentId}:${node.id}` : `${ref.enrollmentId}:${node.id}:${input.visit}`;
      const ctx: RunContext<unknown> = {
        config: node.config, contact: snapshot(contact), trigger: input.trigger, event: input.event,
        journey: { workspaceId: ref.workspaceId, journeyId: ref.journeyId, version: ref.version, nodeId: node.id, enrollmentId: ref.enrollmentId },
        idempotencyKey, now: new Date(),
        services: createNodeServices({
          store, channels, ref, nodeId: node.id, contact, idempotencyKey, frequencyCap: input.settings.frequencyCap, dryRun: input.dryRun,
          lastAttempt: () => isLastAttempt(node.execution.retry.maximumAttempts),
        }),
      };
      const base = { ref, nodeId: node.id, nodeType: node.type, seq: input.seq, at: Date.now(), completesWait: input.completesWait };
      let result;
      try {
        result = await runtime.run(ctx);
        const ports = portsOf(manifest, node.config).map((p) => p.id);
        if (!ports.includes(result.port)) throw new NodeError('unknown_port', `node returned port "${result.port}", which it does not declare`);
      } catch (err) {
        if (!(err instanceof NodeError)) throw err; // transient: Temporal retries with the node's policy
        const error = { code: err.code, message: err.message };
        await step({ ...base, outcome: 'error', port: 'error', error });
        return { port: 'error', error };
      }
      const source = { journeyId: ref.journeyId, version: ref.version, nodeId: node.id, enrollmentId: ref.enrollmentId };
      const effects = result.effects ?? [];
      if (effects.length) {
        await withContactLock(store, ref.workspaceId, ref.contactId, async () => {
          for (const [i, effect] of effects.entries()) {
            await applyEffect(store, ref.workspaceId, ref.contactId, `${idempotencyKey}:e${i}`, effect, source);
          }
        });
      }
      // Score, tag, segment and profile changes can start journeys (score-threshold, tag-added… triggers).
      if (result.effects?.length && !input.dryRun) {
        const { client, info } = Context.current();
        await emitEffectEvents({ store, temporal: client, taskQueue: info.taskQueue }, ingestEvent, contact, result.effects, idempotencyKey);
      }
      await step({ ...base, at: Date.now(), outcome: 'done', port: result.port, evaluated: result.evaluated, output: result.output });
      return { port: result.port };
    },
  };
}
