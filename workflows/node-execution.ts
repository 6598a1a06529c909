/**
 * Runs one node's `run` against a contact snapshot: the part shared by a node run as its own activity and by a
 * stretch of nodes run in one. Returns the step to record and the effects to apply; applies nothing itself.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { NodeError, type ContactEvent, type ContactSnapshot, type Effect, type RunContext } from '../nodes/contract';
import type { Duration } from '../nodes/duration';
import { portsOf } from '../nodes/ports';
import type { NodeRegistry } from '../nodes/registry';
import type { ChannelRegistry } from '../core/channels/channel-adapter';
import { timelineEffect } from '../core/store/contacts';
import type { Store } from '../core/store/db';
import type { ContactDoc, StepDoc } from '../core/store/documents';
import type { EnrollmentRef } from './activities.types';
import type { CompiledNode } from './model/compile-journey';
import { createNodeServices } from './node-services';
import type { FollowUpEvent } from '../core/store/internal-events';

export function snapshotOf(c: ContactDoc): ContactSnapshot {
  return {
    id: c._id, workspaceId: c.workspaceId, identities: c.identities, profile: { ...c.profile }, tags: [...c.tags], scores: { ...c.scores },
    consent: Object.fromEntries(Object.entries(c.consent ?? {}).map(([k, v]) => [k, { ...v, at: new Date(v.at).toISOString() }])),
    segments: [...(c.segments ?? [])], createdAt: c.createdAt.toISOString(),
  };
}

/** What later nodes of the same stretch see: the effects of earlier ones, as the store will apply them. */
export function applyToSnapshot(c: ContactSnapshot, effect: Effect): void {
  switch (effect.kind) {
    case 'score': c.scores[effect.name] = (c.scores[effect.name] ?? 0) + effect.delta; break;
    case 'contact.set': Object.assign(c.profile, effect.fields); break;
    case 'contact.tags':
      c.tags = [...new Set([...c.tags, ...(effect.add ?? [])])].filter((t) => !(effect.remove ?? []).includes(t));
      break;
    case 'segments':
      c.segments = [...new Set([...(c.segments ?? []), ...(effect.add ?? [])])].filter((t) => !(effect.remove ?? []).includes(t));
      break;
  }
}

export interface NodeExecutionDeps { store: Store; registry: NodeRegistry; channels: ChannelRegistry }

export interface NodeExecution {
  ref: EnrollmentRef;
  node: CompiledNode;
  seq: number;
  visit: number;
  trigger: ContactEvent;
  event: ContactEvent;
  contact: ContactDoc;
  snapshot: ContactSnapshot;
  frequencyCap?: { max: number; per: Duration };
  dryRun?: boolean;
  lastAttempt: () => boolean;
  /** Where the node's sends put the events they give rise to (a refused email's message.failed), to ingest after the writes. */
  followUps?: FollowUpEvent[];
}

export interface NodeOutcome {
  port: string;
  step: StepDoc;
  effects: { effect: Effect; key: string }[];
  /** The idempotency key of the node's effects and sends. */
  key: string;
  error?: { code: string; message: string };
}

export function idempotencyKeyOf(ref: EnrollmentRef, node: CompiledNode, visit: number): string {
  return node.execution.idempotency === 'enrollment' ? `${ref.enrollmentId}:${node.id}` : `${ref.enrollmentId}:${node.id}:${visit}`;
}

export function stepOf(ref: EnrollmentRef, node: Pick<CompiledNode, 'id' | 'type'>, seq: number, rest: Pick<StepDoc, 'outcome'> & Partial<StepDoc>): StepDoc {
  return {
    _id: `${ref.enrollmentId}|${seq}`, workspaceId: ref.workspaceId, enrollmentId: ref.enrollmentId, journeyId: ref.journeyId,
    version: ref.version, contactId: ref.contactId, seq, nodeId: node.id, nodeType: node.type, at: new Date(), ...rest,
  };
}

/** Runs the node. A NodeError becomes the `error` port; any other error is transient and thrown for a retry. */
export async function executeNode(d: NodeExecutionDeps, x: NodeExecution): Promise<NodeOutcome> {
  const { ref, node } = x;
  const manifest = d.registry.get(node.type, node.version);
  const runtime = d.registry.runtime(node.type, node.version);
  if (!manifest || !runtime) {
    throw ApplicationFailure.nonRetryable(`node type ${node.type}@${node.version} is not installed on this worker`, 'NodeError');
  }
  const key = idempotencyKeyOf(ref, node, x.visit);
  const ctx: RunContext<unknown> = {
    config: node.config, contact: x.snapshot, trigger: x.trigger, event: x.event,
    journey: { workspaceId: ref.workspaceId, journeyId: ref.journeyId, version: ref.version, nodeId: node.id, enrollmentId: ref.enrollmentId },
    idempotencyKey: key, now: new Date(),
    services: createNodeServices({
      store: d.store, channels: d.channels, ref, nodeId: node.id, contact: x.contact, idempotencyKey: key,
      frequencyCap: x.frequencyCap, dryRun: x.dryRun, lastAttempt: x.lastAttempt, followUps: x.followUps,
    }),
  };
  try {
    const result = await runtime.run(ctx);
    const ports = portsOf(manifest, node.config).map((p) => p.id);
    if (!ports.includes(result.port)) throw new NodeError('unknown_port', `node returned port "${result.port}", which it does not declare`);
    const effects = (result.effects ?? []).map((effect, i) => ({ effect, key: `${key}:e${i}` }));
    return {
      port: result.port, key, effects,
      step: stepOf(ref, node, x.seq, {
        outcome: 'done', port: result.port, evaluated: result.evaluated, output: result.output,
        ...(effects.length ? { effects: effects.map((e) => timelineEffect(e.effect, e.key)) } : {}),
      }),
    };
  } catch (err) {
    if (!(err instanceof NodeError)) throw err;
    const error = { code: err.code, message: err.message };
    return { port: 'error', key, error, effects: [], step: stepOf(ref, node, x.seq, { outcome: 'error', port: 'error', error }) };
  }
}
