/**
 * The node harness: runs one node runtime the way the worker does (config validated against the manifest's
 * schema first, ports checked after), with a recording fake `services`. For unit tests of nodes, built-in or custom.
 */
import type {
  ContactEvent, ContactSnapshot, ExperimentChoice, ExperimentRequest, HttpCallResult, NodeManifest, NodeRuntime, NodeServices,
  OutboundMessage, RunResult, SendResult,
} from './contract';
import { portsOf } from './ports';
import { NodeRegistry } from './registry';

export interface HarnessInput<C> {
  config: C;
  contact?: Partial<ContactSnapshot>;
  event?: Partial<ContactEvent>;
  trigger?: Partial<ContactEvent>;
  now?: Date;
  /** Answers of the fake services (defaults: every send is sent, every HTTP call answers 200 "{}"). */
  send?: (m: OutboundMessage) => SendResult | Promise<SendResult>;
  http?: (req: Parameters<NodeServices['http']>[0]) => HttpCallResult | Promise<HttpCallResult>;
  secrets?: Record<string, string>;
  experiment?: (req: ExperimentRequest) => ExperimentChoice;
}

export interface HarnessResult extends RunResult {
  sent: OutboundMessage[];
  httpCalls: Parameters<NodeServices['http']>[0][];
}

export class ConfigInvalidError extends Error {
  constructor(readonly errors: { path: string; message: string }[]) {
    super(`config is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  }
}

export function testContact(over: Partial<ContactSnapshot> = {}): ContactSnapshot {
  return {
    id: 'c-1', workspaceId: 'ws', identities: [{ channel: 'weibo', handle: '@lily' }], profile: {}, tags: [], scores: {}, consent: {},
    segments: [], createdAt: '2024-01-01T00:00:00.000Z', ...over,
  };
}

export function testEvent(over: Partial<ContactEvent> = {}): ContactEvent {
  return { id: 'evt-1', type: 'social.mention', channel: 'weibo', handle: '@lily', text: '', occurredAt: '2024-06-01T08:00:00.000Z', ...over };
}

export async function runNode<C>(manifest: NodeManifest<any>, runtime: NodeRuntime<C>, input: HarnessInput<C>): Promise<HarnessResult> {
  const registry = new NodeRegistry([manifest], [runtime]);
  const errors = registry.validateConfig(manifest.type, manifest.version, input.config);
  if (errors.length) throw new ConfigInvalidError(errors);
  const sent: OutboundMessage[] = [];
  const httpCalls: Parameters<NodeServices['http']>[0][] = [];
  const event = testEvent(input.event);
  const services: NodeServices = {
    async send(m) {
      sent.push(m);
      return input.send ? input.send(m) : { status: 'sent', providerId: `fake-${sent.length}`, replayed: false };
    },
    async http(req) {
      httpCalls.push(req);
      return input.http ? input.http(req) : { status: 200, body: '{}', replayed: false };
    },
    async secret(name) {
      return input.secrets?.[name];
    },
    async experiment(req) {
      return input.experiment ? input.experiment(req) : { arm: req.arms[0].id, phase: 'exploring' };
    },
  };
  const result = await runtime.run({
    config: input.config,
    contact: testContact(input.contact),
    trigger: input.trigger ? testEvent(input.trigger) : event,
    event,
    journey: { workspaceId: 'ws', journeyId: 'j-1', version: 1, nodeId: 'n-1', enrollmentId: 'enr-1' },
    idempotencyKey: 'enr-1:n-1:1',
    now: input.now ?? new Date('2024-06-03T02:00:00.000Z'),
    services,
  });
  const ports = portsOf(manifest, input.config).map((p) => p.id);
  if (!ports.includes(result.port)) throw new Error(`node returned port "${result.port}", which it does not declare (${ports.join(', ')})`);
  return { ...result, sent, httpCalls };
}
