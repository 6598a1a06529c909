import { MongoClient, type Collection, type Db } from 'mongodb';
import type {
  ApiTokenDoc, AuditDoc, ContactDoc, EnrollmentDoc, IdentityDoc, InteractionDoc, JourneyDoc, JourneyTemplateDoc, JourneyVersionDoc,
  NodeTemplateDoc, OutboxDoc, SessionDoc, StepDoc, UserDoc, WorkspaceDoc,
} from './documents';
import { closeStatsBatch } from './journey-stats';

export interface Store {
  client: MongoClient;
  db: Db;
  contacts: Collection<ContactDoc>;
  identities: Collection<IdentityDoc>;
  interactions: Collection<InteractionDoc>;
  journeys: Collection<JourneyDoc>;
  versions: Collection<JourneyVersionDoc>;
  enrollments: Collection<EnrollmentDoc>;
  steps: Collection<StepDoc>;
  outbox: Collection<OutboxDoc>;
  nodeTemplates: Collection<NodeTemplateDoc>;
  journeyTemplates: Collection<JourneyTemplateDoc>;
  workspaces: Collection<WorkspaceDoc>;
  users: Collection<UserDoc>;
  sessions: Collection<SessionDoc>;
  apiTokens: Collection<ApiTokenDoc>;
  audit: Collection<AuditDoc>;
  close(): Promise<void>;
}

export async function openStore(uri: string, dbName: string): Promise<Store> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, ignoreUndefined: true, monitorCommands: !!process.env.JOURNEYS_MONITOR_COMMANDS });
  await client.connect();
  const db = client.db(dbName);
  const store: Store = {
    client,
    db,
    contacts: db.collection('contacts'),
    identities: db.collection('identities'),
    interactions: db.collection('interactions'),
    journeys: db.collection('journeys'),
    versions: db.collection('journey_versions'),
    enrollments: db.collection('enrollments'),
    steps: db.collection('steps'),
    outbox: db.collection('outbox'),
    nodeTemplates: db.collection('node_templates'),
    journeyTemplates: db.collection('journey_templates'),
    workspaces: db.collection('workspaces'),
    users: db.collection('users'),
    sessions: db.collection('sessions'),
    apiTokens: db.collection('api_tokens'),
    audit: db.collection('audit'),
    // Counter deltas this process batched are applied before the connection goes.
    close: async () => { await closeStatsBatch(store); await client.close(); },
  };
  await ensureIndexes(store);
  return store;
}

/**
 * One index per hot query (uniqueness mostly lives in `_id`, which needs none). Only plain and sparse
 * indexes: FerretDB 1.x has no partial indexes.
 */
async function ensureIndexes(s: Store): Promise<void> {
  await Promise.all([
    s.identities.createIndex({ workspaceId: 1, contactId: 1 }),
    s.contacts.createIndex({ workspaceId: 1, updatedAt: -1 }),
    s.contacts.createIndex({ workspaceId: 1, tags: 1 }),
    s.contacts.createIndex({ workspaceId: 1, segments: 1 }), // segment members and their count (audience.ts)
    s.interactions.createIndex({ workspaceId: 1, contactId: 1, occurredAt: -1 }),
    s.interactions.createIndex({ workspaceId: 1, kind: 1, type: 1, occurredAt: -1 }), // recent events by type: a draft's audience (audience.ts)
    s.journeys.createIndex({ workspaceId: 1, status: 1, liveTriggerTypes: 1 }),
    s.journeys.createIndex({ workspaceId: 1, updatedAt: -1 }),
    s.versions.createIndex({ workspaceId: 1, journeyId: 1, version: -1 }),
    s.enrollments.createIndex({ workspaceId: 1, contactId: 1, status: 1 }),
    s.enrollments.createIndex({ workspaceId: 1, journeyId: 1, contactId: 1, status: 1 }),
    s.enrollments.createIndex({ workspaceId: 1, journeyId: 1, version: 1, status: 1 }),
    s.steps.createIndex({ workspaceId: 1, enrollmentId: 1, seq: 1 }),
    // A version's steps (recounts) and the contacts behind a node's counts, newest first (node-contacts.ts): each
    // state is an outcome range sorted by time. It replaces `workspaceId, journeyId, version, nodeId`, its prefix.
    s.steps.createIndex({ workspaceId: 1, journeyId: 1, version: 1, nodeId: 1, outcome: 1, at: -1, port: 1 }),
    s.steps.createIndex({ workspaceId: 1, contactId: 1, at: -1 }), // the timeline's effects, privacy export and erase
    s.outbox.createIndex({ workspaceId: 1, contactId: 1, channel: 1, createdAt: -1 }),
    s.nodeTemplates.createIndex({ workspaceId: 1, templateId: 1, version: -1 }),
    s.journeyTemplates.createIndex({ workspaceId: 1, createdAt: -1 }),
    s.users.createIndex({ workspaceId: 1, email: 1 }, { unique: true }),
    s.users.createIndex({ email: 1 }),
    s.apiTokens.createIndex({ hash: 1 }, { unique: true }),
    s.apiTokens.createIndex({ workspaceId: 1, createdAt: -1 }),
    s.audit.createIndex({ workspaceId: 1, at: -1 }),
    s.db.collection('journey_stats').createIndex({ versions: 1 }, { sparse: true }), // the leases naming a version (stats-batch.ts)
  ]);
}
