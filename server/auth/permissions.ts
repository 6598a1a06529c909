/**
 * Roles and what each may do. Every route needs one permission (or is public); the role of the signed-in user or
 * of the API token must grant it. Routes declare theirs in `config.permission`; routes that do not are mapped by
 * ROUTE_PERMISSIONS, else GET/HEAD need `read` and anything else `journeys.write`.
 */
import type { Role } from '../../core/store/documents';

export type { Role } from '../../core/store/documents';
export const ROLES: readonly Role[] = ['viewer', 'marketer', 'developer', 'admin'];

export type Permission =
  | 'read' // everything a GET shows: journeys, stats, contacts, timelines, node catalog, templates
  | 'journeys.write' // create/edit/delete drafts, validate, test runs, use a journey template, upgrade nodes
  | 'journeys.publish' // publish a journey version
  | 'contacts.write' // consent changes, segment membership by hand
  | 'events.ingest' // POST /api/v1/events (channel connectors, machines)
  | 'privacy' // export and erase a contact's data
  | 'templates.write' // node templates and journey templates: create, edit, publish, archive
  | 'credentials.manage' // channel configs and credentials
  | 'tokens.manage' // API tokens (within the holder's own permissions)
  | 'users.manage' // users and roles
  | 'audit.read'
  | 'workspaces.manage'; // create workspaces

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  marketer: ['read', 'journeys.write', 'journeys.publish', 'contacts.write'],
  developer: ['read', 'journeys.write', 'events.ingest', 'tokens.manage'],
  admin: [
    'read', 'journeys.write', 'journeys.publish', 'contacts.write', 'events.ingest', 'privacy', 'templates.write', 'credentials.manage',
    'tokens.manage', 'users.manage', 'audit.read', 'workspaces.manage',
  ],
};

export function can(role: Role, p: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(p) ?? false;
}

/** A role whose permissions are all held by `holder` (who may therefore hand it to a token). */
export function canGrant(holder: readonly Permission[], role: Role): boolean {
  return ROLE_PERMISSIONS[role].every((p) => holder.includes(p));
}

/** Routes other files register without declaring a permission. `:param` segments match any value. */
const ROUTE_PERMISSIONS: { method: string; pattern: RegExp; permission: Permission }[] = [
  { method: 'POST', pattern: /^\/api\/v1\/journeys\/:[^/]+\/publish$/, permission: 'journeys.publish' },
  { method: 'POST', pattern: /^\/api\/v1\/events$/, permission: 'events.ingest' },
  { method: '*', pattern: /^\/api\/v1\/(credentials|channels|channel-configs)(\/|$)/, permission: 'credentials.manage' },
  { method: '*', pattern: /^\/api\/v1\/(users|tokens|audit)(\/|$)/, permission: 'admin-only' as Permission },
  { method: 'POST', pattern: /^\/api\/v1\/contacts(\/|$)/, permission: 'contacts.write' },
  { method: 'PUT', pattern: /^\/api\/v1\/contacts(\/|$)/, permission: 'contacts.write' },
  { method: 'DELETE', pattern: /^\/api\/v1\/contacts(\/|$)/, permission: 'contacts.write' },
  { method: 'POST', pattern: /^\/api\/v1\/segments(\/|$)/, permission: 'contacts.write' },
  { method: 'PUT', pattern: /^\/api\/v1\/segments(\/|$)/, permission: 'contacts.write' },
  { method: 'DELETE', pattern: /^\/api\/v1\/segments(\/|$)/, permission: 'contacts.write' },
];

export const PUBLIC = 'public' as const;

/** The permission a route needs, or PUBLIC. */
export function routePermission(method: string, url: string, config: { permission?: Permission | typeof PUBLIC } = {}): Permission | typeof PUBLIC {
  if (config.permission) return config.permission;
  if (!url.startsWith('/api/')) return PUBLIC; // /health and the editor's static files
  if (url === '/api/openapi.json' || url === '/api/docs' || url.startsWith('/api/docs/')) return PUBLIC;
  // Inbound platform webhooks authenticate by the channel's HMAC signature (of the x-workspace-id workspace).
  if (method === 'POST' && /^\/api\/v1\/channels\/:[^/]+\/webhook$/.test(url)) return PUBLIC;
  for (const r of ROUTE_PERMISSIONS) {
    if ((r.method === '*' || r.method === method) && r.pattern.test(url)) {
      return (r.permission as string) === 'admin-only' ? 'users.manage' : r.permission;
    }
  }
  return method === 'GET' || method === 'HEAD' ? 'read' : 'journeys.write';
}
