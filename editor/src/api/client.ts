/**
 * The one door to the API: JSON in and out, the workspace header, and errors turned into readable messages
 * (`ApiError.message` is what the UI shows; `issues`/`fields` are kept for callers that point at nodes).
 */
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import type {
  AudienceEstimate, AuditEntry, Catalog, ChannelConfigView, ChannelSettingsView, ChannelTestResult, ContactSummary, EnrollmentView, JourneyList, JourneyStats, JourneyTemplate, JourneyView, Me, NodeContactsPage, NodeContactsState, NodeTemplate, Role, SegmentSummary, TemplateDiff, TimelineItem, TokenView, UserView, VersionView,
} from './types';
import type { JourneyDocument } from '../../../workflows/model/journey-schema';
import { useLanguage } from '../i18n/language-store';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: ValidationIssue[],
    readonly fields?: { field?: string; path?: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const WORKSPACE_KEY = 'journeys.workspace';

/** The workspace comes from the signed-in session; a header is sent only when one was chosen explicitly. */
function workspaceHeader(): Record<string, string> {
  try {
    const ws = localStorage.getItem(WORKSPACE_KEY);
    return ws ? { 'x-workspace-id': ws } : {};
  } catch {
    return {};
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** The app shows the sign-in screen when any call answers 401 (no or expired session). */
export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

/** Builds a sentence from the server's `{error, message, fields?}` so no error reaches the user as "[object]". */
function readableMessage(status: number, body: any): string {
  const base = typeof body?.message === 'string' && body.message ? body.message : `HTTP ${status}`;
  const fields: { field?: string; path?: string; message: string }[] | undefined = body?.fields;
  if (fields?.length) return `${base}: ${fields.map((f) => `${f.field ?? f.path ?? ''} ${f.message}`.trim()).join('; ')}`;
  return base;
}

export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      // The API writes its error messages in the UI's language.
      headers: { ...workspaceHeader(), 'accept-language': useLanguage.getState().lang, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', `Cannot reach the server (${(err as Error).message})`);
  }
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.status === 401 && !url.endsWith('/auth/sign-in')) unauthorizedListeners.forEach((fn) => fn());
  if (!res.ok) throw new ApiError(res.status, json?.error ?? 'http_error', readableMessage(res.status, json ?? { message: text.slice(0, 200) }), json?.issues, json?.fields);
  return json as T;
}

const enc = encodeURIComponent;

export const api = {
  signIn: (email: string, password: string) => request<{ token: string; workspaceId: string; user: { email: string; name?: string } }>('POST', '/api/v1/auth/sign-in', { email, password }),
  signOut: () => request<void>('POST', '/api/v1/auth/sign-out'),
  me: () => request<Me>('GET', '/api/v1/auth/me'),
  catalog: () => request<Catalog>('GET', '/api/v1/nodes'),
  /** The journeys (narrowed by text, folder and below, status, trigger type) and every folder of the workspace. */
  listJourneys: (filter: { q?: string; folder?: string; status?: string; trigger?: string } = {}) => {
    const qs = new URLSearchParams(Object.entries(filter).filter(([, v]) => v)).toString();
    return request<JourneyList>('GET', `/api/v1/journeys${qs ? `?${qs}` : ''}`);
  },
  createJourney: (doc: JourneyDocument, folder?: string) => request<JourneyView>('POST', '/api/v1/journeys', folder ? { ...doc, folder } : doc),
  /** Moves a journey into a folder (a new path creates it), or to the top level with null. */
  moveJourney: (id: string, folder: string | null) => request<JourneyView>('PATCH', `/api/v1/journeys/${enc(id)}`, { folder }),
  getJourney: (id: string) => request<JourneyView>('GET', `/api/v1/journeys/${enc(id)}`),
  saveDraft: (id: string, doc: JourneyDocument, revision: number) => request<JourneyView>('PUT', `/api/v1/journeys/${enc(id)}`, { ...doc, revision }),
  deleteJourney: (id: string) => request<void>('DELETE', `/api/v1/journeys/${enc(id)}`),
  /** A new draft with the journey's draft; the server names it "… (copy)" / "…（副本）" in the UI's language (accept-language). */
  cloneJourney: (id: string, name?: string) => request<JourneyView & { clonedFrom: string }>('POST', `/api/v1/journeys/${enc(id)}/clone`, name ? { name } : {}),
  publish: (id: string, note: string) => request<{ version: number; note: string | null; publishedAt: string }>('POST', `/api/v1/journeys/${enc(id)}/publish`, note ? { note } : {}),
  versions: (id: string) => request<{ versions: VersionView[] }>('GET', `/api/v1/journeys/${enc(id)}/versions`),
  stats: (id: string, version: number) => request<JourneyStats>('GET', `/api/v1/journeys/${enc(id)}/stats?version=${version}`),
  startTestRun: (id: string, body: { contact: { channel: string; handle: string; profile?: Record<string, unknown>; copyFrom?: string }; event: { type: string; text?: string; threadId?: string } }) =>
    request<{ enrollmentId: string; contactId: string }>('POST', `/api/v1/journeys/${enc(id)}/test-runs`, body),
  enrollment: (id: string) => request<EnrollmentView>('GET', `/api/v1/enrollments/${enc(id)}`),
  fastForward: (id: string) => request<unknown>('POST', `/api/v1/enrollments/${enc(id)}/fast-forward`),
  sendRunEvent: (id: string, event: { type: string; text?: string }) => request<unknown>('POST', `/api/v1/enrollments/${enc(id)}/events`, event),
  findContact: (identity: string) => request<{ contacts: ContactSummary[] }>('GET', `/api/v1/contacts?identity=${enc(identity)}`),
  recentContacts: () => request<{ contacts: ContactSummary[] }>('GET', '/api/v1/contacts?limit=50'),
  /** Real contacts whose handle or name contains `q` (any case), most recently updated first. */
  searchContacts: (q: string, limit = 8) => request<{ contacts: ContactSummary[] }>('GET', `/api/v1/contacts?q=${enc(q)}&limit=${limit}`),
  segments: () => request<{ segments: SegmentSummary[]; truncated: boolean }>('GET', '/api/v1/segments'),
  channels: () => request<{ channels: ChannelConfigView[] }>('GET', '/api/v1/channels'),
  connectChannel: (channel: string, body: { settings: ChannelSettingsView; token?: string; webhookSecret?: string; encodingAesKey?: string }) =>
    request<ChannelConfigView>('PUT', `/api/v1/channels/${enc(channel)}`, body),
  testChannel: (channel: string) => request<ChannelTestResult>('POST', `/api/v1/channels/${enc(channel)}/test`),
  contactJourneys: (contactId: string) => request<{ enrollments: EnrollmentView[] }>('GET', `/api/v1/contacts/${enc(contactId)}/journeys`),
  contactTimeline: (contactId: string, limit = 20) => request<{ items: TimelineItem[] }>('GET', `/api/v1/contacts/${enc(contactId)}/timeline?limit=${limit}`),
  /** The contacts behind a node's count in a version (0 = the draft's test runs), newest first; `before` is the previous page's `next`. */
  nodeContacts: (journeyId: string, nodeId: string, q: { version: number; state: NodeContactsState; port?: string; before?: string }) => {
    const qs = new URLSearchParams({ version: String(q.version), state: q.state, ...(q.port !== undefined ? { port: q.port } : {}), ...(q.before ? { before: q.before } : {}) });
    return request<NodeContactsPage>('GET', `/api/v1/journeys/${enc(journeyId)}/nodes/${enc(nodeId)}/contacts?${qs}`);
  },
  /** How many contacts the saved draft's triggers would reach. */
  testSend: (b: { channel: string; to: string; kind: 'email' | 'dm'; subject?: string; text: string; html?: string }) =>
    request<{ status: 'sent' | 'recorded'; providerId: string }>('POST', '/api/v1/test-sends', b),
  audience: (journeyId: string) => request<AudienceEstimate>('POST', `/api/v1/journeys/${enc(journeyId)}/audience`, {}),

  // Templates
  nodeTemplates: (publishedOnly = false) => request<{ templates: NodeTemplate[] }>('GET', `/api/v1/node-templates${publishedOnly ? '?published=true' : ''}`),
  nodeTemplate: (id: string, version?: number) => request<NodeTemplate>('GET', `/api/v1/node-templates/${enc(id)}${version ? `?version=${version}` : ''}`),
  createNodeTemplate: (body: NodeTemplateInput) => request<NodeTemplate>('POST', '/api/v1/node-templates', body),
  updateNodeTemplate: (id: string, body: Partial<NodeTemplateInput>) => request<NodeTemplate>('PUT', `/api/v1/node-templates/${enc(id)}`, body),
  publishNodeTemplate: (id: string, version?: number) => request<NodeTemplate>('POST', `/api/v1/node-templates/${enc(id)}/publish`, version ? { version } : {}),
  archiveNodeTemplate: (id: string) => request<void>('DELETE', `/api/v1/node-templates/${enc(id)}`),
  nodeTemplateDiff: (id: string, from: number, to?: number) => request<TemplateDiff>('GET', `/api/v1/node-templates/${enc(id)}/diff?from=${from}${to ? `&to=${to}` : ''}`),
  journeyTemplates: () => request<{ templates: JourneyTemplate[] }>('GET', '/api/v1/journey-templates'),
  useJourneyTemplate: (id: string, name?: string) => request<{ id: string; name: string }>('POST', `/api/v1/journey-templates/${enc(id)}/use`, name ? { name } : {}),
  saveJourneyAsTemplate: (body: { journeyId: string; name?: string; description?: string; from?: 'draft' | 'live' }) => request<JourneyTemplate>('POST', '/api/v1/journey-templates', body),
  deleteJourneyTemplate: (id: string) => request<void>('DELETE', `/api/v1/journey-templates/${enc(id)}`),

  // Users, tokens, audit
  users: () => request<{ users: UserView[] }>('GET', '/api/v1/users'),
  createUser: (body: { email: string; name?: string; role: Role; password: string }) => request<UserView>('POST', '/api/v1/users', body),
  updateUser: (id: string, body: { name?: string; role?: Role; password?: string; disabled?: boolean }) => request<UserView>('PATCH', `/api/v1/users/${enc(id)}`, body),
  deleteUser: (id: string) => request<void>('DELETE', `/api/v1/users/${enc(id)}`),
  tokens: () => request<{ tokens: TokenView[] }>('GET', '/api/v1/tokens'),
  createToken: (body: { name: string; role: Role; expiresInDays?: number }) => request<TokenView & { token: string }>('POST', '/api/v1/tokens', body),
  revokeToken: (id: string) => request<void>('DELETE', `/api/v1/tokens/${enc(id)}`),
  audit: (q: { action?: string; targetKind?: string; before?: string; limit?: number } = {}) => {
    const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();
    return request<{ entries: AuditEntry[] }>('GET', `/api/v1/audit${qs ? `?${qs}` : ''}`);
  },
};

export interface NodeTemplateInput { name: string; description?: string; nodeType: string; nodeVersion: number; config: Record<string, unknown>; locked: string[] }

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
