/**
 * The node contract: one definition per node type, shared by the editor, the API and the worker.
 *
 * A node is split in two faces so that plain-data consumers (editor, API, workflow code) never import I/O:
 * - the manifest: identity, texts, config JSON Schema, ports, execution policy (plain data, JSON-serializable);
 * - the runtime: `run`, imported by worker activities only.
 * The TypeScript type of a node's config is derived from its JSON Schema (json-schema-to-ts), never written twice.
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { contactEventSchema } from './event-schema';

export type Category = 'trigger' | 'filter' | 'scoring' | 'response' | 'flow';
export const CATEGORIES: readonly Category[] = ['trigger', 'filter', 'scoring', 'response', 'flow'];

export interface LocalizedText {
  en: string;
  'zh-CN': string;
}

export interface PortSpec {
  id: string;
  label: LocalizedText;
}

/** Ports computed from config, declared as data so the editor and validator compute them without code. */
export interface PortsFromConfig {
  /** Config property holding an array of objects, one port per item. */
  arrayField: string;
  idField: string;
  labelField?: string;
}

export interface RetryPolicySpec {
  maximumAttempts?: number;
  initialIntervalMs?: number;
  backoffCoefficient?: number;
  maximumIntervalMs?: number;
}

export interface ExecutionPolicy {
  /** Start-to-close timeout of one attempt. */
  timeoutMs: number;
  retry: RetryPolicySpec;
  /** No side effects outside the returned result: the engine may run it as a local activity. */
  pure: boolean;
  /**
   * How the idempotency key of the node's side effects is formed:
   * 'visit' = enrollment + node + visit number (a node reached twice in a loop acts twice),
   * 'enrollment' = enrollment + node (acts at most once per enrollment whatever the loops).
   */
  idempotency: 'visit' | 'enrollment';
  /**
   * Runs as its own activity with its own retry schedule (a call to a slow or flaky endpoint), instead of inside
   * a stretch of nodes run together. Unset: nodes with a timeout above 30 s are isolated.
   */
  isolated?: boolean;
}

/** Flow nodes are interpreted by the workflow itself (timers, signals, deterministic random). */
export type FlowKind = 'wait' | 'wait-until' | 'wait-for-event' | 'split' | 'goal' | 'end';

export interface NodeManifest<S extends JSONSchema = JSONSchema> {
  type: string;
  version: number;
  category: Category;
  title: LocalizedText;
  description: LocalizedText;
  /** An emoji or short icon name rendered by the editor. */
  icon: string;
  configSchema: S;
  /** Fixed output ports (in display order). */
  outputs: PortSpec[];
  portsFromConfig?: PortsFromConfig;
  execution: ExecutionPolicy;
  /** Set on flow nodes: the workflow implements them. */
  flow?: FlowKind;
  /** Trigger nodes: event types they listen to when the config doesn't say (e.g. 'social.mention'). */
  triggerEventTypes?: string[];
  /** Editor hints: which config fields to show in the one-line summary on the canvas. */
  summaryFields?: string[];
  /**
   * A built-in node's place in its category's palette group, lower first. The node index is generated from the
   * folders (scripts/generate-node-index.ts), whose alphabetical order would put "End" before "Wait"; custom nodes
   * are listed by type and need not set it.
   */
  paletteOrder?: number;
  /**
   * Config schema evolution: `migrations[N]` turns a config of version N of this type into one of version N+1
   * (a pure function of the config). Declared on any manifest of the type, usually the newest; old versions stay
   * registered so published journeys pinned to them keep running, and drafts are upgraded through these.
   */
  migrations?: Record<number, (config: any) => unknown>;
}

/** Defaulted properties stay optional: a stored config may omit them and the runtime applies the default. */
export type FromConfigSchema<S extends JSONSchema> = FromSchema<S, { keepDefaultedPropertiesOptional: true }>;
export type ConfigOf<M extends { configSchema: JSONSchema }> = FromConfigSchema<M['configSchema']>;

export const DEFAULT_EXECUTION: ExecutionPolicy = {
  timeoutMs: 30_000,
  retry: { maximumAttempts: 5, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60_000 },
  pure: false,
  idempotency: 'visit',
};

/** Type-only: carries the derived config type so `defineRuntime` reads it instead of re-deriving it. */
export interface ConfigCarrier<C> {
  readonly __config?: C;
}

type ManifestInput<S extends JSONSchema> = Omit<NodeManifest<S>, 'execution'> & { execution?: Partial<ExecutionPolicy> };

/** Declares a manifest, keeping the literal schema type so `ConfigOf` can derive the config type. */
export function defineManifest<const S extends JSONSchema>(m: ManifestInput<S>): NodeManifest<S> & ConfigCarrier<FromConfigSchema<S>> {
  return { ...m, execution: { ...DEFAULT_EXECUTION, ...m.execution, retry: { ...DEFAULT_EXECUTION.retry, ...m.execution?.retry } } };
}

// ---------------------------------------------------------------------------------------------------------------
// Runtime side

/**
 * A contact event: derived from its JSON Schema (nodes/event-schema.ts), never written twice. `analysis` is the
 * engine's own: the text analysis ingestion stored with the event, handed to runs so the text filters read it instead
 * of analysing the text again (the API's schema refuses it from clients).
 */
export type ContactEvent = FromSchema<typeof contactEventSchema> & { analysis?: EventAnalysis };

/** Language and sentiment of an event's text, as ingestion computed them (nodes/text/analyze.ts). */
export interface EventAnalysis {
  language: 'zh' | 'en' | 'mixed' | 'unknown';
  sentiment: { label: 'positive' | 'neutral' | 'negative'; score: number; hits: string[] };
}

export interface ContactSnapshot {
  id: string;
  workspaceId: string;
  identities: { channel: string; handle: string }[];
  profile: Record<string, unknown>;
  tags: string[];
  scores: Record<string, number>;
  consent: Record<string, { status: 'opted_in' | 'opted_out'; at: string; source?: string }>;
  /** Static segments the contact belongs to (added by journeys, imports or the API). */
  segments?: string[];
  createdAt: string;
}

export type Effect =
  | { kind: 'contact.set'; fields: Record<string, unknown> }
  | { kind: 'contact.tags'; add?: string[]; remove?: string[] }
  | { kind: 'score'; name: string; delta: number; reason: string }
  | { kind: 'segments'; add?: string[]; remove?: string[] };

export interface OutboundMessage {
  channel: string;
  /** Recipient handle on that channel. */
  to: string;
  kind: 'reply' | 'dm' | 'email' | 'sms' | 'ticket' | 'alert';
  text: string;
  subject?: string;
  /** The thread or post being answered. */
  inReplyTo?: string;
  /**
   * What a direct message answers (the trigger's thread or event id): a DM answering a comment goes out as the
   * platform's private reply to that comment where it has one (Instagram, Facebook Pages).
   */
  respondsTo?: string;
  data?: Record<string, unknown>;
}

export interface SendResult {
  status: 'sent' | 'skipped';
  /** Why a send was skipped: no consent, frequency cap, dry run … */
  reason?: string;
  providerId?: string;
  /** True when this key was already sent before (a retry): nothing went out twice. */
  replayed: boolean;
}

export interface HttpCallRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /**
   * Retry 5xx, 429 and network errors up to `maxAttempts` in all, with exponential backoff (0.5 s, 1 s, 2 s… ≤ 30 s).
   * Every attempt is the same request: one outbox row, one Idempotency-Key the receiver can dedupe on. The answer
   * of the last attempt is returned, never thrown.
   */
  retry?: { maxAttempts: number };
}

export interface HttpCallResult {
  /** How many attempts the call took (with `retry`). */
  attempts?: number;
  status: number;
  /** The answer's body when it is a 2xx; empty otherwise. */
  body: string;
  /** The status line's reason (`Not Found`) or why no answer came (`timeout`, `ECONNREFUSED`). */
  statusText?: string;
  replayed: boolean;
}

/** What the engine lends a node while it runs. Every outward call is idempotent by the node's key. */
export interface NodeServices {
  send(message: OutboundMessage): Promise<SendResult>;
  http(req: HttpCallRequest): Promise<HttpCallResult>;
  /** A workspace credential by name, decrypted (e.g. a webhook signing secret). Undefined when not stored. */
  secret?(name: string): Promise<string | undefined>;
  /** Experiment paths: which arm this enrollment takes (the recorded winner once the evaluation window closed). */
  experiment?(req: ExperimentRequest): Promise<ExperimentChoice>;
  /**
   * Marks a change of the contact's tags on the platforms that keep tags of their own (WeCom's corp tags), for each
   * of the contact's identities on such a channel. Marking is idempotent at the platform (what is marked stays
   * marked), so a retry marks again rather than going through the outbox. Empty when no channel keeps tags.
   */
  syncTags?(change: { add: string[]; remove: string[] }): Promise<TagSyncOutcome[]>;
}

/** What one channel did with a change of the contact's tags. */
export interface TagSyncOutcome {
  channel: string;
  /** Tag names marked / unmarked there (for at least one staff member). */
  added: string[];
  removed: string[];
  /** Names the platform does not know: kept in Journeys only. */
  notOnPlatform: string[];
  /** The platform does not know the contact: nothing was marked. */
  unknownContact?: true;
  /** The platform failed on the last attempt: the tags changed in Journeys only. */
  error?: { code: string; message: string };
}

export interface ExperimentRequest {
  arms: { id: string; weight: number }[];
  /** Evaluation window from the first entry, in ms. */
  windowMs: number;
  /** Fewest entries per arm before a winner may be declared. */
  minPerArm: number;
}

export interface ExperimentChoice {
  arm: string;
  phase: 'exploring' | 'winner';
  /** Per-arm entries and conversions when the winner was chosen. */
  results?: Record<string, { entered: number; converted: number; rate: number }>;
}

export interface RunContext<C> {
  config: C;
  contact: ContactSnapshot;
  /** The event that enrolled the contact. */
  trigger: ContactEvent;
  /** The most recent event the run received (a reply after a wait-for-event), else the trigger. */
  event: ContactEvent;
  journey: { workspaceId: string; journeyId: string; version: number; nodeId: string; enrollmentId: string };
  /** Deterministic key for this node's side effects (see ExecutionPolicy.idempotency). */
  idempotencyKey: string;
  now: Date;
  services: NodeServices;
}

export interface RunResult {
  port: string;
  effects?: Effect[];
  /** The values a filter looked at and what they gave, so a person can see why this branch. */
  evaluated?: unknown;
  /** Anything worth showing in the step record (message id, HTTP status…). */
  output?: Record<string, unknown>;
}

/** A business failure: not retried, the step records it and the run follows the node's error handling. */
export class NodeError extends Error {
  constructor(readonly code: string, message: string, readonly params: Record<string, unknown> = {}) {
    super(message);
    this.name = 'NodeError';
  }
}

/** A NodeError code: the receiving server refused the message for good (an SMTP 5xx); it becomes message.failed. */
export const DELIVERY_REFUSED = 'delivery_refused';

/**
 * The platform's sending rules refuse this message (WeChat's 48-hour window, an unfollowed account…): a policy,
 * not a failure. Nodes that send to contacts take their `blocked` port with the reason instead of the error port.
 */
export class SendBlockedError extends NodeError {
  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(code, message, params);
    this.name = 'SendBlockedError';
  }
}

export interface NodeRuntime<C = unknown> {
  type: string;
  version: number;
  run(ctx: RunContext<C>): Promise<RunResult> | RunResult;
}

/** Declares the runtime of a manifest; the config type comes from the manifest's schema. */
export function defineRuntime<C>(
  manifest: Pick<NodeManifest<any>, 'type' | 'version'> & ConfigCarrier<C>,
  run: (ctx: RunContext<C>) => Promise<RunResult> | RunResult,
): NodeRuntime<C> {
  return { type: manifest.type, version: manifest.version, run };
}
