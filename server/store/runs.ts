/** Enrollments, their steps and the per-node counters the canvas shows. */
import type { Store } from './db';
import type { EnrollmentDoc, EnrollmentStatus, StepDoc } from './documents';
import { withContactLock } from './contact-lock';
import { isDuplicateKey } from './errors';

export async function insertEnrollment(s: Store, doc: EnrollmentDoc): Promise<'created' | 'exists'> {
  try {
    await s.enrollments.insertOne(doc);
    return 'created';
  } catch (err) {
    if (isDuplicateKey(err)) return 'exists';
    throw err;
  }
}

export async function finishEnrollment(s: Store, workspaceId: string, id: string, status: Exclude<EnrollmentStatus, 'active'>, outcome: string, at: Date) {
  await s.enrollments.updateOne({ _id: id, workspaceId, status: 'active' }, { $set: { status, outcome, endedAt: at } });
}

/**
 * Records a step once: its `_id` is enrollment + sequence number, minted in the workflow, so a retried activity
 * writes nothing twice. A `done` step after a `waiting` one of the same node (same seq) completes that row.
 * Counters are derived from steps when read (see journeyStats): FerretDB 1.x loses concurrent `$inc`s on one
 * document (measured: 100 parallel increments left 13), so a shared counter row would undercount.
 */
export async function recordStep(s: Store, step: StepDoc, completesWait = false): Promise<boolean> {
  if (completesWait) {
    // Filtered on `_id` alone: the embedded store's only indexed path (a compound filter costs a scan).
    await s.steps.updateOne({ _id: step._id }, { $set: { outcome: step.outcome, port: step.port, at: step.at, evaluated: step.evaluated, output: step.output, error: step.error } });
    return true;
  }
  try {
    await s.steps.insertOne(step);
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  return true;
}

export function stepsOf(s: Store, workspaceId: string, enrollmentIds: string[]) {
  return s.steps.find({ workspaceId, enrollmentId: { $in: enrollmentIds } }).sort({ enrollmentId: 1, seq: 1 }).toArray();
}

export interface NodeCounts { entered: number; waiting: number; exited: number; errors: number; ports: Record<string, number> }

export async function journeyStats(s: Store, workspaceId: string, journeyId: string, version: number) {
  const [steps, enrollmentCounts] = await Promise.all([
    s.steps.aggregate<{ _id: { node: string; outcome: StepDoc['outcome']; port?: string }; n: number }>([
      { $match: { workspaceId, journeyId, version } },
      { $group: { _id: { node: '$nodeId', outcome: '$outcome', port: '$port' }, n: { $sum: 1 } } },
    ]).toArray(),
    s.enrollments.aggregate<{ _id: string; n: number }>([
      { $match: { workspaceId, journeyId, version } },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]).toArray(),
  ]);
  const nodes: Record<string, NodeCounts> = {};
  for (const { _id: g, n } of steps) {
    const c = (nodes[g.node] ??= { entered: 0, waiting: 0, exited: 0, errors: 0, ports: {} });
    c.entered += n;
    if (g.outcome === 'waiting') c.waiting += n;
    else if (g.outcome === 'error') c.errors += n;
    else c.exited += n;
    if (g.port && g.outcome !== 'error') c.ports[g.port] = (c.ports[g.port] ?? 0) + n;
  }
  return {
    enrollments: Object.fromEntries(enrollmentCounts.map((c) => [c._id, c.n])) as Partial<Record<EnrollmentStatus, number>>,
    nodes,
  };
}

/** Marks a live run as the contact's, so events from the contact reach it (see ContactDoc.activeRuns). */
export async function addActiveRun(s: Store, workspaceId: string, contactId: string, enrollmentId: string) {
  await withContactLock(s, workspaceId, contactId, () => s.contacts.updateOne({ _id: contactId, workspaceId }, { $addToSet: { activeRuns: enrollmentId } }));
}

export async function removeActiveRun(s: Store, workspaceId: string, contactId: string, enrollmentId: string) {
  await withContactLock(s, workspaceId, contactId, () => s.contacts.updateOne({ _id: contactId, workspaceId }, { $pull: { activeRuns: enrollmentId } }));
}
