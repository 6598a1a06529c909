/** The documents Journeys keeps in MongoDB. Every one carries workspaceId; every query filters on it. */
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
  createdAt: Date;
  updatedAt: Date;
  /** Keys of the last effects applied: makes each effect a single atomic, idempotent update. */
  appliedEffects: string[];
}

/** `_id` = `${workspaceId}|${channel}|${handle}`: the unique index that makes identity resolution race-free. */
export interface IdentityDoc { _id: string; workspaceId: string; channel: string; handle: string; contactId: string; createdAt: Date }

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
  /** Set on journey-made entries (score change, contact update, message sent). */
  source?: { journeyId: string; version: number; nodeId: string; enrollmentId: string };
}

export interface JourneyDoc {
  _id: string;
  workspaceId: string;
  name: string;
  description?: string;
  draft: JourneyGraph;
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
  currentNodeId?: string;
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
}

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
  createdAt: Date;
  updatedAt: Date;
}
