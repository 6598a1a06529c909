/**
 * A per-contact mutex made of one inserted document. FerretDB 1.x applies `updateOne` as read → compute →
 * overwrite with no compare-and-swap, so two concurrent updates of one contact lose one of them (measured:
 * 200 parallel `$inc`s of one field left 19). Inserts are atomic on both FerretDB and MongoDB (unique `_id`),
 * so writers of the same contact take turns through this lock; writers of different contacts never wait.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from './db';
import { isDuplicateKey } from './errors';

interface LockDoc { _id: string; owner: string; expiresAt: Date }

export class ContactBusyError extends Error {
  override name = 'ContactBusyError';
}

export function withContactLock<T>(s: Store, workspaceId: string, contactId: string, fn: () => Promise<T>, opts?: LockOptions): Promise<T> {
  return withLock(s, `${workspaceId}|contact|${contactId}`, fn, opts);
}

interface LockOptions { ttlMs?: number; waitMs?: number }

/** Runs `fn` while holding the lock named `_id` (any read-modify-write of one shared document). */
export async function withLock<T>(s: Store, _id: string, fn: () => Promise<T>, { ttlMs = 30_000, waitMs = 20_000 }: LockOptions = {}): Promise<T> {
  const locks = s.db.collection<LockDoc>('locks');
  const owner = randomUUID();
  const deadline = Date.now() + waitMs;
  let delay = 5;
  for (;;) {
    try {
      await locks.insertOne({ _id, owner, expiresAt: new Date(Date.now() + ttlMs) });
      break;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // A holder that crashed leaves an expired lock behind: clear it (only while still expired) and try again.
      await locks.deleteOne({ _id, expiresAt: { $lt: new Date() } });
      if (Date.now() > deadline) throw new ContactBusyError(`${_id} stayed locked for ${waitMs} ms`);
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 200);
    }
  }
  try {
    return await fn();
  } finally {
    await locks.deleteOne({ _id, owner });
  }
}
