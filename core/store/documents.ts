/** The documents Journeys keeps in MongoDB. Every one carries workspaceId; every query filters on it. */
import type { EventAnalysis } from '../../nodes/contract';
import type { CompiledJourney } from '../../workflows/model/compile-journey';
import type { JourneyGraph } from '../../workflows/model/journey-schema';

export interface Identity { channel: string; handle: string }

export interface ConsentRecord { status: 'opted_in' | 'opted_out'; at: Date; source?: string }

export interface ContactDoc {
  _id: string;
  workspaceId: string;
  identities: Identity[];
  profile: Record<string, unknown>;
  tags: string[];
  scores: Record<string, number>;
  consent: Record<string, ConsentRecord>;
  /** Static segments (journeys' segment node, the segments API); absent on contacts never put in one. */
  segments?: string[];
  createdAt: Date;
  updatedAt: Date;
  /** Keys of the last effects applied: makes each effect a single atomic, idempotent update. */
  appliedEffects: string[];
  /** A test contact of draft test runs: its own identity space, never in lists, segments or broadcasts. */
  test?: true;
  /** Set when the contact's personal data was erased (privacy request): the document stays for counts. */
  erasedAt?: Date;
  /** Written by earlier versions (a contact's runs are now found through the enrollments index); ignored. */
  activeRuns?: string[];
  /** Written by earlier versions (the frequency cap now counts the outbox); ignored. */
  sendLog?: Record<string, number[]>;
}

/** `_id` = `${workspaceId}|${channel}|${handle}`: the unique index that makes identity resolution race-free. */
export interface IdentityDoc { _id: string; workspaceId: string; channel: string; handle: string; contactId: string; createdAt: Date; test?: true }

export type InteractionKind = 'event' | 'score' | 'update' | 'message';

export interface InteractionDoc {
  /** `${workspaceId}|${kind}|${eventId or effect key}`: storing the same event twice is a no-op. */
  _id: string;
  workspaceId: string;
  contactId: string;
  kind: InteractionKind;
  eventId?: string;
  type: string;
  channel?: string;
  handle?: string;
  text?: string;
  threadId?: string;
  data?: Record<string, unknown>;
  occurredAt: Date;
  receivedAt: Date;
  /** Text analysis at ingestion, as POST /api/v1/analyze and the filter nodes see it. */
  analysis?: EventAnalysis & { keywords: string[] };
  /** Set on journey-made entries (score change, contact update, message sent). */
  source?: { journeyId: string; version: number; nodeId: string; enrollmentId: string };
  /** Set when the contact was erased: text, handle, data and thread are gone. */
  erased?: true;
}

export interface JourneyDoc {
  _id: string;
  workspaceId: string;
  name: string;
  description?: string;
  draft: JourneyGraph;
  /** Where the journey list shows it: a folder path like "Campaigns/Spring"; absent at the top level. */
  folder?: string;
  /** Increments on every draft save: optimistic concurrency for the editor's autosave. */
  revision: number;
  status: 'draft' | 'live' | 'paused';
  liveVersion?: number;
  /** Event types of the live version's triggers, so ingestion finds candidate journeys with one indexed query. */
  liveTriggerTypes: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface JourneyVersionDoc {
  _id: string; // `${journeyId}|v${version}`
  workspaceId: string;
  journeyId: string;
  version: number;
  name: string;
  note?: string;
  graph: JourneyGraph;
  compiled: CompiledJourney;
  publishedAt: Date;
  /** Its runs react to the contact's later events (wait-for-event, goal): ingestion then reads the contact's runs. */
  listensToEvents?: boolean;
}

export type EnrollmentStatus = 'active' | 'completed' | 'converted' | 'exited' | 'failed';

export interface EnrollmentDoc {
  _id: string; // the Temporal workflow id
  workspaceId: string;
  journeyId: string;
  version: number;
  contactId: string;
  triggerEventId: string;
  entryKey: string;
  status: EnrollmentStatus;
  startedAt: Date;
  endedAt?: Date;
  outcome?: string;
}

export interface StepDoc {
  _id: string; // `${enrollmentId}|${seq}`
  workspaceId: string;
  enrollmentId: string;
  journeyId: string;
  version: number;
  contactId: string;
  seq: number;
  nodeId: string;
  nodeType: string;
  /** entered: arrived and is waiting; done: left through `port`; error; exited: left the journey here. */
  outcome: 'waiting' | 'done' | 'error' | 'exited';
  port?: string;
  at: Date;
  resumeAt?: Date;
  evaluated?: unknown;
  output?: Record<string, unknown>;
  error?: { code: string; message: string };
  /**
   * The contact changes this step made (score, profile, tags, segments). The contact's timeline shows them from
   * here, so a run that changes a contact writes no timeline entry of its own (the step is written anyway).
   */
  effects?: StepEffect[];
  /** Set when the contact was erased: evaluated values, output and effects are gone. */
  erased?: true;
}

/** One contact change as the timeline shows it; `key` is the effect's idempotency key (its timeline id). */
export interface StepEffect { key: string; kind: 'score' | 'update'; type: string; data: Record<string, unknown> }

export interface OutboxDoc {
  _id: string; // `${workspaceId}|${idempotencyKey}`
  workspaceId: string;
  contactId: string;
  enrollmentId: string;
  nodeId: string;
  kind: 'message' | 'http';
  channel?: string;
  status: 'pending' | 'sent' | 'skipped' | 'failed';
  request: Record<string, unknown>;
  result?: Record<string, unknown>;
  attempts: number;
  /** While pending: the attempt making the call holds it until then (node-services' claim). */
  leaseUntil?: Date;
  createdAt: Date;
  updatedAt: Date;
}

// ---------------------------------------------------------------------------------------------------------------
// Templates, access and audit

/** One version of a node template: a configured node with some config fields locked. `_id` = `${templateId}|v${version}`. */
export interface NodeTemplateDoc {
  _id: string;
  workspaceId: string;
  templateId: string;
  version: number;
  name: string;
  description?: string;
  nodeType: string;
  nodeVersion: number;
  config: Record<string, unknown>;
  /** Top-level config fields a journey using the template may not change. */
  locked: string[];
  /** Published versions appear in the palette (the newest published one). */
  published: boolean;
  archived?: boolean;
  createdAt: Date;
  createdBy?: string;
}

export interface JourneyTemplateDoc {
  _id: string;
  workspaceId: string;
  name: string;
  description?: string;
  graph: JourneyGraph;
  sourceJourneyId?: string;
  createdAt: Date;
  createdBy?: string;
}

export type Role = 'viewer' | 'marketer' | 'developer' | 'admin';

export interface WorkspaceDoc { _id: string; name: string; createdAt: Date }

export interface UserDoc {
  _id: string;
  workspaceId: string;
  /** Lower-cased; unique per workspace. */
  email: string;
  name: string;
  role: Role;
  /** argon2id (PHC string). */
  passwordHash: string;
  disabled?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A sign-in session; `_id` = sha256 of the session secret (the secret itself is never stored). */
export interface SessionDoc { _id: string; workspaceId: string; userId: string; createdAt: Date; expiresAt: Date }

/** A machine API token: shown once, stored as its sha256, revocable. */
export interface ApiTokenDoc {
  _id: string;
  workspaceId: string;
  name: string;
  role: Role;
  hash: string;
  /** The first characters, to recognise a token in lists. */
  hint: string;
  createdAt: Date;
  /** Display name (email) of the creator. */
  createdBy: string;
  /** The user whose current role bounds the token's power; tokens from before it existed match `createdBy` by email. */
  createdById?: string;
  expiresAt?: Date;
  revokedAt?: Date;
}

export interface AuditDoc {
  _id: string;
  workspaceId: string;
  at: Date;
  actor: { kind: 'user' | 'token' | 'system'; id: string; name: string };
  action: string;
  target: { kind: string; id: string; name?: string };
  details?: Record<string, unknown>;
}
