/**
 * Live per-node counters of a journey version, kept incrementally: each step a run records adds to them with one
 * atomic `$inc`, so reading them costs a few small documents however many runs there were. Counters are spread
 * over SHARDS documents per version (by enrollment) so that concurrent runs rarely update the same document.
 * They are counted from what the store actually wrote (a step newly inserted, a wait really completed, an
 * enrollment really finished), so a retried activity never counts twice; `recountStats` rebuilds them from the
 * steps (the definition they must match). A crash between a record and its counters is detected by the retry
 * (see markRecountNeeded), so reads stay exact.
 */
import { createHash } from 'node:crypto';
import type { Store } from './db';
import type { EnrollmentStatus, StepDoc } from './documents';
import { isDuplicateKey } from './errors';
import { LEASE_DEAD_MS, StatsBatch, versionKey, type LeaseDoc } from './stats-batch';

const SHARDS = 8;

export interface NodeCounts { entered: number; waiting: number; exited: number; errors: number; ports: Record<string, number> }

export interface JourneyStatsView {
  enrollments: Partial<Record<EnrollmentStatus, number>>;
  nodes: Record<string, NodeCounts>;
}

interface StatsDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  version: number;
  /** nodeId → counter → n; port counters are `port:<id>`. */
  nodes?: Record<string, Record<string, number>>;
  /** Finished enrollments by status, and `started` (runs that recorded their first step, seq 1). */
  enrollments?: Record<string, number>;
}

export const statsCollection = (s: Store) => s.db.collection<StatsDoc>('journey_stats');

/** A counter key safe as a document path (node ids are [A-Za-z0-9_-]; port ids come from configs). */
const safe = (k: string) => k.replace(/[.$%]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
const unsafe = (k: string) => k.replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

function shardOf(enrollmentId: string): number {
  return createHash('sha1').update(enrollmentId).digest()[0] % SHARDS;
}

export interface VersionRef { workspaceId: string; journeyId: string; version: number; enrollmentId: string }

/** What one step adds: entered, its outcome, its port (the same rules as the recount below). */
export function stepDelta(step: Pick<StepDoc, 'nodeId' | 'outcome' | 'port'>, into: Record<string, number> = {}): Record<string, number> {
  const n = `nodes.${safe(step.nodeId)}`;
  const add = (k: string, by = 1) => (into[k] = (into[k] ?? 0) + by);
  add(`${n}.entered`);
  add(`${n}.${step.outcome === 'waiting' ? 'waiting' : step.outcome === 'error' ? 'errors' : 'exited'}`);
  if (step.port && step.outcome !== 'error') add(`${n}.port:${safe(step.port)}`);
  return into;
}

/** A waiting step became `outcome` through `port`: it stops waiting and counts as left (or failed) there. */
export function waitCompletedDelta(step: Pick<StepDoc, 'nodeId' | 'outcome' | 'port'>, into: Record<string, number> = {}): Record<string, number> {
  const n = `nodes.${safe(step.nodeId)}`;
  into[`${n}.waiting`] = (into[`${n}.waiting`] ?? 0) - 1;
  const k = `${n}.${step.outcome === 'error' ? 'errors' : 'exited'}`;
  into[k] = (into[k] ?? 0) + 1;
  if (step.port && step.outcome !== 'error') into[`${n}.port:${safe(step.port)}`] = (into[`${n}.port:${safe(step.port)}`] ?? 0) + 1;
  return into;
}

export function finishedDelta(status: Exclude<EnrollmentStatus, 'active'>, into: Record<string, number> = {}): Record<string, number> {
  into[`enrollments.${status}`] = (into[`enrollments.${status}`] ?? 0) + 1;
  return into;
}

export function startedDelta(into: Record<string, number> = {}): Record<string, number> {
  into['enrollments.started'] = (into['enrollments.started'] ?? 0) + 1;
  return into;
}

const shardId = (ref: VersionRef) => `${ref.workspaceId}|${ref.journeyId}|${ref.version}|${shardOf(ref.enrollmentId)}`;

/**
 * The process's batch of counter deltas (stats-batch.ts), per client: every Store over one client shares it, and
 * the Store's close applies it. JOURNEYS_STATS_FLUSH_MS sets how often it is applied (0: each delta at once).
 */
const batches = new WeakMap<object, StatsBatch | null>();
const FLUSH_MS = ((v) => (Number.isFinite(v) && v >= 0 ? v : 1000))(Number(process.env.JOURNEYS_STATS_FLUSH_MS ?? 1000));
function batchOf(s: Store): StatsBatch | null {
  let b = batches.get(s.client);
  if (b === undefined) {
    b = FLUSH_MS > 0 ? new StatsBatch(statsCollection(s) as never, { intervalMs: FLUSH_MS, markRecount: (v) => markRecountNeeded(s, v) }) : null;
    batches.set(s.client, b);
  }
  return b;
}

/** Applies this process's pending counts and ends its lease (the Store's close calls it). */
export async function closeStatsBatch(s: Store): Promise<void> {
  const b = batches.get(s.client);
  batches.delete(s.client);
  await b?.close();
}

/**
 * Before a run writes records that count: the version stays named in this process's lease until their delta is
 * applied, so a crash in between is seen by readers (and a recount does not replace counters with runs in
 * flight). Call the returned function once the delta was added (or the writes failed).
 */
export async function holdStats(s: Store, ref: VersionRef): Promise<() => void> {
  const b = batchOf(s);
  if (!b) return () => undefined;
  await b.hold(ref);
  let done = false;
  return () => { if (!done) { done = true; b.release(ref); } };
}

/** Adds `delta` to the version's counters: one shard document's atomic `$inc`, batched with others by the process. */
export async function addToStats(s: Store, ref: VersionRef, delta: Record<string, number>): Promise<void> {
  const inc = Object.fromEntries(Object.entries(delta).filter(([, v]) => v !== 0));
  if (!Object.keys(inc).length) return;
  const b = batchOf(s);
  if (b) {
    await b.hold(ref);
    b.add(ref, shardId(ref), inc);
    return;
  }
  const { workspaceId, journeyId, version } = ref;
  const _id = shardId(ref);
  const update = { $inc: inc, $setOnInsert: { workspaceId, journeyId, version } };
  try {
    await statsCollection(s).updateOne({ _id }, update, { upsert: true });
  } catch (err) {
    // Two first upserts of one shard race on its `_id` (MongoDB retries this itself, FerretDB does not): the
    // document exists now, so the update applies.
    if (!isDuplicateKey(err)) throw err;
    await statsCollection(s).updateOne({ _id }, update, { upsert: true });
  }
}

function emptyView(): JourneyStatsView {
  return { enrollments: {}, nodes: {} };
}

function fold(docs: StatsDoc[]): JourneyStatsView {
  const view = emptyView();
  let started = 0;
  let finished = 0;
  for (const d of docs) {
    for (const [status, n] of Object.entries(d.enrollments ?? {})) {
      if (status === 'started') { started += n; continue; }
      finished += n;
      view.enrollments[status as EnrollmentStatus] = (view.enrollments[status as EnrollmentStatus] ?? 0) + n;
    }
    for (const [rawNode, counters] of Object.entries(d.nodes ?? {})) {
      const c = (view.nodes[unsafe(rawNode)] ??= { entered: 0, waiting: 0, exited: 0, errors: 0, ports: {} });
      for (const [k, n] of Object.entries(counters)) {
        if (k.startsWith('port:')) c.ports[unsafe(k.slice(5))] = (c.ports[unsafe(k.slice(5))] ?? 0) + n;
        else if (k === 'entered' || k === 'waiting' || k === 'exited' || k === 'errors') c[k] += n;
      }
    }
  }
  for (const [id, c] of Object.entries(view.nodes)) {
    if (c.entered === 0) delete view.nodes[id];
    else for (const [p, n] of Object.entries(c.ports)) if (n === 0) delete c.ports[p];
  }
  if (started - finished > 0) view.enrollments.active = started - finished;
  return view;
}

/**
 * A write that finds its record already there (a retry after a crash) cannot tell whether the crash came before or
 * after the counters' `$inc` (two documents, no transaction): it marks the version, and reads of a marked version
 * are recounted from the steps until the recount can replace the counters (no run of the version is active).
 */
export async function markRecountNeeded(s: Store, ref: Omit<VersionRef, 'enrollmentId'>): Promise<void> {
  const { workspaceId, journeyId, version } = ref;
  await statsCollection(s).updateOne(
    { _id: `${workspaceId}|${journeyId}|${version}|recount` },
    { $set: { workspaceId, journeyId, version, recount: true } },
    { upsert: true },
  ).catch((err) => { if (!isDuplicateKey(err)) throw err; });
}

/**
 * The counters of one version: SHARDS small documents, whatever the number of runs, read with the leases that name
 * the version (processes holding counts of it not yet applied). `recountNeeded`: marked, or named by a dead lease.
 */
export async function readStats(s: Store, workspaceId: string, journeyId: string, version: number): Promise<JourneyStatsView & { recountNeeded: boolean; inFlight: LeaseDoc[] }> {
  const ids = Array.from({ length: SHARDS }, (_, i) => `${workspaceId}|${journeyId}|${version}|${i}`);
  const key = versionKey({ workspaceId, journeyId, version });
  // Two queries, each on its index (an $or of both is a scan of the collection on FerretDB).
  const [docs, leases] = await Promise.all([
    statsCollection(s).find({ _id: { $in: [...ids, `${workspaceId}|${journeyId}|${version}|recount`] } }).toArray(),
    statsCollection(s).find({ versions: key } as never).toArray() as unknown as Promise<LeaseDoc[]>,
  ]);
  const counters = docs.filter((d) => !(d as { recount?: boolean }).recount);
  const dead = leases.filter((l) => Date.now() - l.beatAt.getTime() > LEASE_DEAD_MS);
  const recountNeeded = dead.length > 0 || docs.some((d) => (d as { recount?: boolean }).recount);
  return { ...fold(counters), recountNeeded, inFlight: leases.filter((l) => !dead.includes(l)) };
}

/**
 * The same counters computed from the steps and enrollments themselves (slow: every step of the version). Used to
 * check the live counters, and to rebuild them: `rewrite` replaces the shard documents with the recount.
 */
export async function recountStats(s: Store, workspaceId: string, journeyId: string, version: number, opts: { rewrite?: boolean } = {}): Promise<JourneyStatsView> {
  const [steps, enrollments, started] = await Promise.all([
    s.steps.aggregate<{ _id: { node: string; outcome: StepDoc['outcome']; port?: string }; n: number }>([
      { $match: { workspaceId, journeyId, version } },
      { $group: { _id: { node: '$nodeId', outcome: '$outcome', port: '$port' }, n: { $sum: 1 } } },
    ]).toArray(),
    s.enrollments.aggregate<{ _id: string; n: number }>([
      { $match: { workspaceId, journeyId, version } },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]).toArray(),
    // A run counts as started with its first step (seq 1), as the live counters count it.
    s.steps.countDocuments({ workspaceId, journeyId, version, seq: 1 }),
  ]);
  const delta: Record<string, number> = {};
  for (const { _id: g, n } of steps) {
    const one = stepDelta({ nodeId: g.node, outcome: g.outcome, port: g.port });
    for (const [k, v] of Object.entries(one)) delta[k] = (delta[k] ?? 0) + v * n;
  }
  if (started) delta['enrollments.started'] = started;
  for (const { _id: status, n } of enrollments) if (status !== 'active') delta[`enrollments.${status}`] = n;
  const doc = unflatten(delta);
  if (opts.rewrite) {
    const ids = Array.from({ length: SHARDS }, (_, i) => `${workspaceId}|${journeyId}|${version}|${i}`);
    await statsCollection(s).deleteMany({ _id: { $in: [...ids, `${workspaceId}|${journeyId}|${version}|recount`] } });
    await statsCollection(s).insertOne({ _id: ids[0], workspaceId, journeyId, version, ...doc });
  }
  return fold([{ _id: '', workspaceId, journeyId, version, ...doc }]);
}

function unflatten(delta: Record<string, number>): Pick<StatsDoc, 'nodes' | 'enrollments'> {
  const out: { nodes: Record<string, Record<string, number>>; enrollments: Record<string, number> } = { nodes: {}, enrollments: {} };
  for (const [k, v] of Object.entries(delta)) {
    const [head, a, b] = k.split('.');
    if (head === 'enrollments') out.enrollments[a] = v;
    else (out.nodes[a] ??= {})[b] = v;
  }
  return out;
}

/** How long a read waits for other processes to apply counts added before it (a flush interval, and some). */
const IN_FLIGHT_WAIT_MS = FLUSH_MS * 2 + 500;

/**
 * The counters as of this call: this process's pending counts are applied first, and counts other processes
 * added before it (their lease names the version) are waited for, up to IN_FLIGHT_WAIT_MS. Versions marked, or
 * named by a dead process's lease, are recounted from the steps. Versions published before counters were
 * incremental have steps but no counter documents: they are counted once from their steps on first read.
 */
export async function journeyStats(s: Store, workspaceId: string, journeyId: string, version: number): Promise<JourneyStatsView> {
  const asOf = Date.now();
  await batches.get(s.client)?.flush().catch(() => undefined);
  let read = await readStats(s, workspaceId, journeyId, version);
  const behind = (r: typeof read) => r.inFlight.some((l) => (l.flushedAt?.getTime() ?? 0) < asOf);
  while (!read.recountNeeded && behind(read) && Date.now() - asOf < IN_FLIGHT_WAIT_MS) {
    await new Promise((r) => setTimeout(r, 50));
    read = await readStats(s, workspaceId, journeyId, version);
  }
  const { recountNeeded, inFlight, ...view } = read;
  const key = versionKey({ workspaceId, journeyId, version });
  // A process that has not applied counts it held before this read, within a flush interval and more: too busy
  // or gone (its lease not yet dead). The steps are the exact answer meanwhile.
  if (!recountNeeded && behind(read)) return recountStats(s, workspaceId, journeyId, version);
  if (recountNeeded) {
    const recount = await recountStats(s, workspaceId, journeyId, version);
    // Replaced only when no run of the version can add to the counters meanwhile: none active, none held.
    if (inFlight.length) return recount;
    const active = await s.enrollments.findOne({ workspaceId, journeyId, version, status: 'active' }, { projection: { _id: 1 } });
    if (active) return recount;
    const rewritten = await recountStats(s, workspaceId, journeyId, version, { rewrite: true });
    // Dead leases named the version for the counts they lost; the recount has them.
    await statsCollection(s).updateMany(
      { lease: true, versions: key, beatAt: { $lt: new Date(Date.now() - LEASE_DEAD_MS) } } as never,
      { $pull: { versions: key } } as never,
    );
    await statsCollection(s).deleteMany({ lease: true, versions: { $size: 0 }, beatAt: { $lt: new Date(Date.now() - LEASE_DEAD_MS) } } as never);
    return rewritten;
  }
  if (Object.keys(view.nodes).length || Object.keys(view.enrollments).length) return view;
  if (!(await s.steps.findOne({ workspaceId, journeyId, version }, { projection: { _id: 1 } }))) return view;
  // Steps but no counters yet: a version from before them, or first runs whose counts are still in flight.
  return recountStats(s, workspaceId, journeyId, version, { rewrite: !inFlight.length });
}
