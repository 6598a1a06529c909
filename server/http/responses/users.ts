/** Users, API tokens, sessions, workspaces and the audit log as the API answers them. */
import { anyJson, arrayOf, bool, date, nullableDate, nullableStr, object, str, strings, type View } from './shapes';

export const roleSchema = { type: 'string', enum: ['viewer', 'marketer', 'developer', 'admin'] } as const;

export const userViewSchema = object({ id: str, email: str, name: str, role: roleSchema, disabled: bool, createdAt: date, updatedAt: date });
export type UserView = View<typeof userViewSchema>;

export const signInResponse = object({ token: str, expiresAt: date, workspaceId: str, user: userViewSchema, permissions: strings });

export const meResponse = object({
  kind: { type: 'string', enum: ['user', 'token'] }, id: str, name: str, role: roleSchema, permissions: strings,
  workspace: object({ id: str, name: str }), user: { ...userViewSchema, type: ['object', 'null'] },
});
export type Me = View<typeof meResponse>;

export const workspaceResponse = object({ id: str, name: str, createdAt: nullableDate });
export const workspaceCreatedResponse = object({ id: str, name: str, admin: userViewSchema });

export const userListResponse = object({ users: arrayOf(userViewSchema) });

export const tokenViewSchema = object({
  id: str, name: str, role: roleSchema, hint: str, createdAt: date, createdBy: str, createdById: nullableStr,
  expiresAt: nullableDate, revokedAt: nullableDate, active: bool,
});
export type TokenView = View<typeof tokenViewSchema>;
export const tokenListResponse = object({ tokens: arrayOf(tokenViewSchema) });
/** The one answer that holds a token's secret: shown once, never stored in clear. */
export const tokenCreatedResponse = object({ ...tokenViewSchema.properties, token: str });

export const auditEntrySchema = object({
  id: str, at: date, actor: object({ kind: str, id: str, name: str }), action: str,
  target: object({ kind: str, id: str, name: nullableStr }, ['name']), details: anyJson,
}, ['details']);
export type AuditEntry = View<typeof auditEntrySchema>;
export const auditListResponse = object({ entries: arrayOf(auditEntrySchema) });
