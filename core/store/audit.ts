/** The audit log: who did what to which thing, and when. Append-only; readable by admins. */
import { randomUUID } from 'node:crypto';
import type { Store } from './db';
import type { AuditDoc } from './documents';

export type Actor = AuditDoc['actor'];

export async function recordAudit(s: Store, workspaceId: string, actor: Actor, action: string, target: AuditDoc['target'], details?: Record<string, unknown>, at = new Date()): Promise<void> {
  await s.audit.insertOne({ _id: randomUUID(), workspaceId, at, actor, action, target, details });
}

export async function listAudit(s: Store, workspaceId: string, q: { limit: number; before?: Date; action?: string; targetKind?: string }) {
  const filter: Record<string, unknown> = { workspaceId };
  if (q.before) filter.at = { $lt: q.before };
  if (q.action) filter.action = q.action;
  if (q.targetKind) filter['target.kind'] = q.targetKind;
  return s.audit.find(filter).sort({ at: -1 }).limit(q.limit).toArray();
}

export function auditView(d: AuditDoc) {
  const { _id, workspaceId: _w, ...rest } = d;
  return { id: _id, ...rest, at: d.at.toISOString() };
}
