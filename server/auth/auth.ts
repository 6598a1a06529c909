/**
 * Authentication and authorization for every route. A request carries a session (cookie `journeys_session`, set by
 * sign-in) or a bearer secret (`Authorization: Bearer <session or API token>`); the principal's workspace is the
 * workspace of the request: nothing else selects it. Each route's permission is fixed when the route is registered
 * (see permissions.ts) and collected in `app.routeTable`, which the workspace-isolation test walks.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { AppDeps } from '../app-deps';
import { AppError, badRequest } from '../../core/errors';
import { recordAudit, type Actor } from '../../core/store/audit';
import type { ApiTokenDoc, Role } from '../../core/store/documents';
import { WORKSPACE_ID } from '../../core/store/users';
import { can, PUBLIC, ROLE_PERMISSIONS, routePermission, type Permission } from './permissions';
import { SESSION_PREFIX, sha256, TOKEN_PREFIX } from '../../core/secrets';

export const SESSION_COOKIE = 'journeys_session';

export interface Principal {
  kind: 'user' | 'token';
  id: string;
  /** The user whose current role bounds this principal: the signed-in user, or the token's creator. */
  userId: string;
  workspaceId: string;
  role: Role;
  /** What it may do now: the role's permissions, for a token only those its creator's current role holds too. */
  permissions: readonly Permission[];
  /** Email of a user, name of a token. */
  name: string;
  /** Set for sessions: the hash of the session secret, so sign-out can end it. */
  sessionId?: string;
}

export interface RouteEntry { method: string; url: string; permission: Permission | typeof PUBLIC }

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
  interface FastifyContextConfig {
    permission?: Permission | 'public';
  }
}

export function actorOf(req: FastifyRequest): Actor {
  const p = req.principal;
  return p ? { kind: p.kind, id: p.id, name: p.name } : { kind: 'system', id: 'system', name: 'system' };
}

export function audit(deps: AppDeps, req: FastifyRequest, action: string, target: { kind: string; id: string; name?: string }, details?: Record<string, unknown>) {
  return recordAudit(deps.store, req.workspaceId, actorOf(req), action, target, details);
}

type Credential = { kind: 'session'; sessionId: string; userId: string; workspaceId: string } | { kind: 'token'; token: ApiTokenDoc };

/**
 * A short-lived cache of the session or token behind a secret (revocation clears it in this process). Never of
 * its user: roles and disabled flags are read on every request, so a demotion takes effect at once everywhere.
 */
const cache = new Map<string, { credential: Credential | null; until: number; expiresAt?: number }>();
const CACHE_MS = 5_000;
export function forgetPrincipals(): void {
  cache.clear();
}

async function findCredential(deps: AppDeps, secret: string, now: number): Promise<Credential | null> {
  const hit = cache.get(secret);
  if (hit && hit.until > now && (!hit.expiresAt || hit.expiresAt > now)) return hit.credential;
  const h = sha256(secret);
  let credential: Credential | null = null;
  let expiresAt: number | undefined;
  if (secret.startsWith(SESSION_PREFIX)) {
    const session = await deps.store.sessions.findOne({ _id: h });
    if (session && session.expiresAt.getTime() > now) {
      credential = { kind: 'session', sessionId: h, userId: session.userId, workspaceId: session.workspaceId };
      expiresAt = session.expiresAt.getTime();
    }
  } else if (secret.startsWith(TOKEN_PREFIX)) {
    const token = await deps.store.apiTokens.findOne({ hash: h });
    if (token && !token.revokedAt && !(token.expiresAt && token.expiresAt.getTime() <= now)) {
      credential = { kind: 'token', token };
      expiresAt = token.expiresAt?.getTime();
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(secret, { credential, until: now + CACHE_MS, expiresAt });
  return credential;
}

async function resolveSecret(deps: AppDeps, secret: string): Promise<Principal | null> {
  const c = await findCredential(deps, secret, Date.now());
  if (!c) return null;
  if (c.kind === 'session') {
    const user = await deps.store.users.findOne({ _id: c.userId, workspaceId: c.workspaceId });
    if (!user || user.disabled) return null;
    return { kind: 'user', id: user._id, userId: user._id, workspaceId: user.workspaceId, role: user.role, permissions: ROLE_PERMISSIONS[user.role], name: user.email, sessionId: c.sessionId };
  }
  const t = c.token;
  const creator = await deps.store.users.findOne(t.createdById ? { _id: t.createdById, workspaceId: t.workspaceId } : { workspaceId: t.workspaceId, email: t.createdBy });
  if (!creator || creator.disabled) return null;
  return {
    kind: 'token', id: t._id, userId: creator._id, workspaceId: t.workspaceId, role: t.role, name: t.name,
    permissions: ROLE_PERMISSIONS[t.role].filter((p) => can(creator.role, p)),
  };
}

function secretOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const c = req.cookies?.[SESSION_COOKIE];
  return c || undefined;
}

/** Mutating requests of routes other files own that the audit log records. */
const AUDITED: { method: string; pattern: RegExp; action: string; kind: string }[] = [
  { method: 'POST', pattern: /^\/api\/v1\/journeys\/:id\/publish$/, action: 'journey.published', kind: 'journey' },
  { method: '*', pattern: /^\/api\/v1\/(credentials|channels|channel-configs)(\/|$)/, action: 'credential.changed', kind: 'credential' },
];

export async function installAuth(app: FastifyInstance, deps: AppDeps, opts: { signInRateLimit?: number } = {}): Promise<void> {
  await app.register(cookie);
  await app.register(rateLimit, { global: false, max: opts.signInRateLimit ?? 10, timeWindow: '1 minute' });

  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const config = (route.config ?? {}) as { permission?: Permission | typeof PUBLIC };
    for (const method of methods) {
      const permission = routePermission(method, route.url, config);
      if (method !== 'HEAD') table.push({ method, url: route.url, permission });
      route.config = { ...route.config, permission } as typeof route.config;
    }
  });

  app.addHook('onRequest', async (req) => {
    const permission = (req.routeOptions.config as { permission?: Permission | typeof PUBLIC } | undefined)?.permission
      ?? (req.url.startsWith('/api/v1/') ? 'read' : PUBLIC); // unknown API paths: authenticate, then 404
    const header = req.headers['x-workspace-id'];
    const validHeader = () => {
      if (typeof header !== 'string' || header === '') return undefined;
      if (!WORKSPACE_ID.test(header)) throw badRequest([{ path: '/x-workspace-id', message: 'must be 1-64 letters, digits, _ or -', i18n: { en: 'must be 1-64 letters, digits, _ or -', 'zh-CN': '必须是 1–64 个字母、数字、_ 或 -' } }], 'headers');
      return header;
    };
    if (permission === PUBLIC) {
      // Public routes that need a workspace (signed platform webhooks) take it from the header; the signature
      // is checked against that workspace's own secret.
      req.workspaceId = (req.url.startsWith('/api/v1/') ? validHeader() : undefined) ?? 'default';
      return;
    }
    const secret = secretOf(req);
    const principal = secret ? await resolveSecret(deps, secret) : null;
    if (!principal) throw new AppError('unauthenticated');
    req.principal = principal;
    const wanted = validHeader();
    if (wanted !== undefined && wanted !== principal.workspaceId) {
      throw new AppError('workspace_mismatch', { actual: principal.workspaceId, wanted });
    }
    req.workspaceId = principal.workspaceId;
    if (!principal.permissions.includes(permission)) {
      if (!can(principal.role, permission)) throw new AppError('forbidden', { role: principal.role, permission });
      throw new AppError('token_owner_forbidden', { permission });
    }
  });

  // Before the answer leaves (onSend, not onResponse): a client that saw the answer finds the audit entry.
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.principal || req.method === 'GET' || reply.statusCode >= 300) return payload;
    const url = req.routeOptions.url ?? '';
    const rule = AUDITED.find((r) => (r.method === '*' || r.method === req.method) && r.pattern.test(url));
    if (!rule) return payload;
    const params = (req.params ?? {}) as Record<string, string>;
    await recordAudit(deps.store, req.workspaceId, actorOf(req), rule.action, { kind: rule.kind, id: params.id ?? params.name ?? url }, { method: req.method, route: url }).catch((err) => {
      req.log.error({ err }, 'audit write failed');
    });
    return payload;
  });
}
