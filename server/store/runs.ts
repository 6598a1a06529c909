/** Enrollments, their steps and the per-node counters the canvas shows. */
import type { Store } from './db';
import type { EnrollmentDoc, EnrollmentStatus, StepDoc } from './documents';
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

export function activeEnrollments(s: Store, workspaceId: string, contactId: string) {
  return s.enrollments.find({ workspaceId, contactId, status: 'active' }).toArray();
}

export function hasActiveEnrollment(s: Store, workspaceId: string, journeyId: string, contactId: string) {
  return s.enrollments.findOne({ workspaceId, journeyId, contactId, status: 'active' }, { projection: { _id: 1 } });
}

export async function finishEnrollment(s: Store, workspaceId: string, id: string, status: Exclude<EnrollmentStatus, 'active'>, outcome: string, at: Date) {
  await s.enrollments.updateOne({ _id: id, workspaceId, status: 'active' }, { $set: { status, outcome, endedAt: at } });
}

function statsId(step: Pick<StepDoc, 'journeyId' | 'version' | 'nodeId'>) {
  return `${step.journeyId}|v${step.version}|${step.nodeId}`;
}

/**
 * Records a step once (its `_id` is enrollment + sequence number, minted in the workflow) and rolls it into the
 * node's counters only when it was new, so a retried activity never counts twice.
 * A `done` step after a `waiting` one of the same node (same seq) turns the waiting count into an exit.
 */
export async function recordStep(s: Store, step: StepDoc): Promise<boolean> {
  const inc: Record<string, number> = {};
  if (step.outcome === 'waiting') {
    try {
      await s.steps.insertOne(step);
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    inc.entered = 1;
    inc.waiting = 1;
  } else {
    const prior = await s.steps.findOneAndUpdate(
      { _id: step._id, outcome: 'waiting' },
      { $set: { outcome: step.outcome, port: step.port, at: step.at, evaluated: step.evaluated, output: step.output, error: step.error } },
    );
    if (prior) {
      inc.waiting = -1;
    } else {
      try {
        await s.steps.insertOne(step);
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
      inc.entered = 1;
    }
    if (step.outcome === 'error') inc.errors = 1;
    else inc.exited = 1;
    if (step.port) inc[`ports.${step.port}`] = 1;
  }
  const counters = { $inc: inc, $setOnInsert: { workspaceId: step.workspaceId, journeyId: step.journeyId, version: step.version, nodeId: step.nodeId } };
  try {
    await s.nodeStats.updateOne({ _id: statsId(step) }, counters, { upsert: true });
  } catch (err) {
    // Two first steps of a node racing to create its counter row: the loser's upsert now finds the row.
    if (!isDuplicateKey(err)) throw err;
    await s.nodeStats.updateOne({ _id: statsId(step) }, counters, { upsert: true });
  }
  await s.enrollments.updateOne({ _id: step.enrollmentId }, { $set: { currentNodeId: step.nodeId } });
  return true;
}

export function stepsOf(s: Store, workspaceId: string, enrollmentIds: string[]) {
  return s.steps.find({ workspaceId, enrollmentId: { $in: enrollmentIds } }).sort({ enrollmentId: 1, seq: 1 }).toArray();
}

export async function journeyStats(s: Store, workspaceId: string, journeyId: string, version: number) {
  const [nodes, enrollmentCounts] = await Promise.all([
    s.nodeStats.find({ workspaceId, journeyId, version }).toArray(),
    s.enrollments.aggregate<{ _id: string; n: number }>([
      { $match: { workspaceId, journeyId, version } },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]).toArray(),
  ]);
  return {
    enrollments: Object.fromEntries(enrollmentCounts.map((c) => [c._id, c.n])) as Partial<Record<EnrollmentStatus, number>>,
    nodes: Object.fromEntries(nodes.map((n) => [n.nodeId, { entered: n.entered ?? 0, waiting: n.waiting ?? 0, exited: n.exited ?? 0, errors: n.errors ?? 0, ports: n.ports ?? {} }])),
  };
}
