import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { audit, forgetPrincipals } from '../auth/auth';
import { canGrant, ROLES } from '../auth/permissions';
import { AppError, notFound } from '../../core/errors';
import { auditView, listAudit } from '../../core/store/audit';
import type { UserDoc } from '../../core/store/documents';
import { createApiToken, createUser, hashPassword, revokeCredentialsOf, tokensOf, tokenView, userView } from '../../core/store/users';
import { errorResponse, idParams } from './schemas';
import { auditListResponse, tokenCreatedResponse, tokenListResponse, userListResponse, userViewSchema } from '../http/responses/users';

const role = { type: 'string', enum: [...ROLES] } as const;
const password = { type: 'string', minLength: 8, maxLength: 200 } as const;

export async function userRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const { store } = deps;
  const userGone = () => new AppError('user_gone');

  const load = async (ws: string, id: string) => (await store.users.findOne({ _id: id, workspaceId: ws })) ?? Promise.reject(notFound('user'));
  /** The workspace must keep at least one active admin. */
  const keepsAnAdmin = async (ws: string, change: UserDoc) => {
    const admins = await store.users.countDocuments({ workspaceId: ws, role: 'admin', disabled: { $ne: true }, _id: { $ne: change._id } });
    if (admins === 0) throw new AppError('last_admin');
  };

  api.get('/api/v1/users', {
    config: { permission: 'users.manage' },
    schema: { tags: ['users'], summary: "The workspace's users and their roles", response: { 200: userListResponse } },
  }, async (req) => ({ users: (await store.users.find({ workspaceId: req.workspaceId }).sort({ email: 1 }).limit(1000).toArray()).map(userView) }));

  api.post('/api/v1/users', {
    config: { permission: 'users.manage' },
    schema: {
      tags: ['users'], summary: 'Add a user with a role and an initial password',
      body: {
        type: 'object',
        properties: { email: { type: 'string', minLength: 3, maxLength: 200, pattern: '^[^@\\s]+@[^@\\s]+$' }, name: { type: 'string', maxLength: 120 }, role, password },
        required: ['email', 'role', 'password'],
        additionalProperties: false,
      },
      response: { 201: userViewSchema, 400: errorResponse, 409: errorResponse },
    },
  }, async (req, reply) => {
    const user = await createUser(store, req.workspaceId, req.body);
    await audit(deps, req, 'user.created', { kind: 'user', id: user._id, name: user.email }, { role: user.role });
    return reply.status(201).send(userView(user));
  });

  api.patch('/api/v1/users/:id', {
    config: { permission: 'users.manage' },
    schema: {
      tags: ['users'], summary: "Change a user's name, role, password or disabled flag", params: idParams,
      body: { type: 'object', properties: { name: { type: 'string', maxLength: 120 }, role, password, disabled: { type: 'boolean' } }, additionalProperties: false, minProperties: 1 },
      response: { 200: userViewSchema, 404: errorResponse, 409: errorResponse },
    },
  }, async (req) => {
    const user = await load(req.workspaceId, req.params.id);
    const { name, role: newRole, password: pw, disabled } = req.body;
    if ((newRole && newRole !== 'admin' && user.role === 'admin') || (disabled && user.role === 'admin')) await keepsAnAdmin(req.workspaceId, user);
    const set: Partial<UserDoc> = { updatedAt: new Date() };
    if (name !== undefined) set.name = name;
    if (newRole) set.role = newRole;
    if (disabled !== undefined) set.disabled = disabled;
    if (pw) set.passwordHash = await hashPassword(pw);
    await store.users.updateOne({ _id: user._id, workspaceId: req.workspaceId }, { $set: set });
    if (disabled) await revokeCredentialsOf(store, user);
    else if (pw) await store.sessions.deleteMany({ workspaceId: req.workspaceId, userId: user._id });
    forgetPrincipals();
    const target = { kind: 'user', id: user._id, name: user.email };
    if (newRole && newRole !== user.role) await audit(deps, req, 'user.role_changed', target, { from: user.role, to: newRole });
    const other = { ...(name !== undefined ? { name } : {}), ...(disabled !== undefined ? { disabled } : {}), ...(pw ? { password: 'reset' } : {}) };
    if (Object.keys(other).length) await audit(deps, req, 'user.changed', target, other);
    return userView((await load(req.workspaceId, user._id)));
  });

  api.delete('/api/v1/users/:id', {
    config: { permission: 'users.manage' },
    schema: { tags: ['users'], summary: 'Remove a user (their sessions end and their API tokens are revoked)', params: idParams, response: { 204: { type: 'null' }, 404: errorResponse, 409: errorResponse } },
  }, async (req, reply) => {
    const user = await load(req.workspaceId, req.params.id);
    if (user.role === 'admin') await keepsAnAdmin(req.workspaceId, user);
    await store.users.deleteOne({ _id: user._id, workspaceId: req.workspaceId });
    await revokeCredentialsOf(store, user);
    forgetPrincipals();
    await audit(deps, req, 'user.deleted', { kind: 'user', id: user._id, name: user.email }, { role: user.role });
    return reply.status(204).send(null);
  });

  // --- API tokens for machines -------------------------------------------------------------------------------

  api.get('/api/v1/tokens', {
    config: { permission: 'tokens.manage' },
    schema: { tags: ['tokens'], summary: "The workspace's API tokens (never their secrets)", response: { 200: tokenListResponse } },
  }, async (req) => ({ tokens: (await store.apiTokens.find({ workspaceId: req.workspaceId }).sort({ createdAt: -1 }).limit(1000).toArray()).map(tokenView) }));

  api.post('/api/v1/tokens', {
    config: { permission: 'tokens.manage' },
    schema: {
      tags: ['tokens'], summary: 'Create an API token: the secret is in this answer only (stored hashed); use it as "Authorization: Bearer <token>"',
      body: {
        type: 'object',
        properties: { name: { type: 'string', minLength: 1, maxLength: 120 }, role, expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 } },
        required: ['name', 'role'],
        additionalProperties: false,
      },
      response: { 201: tokenCreatedResponse, 400: errorResponse, 403: errorResponse },
    },
  }, async (req, reply) => {
    const p = req.principal!;
    if (!canGrant(p.permissions, req.body.role)) throw new AppError('role_not_grantable', { role: p.role, granted: req.body.role });
    const expiresAt = req.body.expiresInDays ? new Date(Date.now() + req.body.expiresInDays * 86_400_000) : undefined;
    // A token minted by a token belongs to the same user, so it is bounded by that user's role as well.
    const creator = await store.users.findOne({ _id: p.userId, workspaceId: req.workspaceId });
    if (!creator) throw userGone();
    const { secret, doc } = await createApiToken(store, req.workspaceId, { name: req.body.name, role: req.body.role, createdBy: creator, expiresAt });
    await audit(deps, req, 'token.created', { kind: 'token', id: doc._id, name: doc.name }, { role: doc.role, expiresAt: expiresAt?.toISOString() ?? null });
    return reply.status(201).send({ ...tokenView(doc), token: secret });
  });

  api.delete('/api/v1/tokens/:id', {
    config: { permission: 'tokens.manage' },
    schema: { tags: ['tokens'], summary: 'Revoke an API token (at once): admins any of the workspace, others only their own', params: idParams, response: { 204: { type: 'null' }, 403: errorResponse, 404: errorResponse } },
  }, async (req, reply) => {
    const p = req.principal!;
    let own = {};
    if (!p.permissions.includes('users.manage')) {
      const me = await store.users.findOne({ _id: p.userId, workspaceId: req.workspaceId });
      if (!me) throw userGone();
      own = tokensOf(me);
    }
    const t = await store.apiTokens.findOneAndUpdate({ _id: req.params.id, workspaceId: req.workspaceId, ...own }, { $set: { revokedAt: new Date() } });
    if (!t) {
      if (await store.apiTokens.countDocuments({ _id: req.params.id, workspaceId: req.workspaceId })) {
        throw new AppError('not_token_owner');
      }
      throw notFound('token');
    }
    forgetPrincipals();
    await audit(deps, req, 'token.revoked', { kind: 'token', id: t._id, name: t.name });
    return reply.status(204).send(null);
  });

  // --- Audit log -----------------------------------------------------------------------------------------------

  api.get('/api/v1/audit', {
    config: { permission: 'audit.read' },
    schema: {
      tags: ['audit'], summary: 'Who published, changed a template, a credential, a user or a role, and when (newest first)',
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, before: { type: 'string', format: 'date-time' },
          action: { type: 'string', maxLength: 100 }, targetKind: { type: 'string', maxLength: 100 },
        },
        additionalProperties: false,
      },
      response: { 200: auditListResponse },
    },
  }, async (req) => {
    const items = await listAudit(store, req.workspaceId, { limit: req.query.limit ?? 100, before: req.query.before ? new Date(req.query.before) : undefined, action: req.query.action, targetKind: req.query.targetKind });
    return { entries: items.map(auditView) };
  });
}
