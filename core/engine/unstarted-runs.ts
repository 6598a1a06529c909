/**
 * The sweeper of enrollments whose run never started: the enrollment row is written before the run is started,
 * and a process (or Temporal) can die between the two. A client's retry of the event repairs it at once (ingestion
 * starts the run of an active enrollment); this job repairs the rest: recent active enrollments older than the grace
 * period without a first step are looked up in Temporal and started when they have no run.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { EngineDeps } from './ingest';
import { recoverRun } from './ingest';

export interface SweepOptions { graceMs?: number; lookbackMs?: number; limit?: number; now?: Date }

export async function startUnstartedRuns(d: EngineDeps, o: SweepOptions = {}): Promise<string[]> {
  const now = o.now ?? new Date();
  const graceMs = o.graceMs ?? 60_000;
  const candidates = await d.store.enrollments.find(
    { status: 'active', startedAt: { $gte: new Date(now.getTime() - (o.lookbackMs ?? 3_600_000)), $lt: new Date(now.getTime() - graceMs) } },
    { projection: { _id: 1, workspaceId: 1, journeyId: 1, version: 1, contactId: 1, triggerEventId: 1 } },
  ).limit(o.limit ?? 500).toArray();
  if (!candidates.length) return [];
  const withSteps = new Set((await d.store.steps.find({ _id: { $in: candidates.map((e) => `${e._id}|1`) } }, { projection: { enrollmentId: 1 } }).toArray()).map((s) => s.enrollmentId));
  const started: string[] = [];
  for (const e of candidates.filter((c) => !withSteps.has(c._id) && !c._id.startsWith('test:'))) {
    try {
      await d.temporal.workflow.getHandle(e._id).describe();
      continue; // it has a run (queued behind others, or waiting for a worker)
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    const contact = await d.store.contacts.findOne({ _id: e.contactId, workspaceId: e.workspaceId });
    if (contact && (await recoverRun(d, e, contact, now))) started.push(e._id);
  }
  return started;
}
