/** Enrollments and their steps; each write that changes what the canvas counts also adds to the live counters. */
import type { Store } from './db';
import type { EnrollmentDoc, EnrollmentStatus, StepDoc } from './documents';
import { insertManyNew, insertNew, isDuplicateKey } from './errors';
import { addToStats, finishedDelta, markRecountNeeded, startedDelta, stepDelta, waitCompletedDelta, type VersionRef } from './journey-stats';

export { journeyStats } from './journey-stats';
export type { NodeCounts } from './journey-stats';

export async function insertEnrollment(s: Store, doc: EnrollmentDoc): Promise<'created' | 'exists'> {
  try {
    await s.enrollments.insertOne(doc);
    return 'created';
  } catch (err) {
    if (isDuplicateKey(err)) return 'exists';
    throw err;
  }
}

/** Ends an active enrollment; true when this call ended it (a retry, or a run already ended, changes nothing). */
export async function finishEnrollment(
  s: Store, workspaceId: string, id: string, status: Exclude<EnrollmentStatus, 'active'>, outcome: string, at: Date,
  delta: Record<string, number> = {}, ref?: VersionRef,
): Promise<boolean> {
  const res = await s.enrollments.findOneAndUpdate(
    { _id: id, workspaceId, status: 'active' },
    { $set: { status, outcome, endedAt: at } }, // no projection: FerretDB 1.x refuses one on findAndModify
  );
  const ended = !!res;
  if (ended) finishedDelta(status, delta);
  const version = ref ?? (res ? { workspaceId, journeyId: res.journeyId, version: res.version, enrollmentId: id } : undefined);
  if (version) await addToStats(s, version, delta);
  if (!ended && ref) await markRecountNeeded(s, ref); // ended before: by an earlier attempt, maybe before its counters
  return ended;
}

/**
 * The enrollment of a run that writes its own (the API did not insert it; see runsInOneStretch): ended as `end`
 * says, or still active when the run goes on. One insert; one that finds the row there (a retry, or a redelivered
 * event's insert) ends it as finishEnrollment would. True when this call ended it.
 */
export async function writeRunEnrollment(
  s: Store, ref: VersionRef & { contactId: string }, seed: { triggerEventId: string; entryKey: string; startedAt: number },
  end: { status: Exclude<EnrollmentStatus, 'active'>; outcome: string; at: Date } | undefined, delta: Record<string, number>,
): Promise<boolean> {
  const doc: EnrollmentDoc = {
    _id: ref.enrollmentId, workspaceId: ref.workspaceId, journeyId: ref.journeyId, version: ref.version, contactId: ref.contactId,
    triggerEventId: seed.triggerEventId, entryKey: seed.entryKey, startedAt: new Date(seed.startedAt),
    ...(end ? { status: end.status, outcome: end.outcome, endedAt: end.at } : { status: 'active' as const }),
  };
  if (!(await insertNew(s.enrollments, doc))) {
    if (!end) {
      await addToStats(s, ref, delta);
      return false;
    }
    return finishEnrollment(s, ref.workspaceId, ref.enrollmentId, end.status, end.outcome, end.at, delta, ref);
  }
  if (end) finishedDelta(end.status, delta);
  await addToStats(s, ref, delta);
  return !!end;
}

/**
 * Records a run's steps once each: a step's `_id` is enrollment + sequence number, minted in the workflow, so a
 * retried activity writes nothing twice and counts nothing twice (a retry that finds its steps written marks the
 * version for a recount: it cannot know whether the counters were added). With `completesWait`, the first step ends the
 * wait recorded under the same seq (that row is updated, only if it is still waiting). Returns the counter delta of
 * what was really written; the caller adds it with its other writes (or `flush` adds it here).
 */
export async function recordSteps(s: Store, steps: StepDoc[], opts: { completesWait?: boolean; delta?: Record<string, number> } = {}): Promise<Record<string, number>> {
  const delta = opts.delta ?? {};
  let rest = steps;
  if (opts.completesWait && steps.length) {
    const [first] = steps;
    rest = steps.slice(1);
    const res = await s.steps.updateOne(
      { _id: first._id, outcome: 'waiting' },
      { $set: { outcome: first.outcome, port: first.port, at: first.at, evaluated: first.evaluated, output: first.output, error: first.error } },
    );
    if (res.modifiedCount === 1) waitCompletedDelta(first, delta);
    else await markRecountNeeded(s, first);
  }
  if (!rest.length) return delta;
  const count = (st: StepDoc) => {
    stepDelta(st, delta);
    if (st.seq === 1) startedDelta(delta);
  };
  const existed = await insertManyNew(s.steps, rest);
  rest.forEach((st, i) => { if (!existed.has(i)) count(st); });
  // A retry: the steps written before are duplicates, counted by the attempt that wrote them (or not, if it died).
  if (existed.size) await markRecountNeeded(s, rest[0]);
  return delta;
}

export async function recordStep(s: Store, step: StepDoc, completesWait = false): Promise<void> {
  const delta = await recordSteps(s, [step], { completesWait });
  await addToStats(s, { ...step }, delta);
}

export function stepsOf(s: Store, workspaceId: string, enrollmentIds: string[]) {
  return s.steps.find({ workspaceId, enrollmentId: { $in: enrollmentIds } }).sort({ enrollmentId: 1, seq: 1 }).toArray();
}

/** The contact's runs that are still going (ingestion signals them; re-entry rules read them). */
export function activeEnrollmentsOf(s: Store, workspaceId: string, contactId: string) {
  return s.enrollments.find({ workspaceId, contactId, status: 'active' }, { projection: { _id: 1, journeyId: 1, version: 1, startedAt: 1, triggerEventId: 1 } }).limit(1000).toArray();
}
