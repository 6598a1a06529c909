/** Shapes the editor reads from the API (the server's responses, not re-declared schemas of documents). */
import type { NodeManifest } from '../../../nodes/contract';
import type { JourneyDocument } from '../../../workflows/model/journey-schema';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';

/** `source`: a built-in node, or one loaded from a custom node module (older servers send none: built-in). */
export type CatalogManifest = NodeManifest<any> & { source?: 'builtin' | 'custom' };
export interface Catalog { categories: { category: string; nodes: CatalogManifest[] }[] }

export interface JourneySummary {
  id: string; name: string; status: string; liveVersion: number | null; updatedAt: string; enrolled: number; active: number;
  /** Sent by current servers (older ones send neither): the journey's description and the number of nodes in its draft. */
  description?: string | null; nodeCount?: number;
}

export interface JourneyView extends JourneyDocument {
  id: string; status: string; liveVersion: number | null; revision: number; createdAt: string; updatedAt: string; issues: ValidationIssue[];
}

export interface VersionView { version: number; name: string; note: string | null; publishedAt: string; nodes: JourneyDocument['nodes']; edges: JourneyDocument['edges']; settings?: JourneyDocument['settings'] }

export interface NodeStats { entered: number; waiting: number; exited: number; errors: number; ports: Record<string, number> }
export interface JourneyStats { journeyId: string; version: number; enrollments: Record<string, number>; nodes: Record<string, NodeStats> }

export interface RunStep {
  seq: number; nodeId: string; nodeType: string; outcome: string; port?: string | null; at: string; resumeAt?: string | null;
  evaluated?: unknown; output?: Record<string, unknown> | null; error?: { code?: string; message?: string } | string | null;
  /** The contact changes the step made (points, tags, fields, segments). */
  effects?: { key: string; kind: string; type: string; data: Record<string, unknown> }[];
}
/** An event a run saw: its trigger, or one that came while it ran (`GET /enrollments/:id` only). */
export interface RunEvent {
  id: string; type: string; channel?: string; handle?: string; text?: string; threadId?: string; data?: Record<string, unknown>; occurredAt: string; trigger: boolean;
}
export interface EnrollmentView {
  id: string; journeyId: string; version: number; contactId: string; status: string; outcome: string | null; currentNodeId: string | null;
  waitingUntil: string | null; test: boolean; startedAt: string; endedAt: string | null; steps: RunStep[];
  /** Sent by `GET /enrollments/:id` (a contact's trace has none). */
  events?: RunEvent[];
}

/** A contact as `GET /api/v1/contacts` lists it. */
export interface ContactSummary { id: string; identities: { channel: string; handle: string }[]; profile: Record<string, unknown>; tags: string[] }

/** `GET /api/v1/auth/me`: who is signed in and what their role allows (the UI hides what it may not do). */
export interface Me {
  kind: 'user' | 'token'; id: string; name: string; role: string; permissions: string[];
  workspace: { id: string; name: string }; user: UserView | null;
}

export interface TemplateBinding { id: string; version: number }

export interface NodeTemplate {
  id: string; version: number; name: string; description: string | null; nodeType: string; nodeVersion: number;
  config: Record<string, unknown>; locked: string[]; editable: string[]; published: boolean; createdAt: string; createdBy: string | null;
  /** In the full list only: the newest published version (null: never published) and the newest version. */
  publishedVersion?: number | null; latestVersion?: number;
  /** On `GET /node-templates/:id` only. */
  versions?: { version: number; published: boolean; createdAt: string; createdBy: string | null }[];
}

export interface TemplateFieldChange { field: string; from: unknown; to: unknown; lockedFrom?: boolean; lockedTo?: boolean }
export interface TemplateDiff { from: number; to: number; nodeType: { from: string; to: string } | null; name: { from: string; to: string } | null; changes: TemplateFieldChange[] }

export interface JourneyTemplate {
  id: string; name: string; description: string | null; builtin: boolean; tags: string[]; nodeCount: number; nodeTypes: string[]; createdAt: string | null;
}

/** `GET /api/v1/segments`: static segments and their member counts. */
export interface SegmentSummary { name: string; members: number }
/** `GET /api/v1/channels`: a connected channel (settings only, never secrets). */
export type ChannelSettingsView =
  | { kind: 'wechat'; appId: string; apiBaseUrl?: string; encodingMode: 'plain' | 'safe' }
  | { kind: 'http'; baseUrl: string; replyPath?: string; dmPath?: string; profilePath?: string; authHeader?: string }
  | { kind: 'smtp'; host: string; port: number; secure?: boolean; user?: string; from: string };
export interface ChannelConfigView { channel: string; settings: ChannelSettingsView; hasToken: boolean; hasWebhookSecret: boolean; hasEncodingAesKey?: boolean; updatedAt?: string }
/** `POST /api/v1/channels/:channel/test`: what the platform answered to one harmless authenticated call. */
export interface ChannelTestResult { ok: boolean; status?: number; message: string; details?: { kind: string; errcode?: number; description?: string; expiresInS?: number; reason?: string } }

export type Role = 'viewer' | 'marketer' | 'developer' | 'admin';
export const ROLES: Role[] = ['viewer', 'marketer', 'developer', 'admin'];

export interface UserView { id: string; email: string; name?: string; role: Role; disabled: boolean; createdAt: string; updatedAt: string }
export interface TokenView {
  id: string; name: string; role: Role; hint: string; createdAt: string; createdBy?: string; createdById?: string | null; expiresAt: string | null; revokedAt: string | null; active: boolean;
}
export interface AuditEntry {
  id: string; at: string; action: string; actor: { kind: string; id: string; name: string }; target: { kind: string; id: string; name?: string }; details?: Record<string, unknown>;
}
