import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { audit, forgetPrincipals, SESSION_COOKIE } from '../auth/auth';
import { ROLE_PERMISSIONS } from '../auth/permissions';
import { AppError, isAppError } from '../../core/errors';
import { checkPassword, createSession, createUser, createWorkspace, hashPassword, userView } from '../../core/store/users';
import { errorResponse } from './schemas';
import { meResponse, signInResponse, workspaceCreatedResponse, workspaceResponse } from '../http/responses/users';

const password = { type: 'string', minLength: 8, maxLength: 200 } as const;
const email = { type: 'string', minLength: 3, maxLength: 200, pattern: '^[^@\\s]+@[^@\\s]+$' } as const;

export async function authRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const { store } = deps;
  const ttlMs = deps.sessionTtlMs ?? 12 * 3_600_000;

  api.post('/api/v1/auth/sign-in', {
    config: { permission: 'public', rateLimit: { timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'], summary: 'Sign in with email and password: sets the session cookie and returns the session token (for Bearer use)',
      body: {
        type: 'object',
        properties: { email: { type: 'string', minLength: 1, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 200 }, workspace: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
        required: ['email', 'password'],
        additionalProperties: false,
      },
      response: { 200: signInResponse, 400: errorResponse, 401: errorResponse, 429: errorResponse },
    },
  }, async (req, reply) => {
    const user = await checkPassword(store, req.body.email, req.body.password, req.body.workspace);
    if (user === 'ambiguous') throw new AppError('workspace_required');
    if (!user) throw new AppError('invalid_credentials');
    const { secret, doc } = await createSession(store, user, ttlMs);
    reply.setCookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.protocol === 'https', expires: doc.expiresAt });
    return { token: secret, expiresAt: doc.expiresAt.toISOString(), workspaceId: user.workspaceId, user: userView(user), permissions: [...ROLE_PERMISSIONS[user.role]] };
  });

  api.post('/api/v1/auth/sign-out', {
    config: { permission: 'read' },
    schema: { tags: ['auth'], summary: 'End the current session (and clear its cookie)', response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    if (req.principal?.sessionId) await store.sessions.deleteOne({ _id: req.principal.sessionId });
    forgetPrincipals();
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  api.get('/api/v1/auth/me', {
    config: { permission: 'read' },
    schema: { tags: ['auth'], summary: 'Who is signed in: user or token, workspace, role and permissions', response: { 200: meResponse } },
  }, async (req) => {
    const p = req.principal!;
    const ws = await store.workspaces.findOne({ _id: p.workspaceId });
    const user = p.kind === 'user' ? await store.users.findOne({ _id: p.id, workspaceId: p.workspaceId }) : null;
    return {
      kind: p.kind, id: p.id, name: p.name, role: p.role, permissions: [...p.permissions],
      workspace: { id: p.workspaceId, name: ws?.name ?? p.workspaceId }, user: user ? userView(user) : null,
    };
  });

  api.put('/api/v1/auth/password', {
    config: { permission: 'read' },
    schema: {
      tags: ['auth'], summary: "Change the signed-in user's own password (other sessions end)",
      body: { type: 'object', properties: { currentPassword: { type: 'string', minLength: 1 }, newPassword: password }, required: ['currentPassword', 'newPassword'], additionalProperties: false },
      response: { 204: { type: 'null' }, 400: errorResponse, 401: errorResponse },
    },
  }, async (req, reply) => {
    const p = req.principal!;
    if (p.kind !== 'user') throw new AppError('not_a_user');
    const user = await store.users.findOne({ _id: p.id, workspaceId: p.workspaceId });
    const ok = user && (await checkPassword(store, user.email, req.body.currentPassword, user.workspaceId));
    if (!ok || ok === 'ambiguous') throw new AppError('wrong_password');
    await store.users.updateOne({ _id: p.id, workspaceId: p.workspaceId }, { $set: { passwordHash: await hashPassword(req.body.newPassword), updatedAt: new Date() } });
    await store.sessions.deleteMany({ workspaceId: p.workspaceId, userId: p.id, _id: { $ne: p.sessionId ?? '' } });
    forgetPrincipals();
    await audit(deps, req, 'user.password_changed', { kind: 'user', id: p.id, name: p.name });
    return reply.status(204).send(null);
  });

  api.get('/api/v1/workspace', {
    config: { permission: 'read' },
    schema: { tags: ['workspaces'], summary: 'The workspace of the signed-in user or token', response: { 200: workspaceResponse } },
  }, async (req) => {
    const ws = await store.workspaces.findOne({ _id: req.workspaceId });
    return { id: req.workspaceId, name: ws?.name ?? req.workspaceId, createdAt: ws?.createdAt.toISOString() ?? null };
  });

  api.post('/api/v1/workspaces', {
    config: { permission: 'workspaces.manage' },
    schema: {
      tags: ['workspaces'], summary: 'Create another workspace with its first admin (who alone can enter it: data never crosses workspaces)',
      body: {
        type: 'object',
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' }, name: { type: 'string', minLength: 1, maxLength: 120 },
          admin: { type: 'object', properties: { email, name: { type: 'string', maxLength: 120 }, password }, required: ['email', 'password'], additionalProperties: false },
        },
        required: ['id', 'admin'],
        additionalProperties: false,
      },
      response: { 201: workspaceCreatedResponse, 400: errorResponse, 409: errorResponse },
    },
  }, async (req, reply) => {
    const ws = await createWorkspace(store, req.body.id, req.body.name ?? req.body.id);
    let admin;
    try {
      admin = await createUser(store, ws._id, { ...req.body.admin, role: 'admin' });
    } catch (err) {
      if (isAppError(err, 'user_exists')) throw new AppError('workspace_has_users', { id: req.body.id });
      throw err;
    }
    await audit(deps, req, 'workspace.created', { kind: 'workspace', id: ws._id, name: ws.name }, { admin: admin.email });
    return reply.status(201).send({ id: ws._id, name: ws.name, admin: userView(admin) });
  });
}
