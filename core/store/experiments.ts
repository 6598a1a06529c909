/**
 * Experiment paths: entries are spread over the arms by weight (deterministically from the enrollment id) during
 * the evaluation window; after it, once every arm has enough entries, the arm with the best conversion rate on the
 * journey's goal is recorded as the winner and takes every later entry.
 */
import { createHash } from 'node:crypto';
import type { ExperimentChoice, ExperimentRequest } from '../../nodes/contract';
import type { Store } from './db';

export interface ArmResult { entered: number; converted: number; rate: number }

export interface ExperimentDoc {
  _id: string; // `${workspaceId}|${journeyId}|${nodeId}`
  workspaceId: string;
  journeyId: string;
  nodeId: string;
  arms: { id: string; weight: number }[];
  startedAt: Date;
  windowMs: number;
  winner?: string;
  decidedAt?: Date;
  results?: Record<string, ArmResult>;
}

export const experiments = (s: Store) => s.db.collection<ExperimentDoc>('experiments');

/** A number in [0, 1) from the enrollment id: the same entry always takes the same arm. */
function unitHash(key: string): number {
  return parseInt(createHash('sha256').update(key).digest('hex').slice(0, 12), 16) / 2 ** 48;
}

export function weightedArm(arms: { id: string; weight: number }[], key: string): string {
  const total = arms.reduce((sum, a) => sum + a.weight, 0);
  let roll = unitHash(key) * total;
  for (const a of arms) if ((roll -= a.weight) < 0) return a.id;
  return arms[arms.length - 1].id;
}

export async function armResults(s: Store, workspaceId: string, journeyId: string, nodeId: string, arms: string[]): Promise<Record<string, ArmResult>> {
  const steps = await s.steps.find({ workspaceId, journeyId, nodeId, outcome: 'done' }, { projection: { enrollmentId: 1, port: 1 } }).limit(200_000).toArray();
  const byArm = new Map<string, Set<string>>(arms.map((a) => [a, new Set()]));
  for (const st of steps) if (st.port && byArm.has(st.port)) byArm.get(st.port)!.add(st.enrollmentId);
  const converted = new Set(
    (await s.enrollments.find({ workspaceId, journeyId, status: 'converted' }, { projection: { _id: 1 } }).limit(200_000).toArray()).map((e) => e._id),
  );
  const out: Record<string, ArmResult> = {};
  for (const [arm, ids] of byArm) {
    const c = [...ids].filter((id) => converted.has(id)).length;
    out[arm] = { entered: ids.size, converted: c, rate: ids.size ? c / ids.size : 0 };
  }
  return out;
}

export async function chooseArm(
  s: Store, ref: { workspaceId: string; journeyId: string; enrollmentId: string }, nodeId: string, req: ExperimentRequest, now = new Date(),
): Promise<ExperimentChoice> {
  const _id = `${ref.workspaceId}|${ref.journeyId}|${nodeId}`;
  await experiments(s).updateOne(
    { _id },
    { $setOnInsert: { workspaceId: ref.workspaceId, journeyId: ref.journeyId, nodeId, arms: req.arms, startedAt: now, windowMs: req.windowMs } },
    { upsert: true },
  );
  let doc = (await experiments(s).findOne({ _id }))!;
  if (!doc.winner && now.getTime() >= doc.startedAt.getTime() + req.windowMs) {
    const ids = req.arms.map((a) => a.id);
    const results = await armResults(s, ref.workspaceId, ref.journeyId, nodeId, ids);
    if (ids.every((a) => results[a].entered >= req.minPerArm)) {
      // Best rate wins; ties go to the arm listed first (the control, by convention).
      const winner = ids.reduce((best, a) => (results[a].rate > results[best].rate ? a : best), ids[0]);
      await experiments(s).updateOne({ _id, winner: { $exists: false } }, { $set: { winner, decidedAt: now, results } });
      doc = (await experiments(s).findOne({ _id }))!;
    }
  }
  if (doc.winner && req.arms.some((a) => a.id === doc.winner)) return { arm: doc.winner, phase: 'winner', results: doc.results };
  return { arm: weightedArm(req.arms, ref.enrollmentId), phase: 'exploring' };
}

export async function listExperiments(s: Store, workspaceId: string, journeyId: string) {
  const docs = await experiments(s).find({ workspaceId, journeyId }).toArray();
  return Promise.all(docs.map(async (d) => ({
    nodeId: d.nodeId, arms: d.arms, startedAt: d.startedAt.toISOString(), evaluationEndsAt: new Date(d.startedAt.getTime() + d.windowMs).toISOString(),
    winner: d.winner ?? null, decidedAt: d.decidedAt?.toISOString() ?? null,
    results: d.results ?? (await armResults(s, workspaceId, journeyId, d.nodeId, d.arms.map((a) => a.id))),
  })));
}
