/** Workspaces, users (argon2id passwords), sign-in sessions and API tokens (stored as SHA-256 of the secret). */
import { randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { newSecret, SESSION_PREFIX, sha256, TOKEN_PREFIX } from '../secrets';
import type { Store } from './db';
import type { ApiTokenDoc, Role, SessionDoc, UserDoc, WorkspaceDoc } from './documents';
import { isDuplicateKey } from './errors';
import { AppError, isAppError } from '../errors';

export const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function ensureWorkspace(s: Store, id: string, name = id): Promise<WorkspaceDoc> {
  await s.workspaces.updateOne({ _id: id }, { $setOnInsert: { name, createdAt: new Date() } }, { upsert: true }).catch((err) => {
    if (!isDuplicateKey(err)) throw err;
  });
  return (await s.workspaces.findOne({ _id: id }))!;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password); // argon2id with the library's recommended parameters
}

export async function createUser(s: Store, workspaceId: string, u: { email: string; name?: string; role: Role; password: string }): Promise<UserDoc> {
  const now = new Date();
  const email = u.email.trim().toLowerCase();
  const doc: UserDoc = {
    _id: randomUUID(), workspaceId, email, name: u.name ?? email, role: u.role, passwordHash: await hashPassword(u.password), createdAt: now, updatedAt: now,
  };
  const exists = () => new AppError('user_exists', { email }, { fields: [{ field: 'body/email', message: 'already exists', i18n: { en: 'already exists', 'zh-CN': '已存在' } }] });
  if (await s.users.findOne({ workspaceId, email })) throw exists();
  try {
    await s.users.insertOne(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw exists();
    throw err;
  }
  return doc;
}

export function userView(u: UserDoc) {
  return { id: u._id, email: u.email, name: u.name, role: u.role, disabled: !!u.disabled, createdAt: u.createdAt.toISOString(), updatedAt: u.updatedAt.toISOString() };
}

/**
 * The user these credentials belong to, or null. One email may have accounts in several workspaces (each created
 * by that workspace's admin): the password decides which one, so another tenant creating the same email neither
 * locks its owner out nor learns that it exists. Only several accounts with this very password are 'ambiguous' —
 * which only the one who knows the password can learn. Unknown emails cost a hash check too (no timing oracle).
 */
export async function checkPassword(s: Store, email: string, password: string, workspaceId?: string): Promise<UserDoc | null | 'ambiguous'> {
  const candidates = await s.users.find({ email: email.trim().toLowerCase(), ...(workspaceId ? { workspaceId } : {}) }).limit(10).toArray();
  const checks = await Promise.all((candidates.length ? candidates : [undefined]).map(async (u) => (
    (await verify(u?.passwordHash ?? DUMMY_HASH, password).catch(() => false)) && u && !u.disabled ? u : null
  )));
  const matches = checks.filter((u): u is UserDoc => u !== null);
  if (matches.length > 1) return 'ambiguous';
  return matches[0] ?? null;
}

/** A new workspace; its unique `_id` settles two concurrent creations of one id (the loser gets `workspace_exists`). */
export async function createWorkspace(s: Store, id: string, name = id): Promise<WorkspaceDoc> {
  const doc: WorkspaceDoc = { _id: id, name, createdAt: new Date() };
  try {
    await s.workspaces.insertOne(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('workspace_exists', { id }, { fields: [{ field: 'body/id', message: 'already exists', i18n: { en: 'already exists', 'zh-CN': '已存在' } }] });
    throw err;
  }
  return doc;
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0N6bHZmB2wW8Xw6o3xE0T0GmZcz6Kp5v3v5m5mYt4nU';

export async function createSession(s: Store, user: UserDoc, ttlMs: number, now = new Date()): Promise<{ secret: string; doc: SessionDoc }> {
  const secret = newSecret(SESSION_PREFIX);
  const doc: SessionDoc = { _id: sha256(secret), workspaceId: user.workspaceId, userId: user._id, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) };
  await s.sessions.insertOne(doc);
  return { secret, doc };
}

/** `createdBy` is the creating user: the token never does more than that user's role of the moment allows. */
export async function createApiToken(s: Store, workspaceId: string, t: { name: string; role: Role; createdBy: Pick<UserDoc, '_id' | 'email'>; expiresAt?: Date }): Promise<{ secret: string; doc: ApiTokenDoc }> {
  const secret = newSecret(TOKEN_PREFIX);
  const doc: ApiTokenDoc = {
    _id: randomUUID(), workspaceId, name: t.name, role: t.role, hash: sha256(secret), hint: secret.slice(0, 10), createdAt: new Date(),
    createdBy: t.createdBy.email, createdById: t.createdBy._id, expiresAt: t.expiresAt,
  };
  await s.apiTokens.insertOne(doc);
  return { secret, doc };
}

/** Tokens a user created (including those from before `createdById`, which name the creator by email). */
export const tokensOf = (u: Pick<UserDoc, '_id' | 'email' | 'workspaceId'>) => ({
  workspaceId: u.workspaceId, $or: [{ createdById: u._id }, { createdById: { $exists: false }, createdBy: u.email }],
});

/** A disabled or deleted user's sessions end and their tokens are revoked for good (re-enabling restores neither). */
export async function revokeCredentialsOf(s: Store, u: Pick<UserDoc, '_id' | 'email' | 'workspaceId'>): Promise<void> {
  await s.sessions.deleteMany({ workspaceId: u.workspaceId, userId: u._id });
  await s.apiTokens.updateMany({ ...tokensOf(u), revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
}

export function tokenView(t: ApiTokenDoc) {
  return {
    id: t._id, name: t.name, role: t.role, hint: `${t.hint}…`, createdAt: t.createdAt.toISOString(), createdBy: t.createdBy, createdById: t.createdById ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null, active: !t.revokedAt && !(t.expiresAt && t.expiresAt < new Date()),
  };
}

export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}

/**
 * A fresh install's first admin, from configuration (JOURNEYS_ADMIN_EMAIL / JOURNEYS_ADMIN_PASSWORD /
 * JOURNEYS_ADMIN_WORKSPACE). Only when that workspace has no user yet; without a configured password a random one
 * is generated and printed once.
 */
export async function bootstrapAdmin(s: Store, cfg: { adminEmail: string; adminPassword?: string; adminWorkspace: string }, log: (m: string) => void = console.log): Promise<UserDoc | null> {
  await ensureWorkspace(s, cfg.adminWorkspace);
  if (await s.users.findOne({ workspaceId: cfg.adminWorkspace })) return null;
  const password = cfg.adminPassword ?? randomPassword();
  try {
    const user = await createUser(s, cfg.adminWorkspace, { email: cfg.adminEmail, name: 'Administrator', role: 'admin', password });
    log(cfg.adminPassword
      ? `[journeys] bootstrap admin ${cfg.adminEmail} created in workspace "${cfg.adminWorkspace}" (password from JOURNEYS_ADMIN_PASSWORD)`
      : `[journeys] bootstrap admin created in workspace "${cfg.adminWorkspace}": ${cfg.adminEmail} / ${password} — sign in and change it (or set JOURNEYS_ADMIN_PASSWORD)`);
    return user;
  } catch (err) {
    if (isAppError(err, 'user_exists')) return null; // another API instance won the race
    throw err;
  }
}
