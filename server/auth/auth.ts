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
import { ApiError } from '../http/errors';
import { recordAudit, type Actor } from '../store/audit';
import type { Role } from '../store/documents';
import { WORKSPACE_ID } from '../store/users';
import { can, PUBLIC, routePermission, type Permission } from './permissions';
import { SESSION_PREFIX, sha256, TOKEN_PREFIX } from './secrets';

export const SESSION_COOKIE = 'journeys_session';

export interface Principal {
  kind: 'user' | 'token';
  id: string;
  workspaceId: string;
  role: Role;
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

/** A short-lived cache of resolved secrets (revocation and role changes clear it in this process). */
const cache = new Map<string, { principal: Principal | null; until: number; expiresAt?: number }>();
const CACHE_MS = 5_000;
export function forgetPrincipals(): void {
  cache.clear();
}

async function resolveSecret(deps: AppDeps, secret: string): Promise<Principal | null> {
  const now = Date.now();
  const hit = cache.get(secret);
  if (hit && hit.until > now && (!hit.expiresAt || hit.expiresAt > now)) return hit.principal;
  const h = sha256(secret);
  let principal: Principal | null = null;
  let expiresAt: number | undefined;
  if (secret.startsWith(SESSION_PREFIX)) {
    const session = await deps.store.sessions.findOne({ _id: h });
    if (session && session.expiresAt.getTime() > now) {
      const user = await deps.store.users.findOne({ _id: session.userId, workspaceId: session.workspaceId });
      if (user && !user.disabled) {
        principal = { kind: 'user', id: user._id, workspaceId: user.workspaceId, role: user.role, name: user.email, sessionId: h };
        expiresAt = session.expiresAt.getTime();
      }
    }
  } else if (secret.startsWith(TOKEN_PREFIX)) {
    const token = await deps.store.apiTokens.findOne({ hash: h });
    if (token && !token.revokedAt && !(token.expiresAt && token.expiresAt.getTime() <= now)) {
      principal = { kind: 'token', id: token._id, workspaceId: token.workspaceId, role: token.role, name: token.name };
      expiresAt = token.expiresAt?.getTime();
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(secret, { principal, until: now + CACHE_MS, expiresAt });
  return principal;
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
      if (!WORKSPACE_ID.test(header)) throw new ApiError(400, 'validation_failed', 'headers/x-workspace-id must be 1-64 letters, digits, _ or -', { fields: [{ field: 'headers/x-workspace-id', message: 'is invalid' }] });
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
    if (!principal) throw new ApiError(401, 'unauthenticated', 'sign in (POST /api/v1/auth/sign-in) or send an API token as "Authorization: Bearer <token>"');
    req.principal = principal;
    const wanted = validHeader();
    if (wanted !== undefined && wanted !== principal.workspaceId) {
      throw new ApiError(403, 'workspace_mismatch', `these credentials belong to workspace "${principal.workspaceId}", not "${wanted}"`);
    }
    req.workspaceId = principal.workspaceId;
    if (!can(principal.role, permission)) throw new ApiError(403, 'forbidden', `role "${principal.role}" may not do this (needs "${permission}")`);
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!req.principal || req.method === 'GET' || reply.statusCode >= 300) return;
    const url = req.routeOptions.url ?? '';
    const rule = AUDITED.find((r) => (r.method === '*' || r.method === req.method) && r.pattern.test(url));
    if (!rule) return;
    const params = (req.params ?? {}) as Record<string, string>;
    await recordAudit(deps.store, req.workspaceId, actorOf(req), rule.action, { kind: rule.kind, id: params.id ?? params.name ?? url }, { method: req.method, route: url }).catch((err) => {
      req.log.error({ err }, 'audit write failed');
    });
  });
}
