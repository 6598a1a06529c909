/**
 * Counter deltas batched per process: runs add to memory, and one ordered bulk write every `intervalMs` applies
 * them (one `$inc` per shard document touched) — a few store operations a second instead of one per run.
 *
 * What memory holds is lost with the process, so each process keeps a lease document in `journey_stats` naming
 * the versions it may hold unapplied counts of. A run takes a hold on its version before it writes its records
 * (steps, enrollment end) and releases it with the delta; the version is named in the lease from the hold until a
 * flush has applied the delta. Readers therefore know: a version named by a lease that keeps beating has counts in
 * flight (wait for its next flush); one named by a lease that stopped beating may have lost some (recount it).
 */
import { randomUUID } from 'node:crypto';
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';

export interface LeaseDoc {
  _id: string;
  lease: true;
  /** Version keys (`workspace|journey|version`) this process may hold unapplied counts of. */
  versions: string[];
  /** Every write of the lease (holds and flushes): a lease that stopped beating belongs to a dead process. */
  beatAt: Date;
  /** When the last flush took its snapshot: every delta added before it is applied. */
  flushedAt?: Date;
}

/** A lease that names versions and has not beaten for this long is dead (a live one beats every flush). */
export const LEASE_DEAD_MS = 15_000;
/** A lease that names versions beats at least this often, even with nothing to apply. */
const BEAT_MS = 5_000;

interface VersionOf { workspaceId: string; journeyId: string; version: number }

export const versionKey = (v: VersionOf) => `${v.workspaceId}|${v.journeyId}|${v.version}`;

interface KeyState {
  /** Named in the lease document (its $addToSet done). */
  flagged: boolean;
  /** In flight: the $addToSet that names it. */
  naming?: Promise<void>;
  /** Runs between their hold and their delta. */
  holds: number;
  version: VersionOf;
}

export interface StatsBatchOptions {
  intervalMs: number;
  /** Marks a version whose counts a failed flush may have applied in part (journey-stats' markRecountNeeded). */
  markRecount(v: VersionOf): Promise<void>;
}

export class StatsBatch {
  readonly leaseId = `lease|${randomUUID()}`;
  /** Shard `_id` → the counts to add, and what to set when the upsert creates it. */
  private pending = new Map<string, { inc: Record<string, number>; version: VersionOf }>();
  private keys = new Map<string, KeyState>();
  /** Versions a failed flush left unknown: marked for a recount before the lease stops naming them. */
  private unmarked = new Map<string, VersionOf>();
  private chain: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private closed = false;
  private beatAt = 0;

  constructor(private readonly stats: Collection<Document>, private readonly opts: StatsBatchOptions) {}

  /** Operations run one after another: a naming $addToSet queued after a flush is applied after its $pullAll. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private stateOf(v: VersionOf): KeyState {
    const k = versionKey(v);
    let st = this.keys.get(k);
    if (!st) this.keys.set(k, (st = { flagged: false, holds: 0, version: { workspaceId: v.workspaceId, journeyId: v.journeyId, version: v.version } }));
    return st;
  }

  /** Before a run writes records that will count: the lease names the version until their delta is applied. */
  async hold(v: VersionOf): Promise<void> {
    const k = versionKey(v);
    const st = this.stateOf(v);
    st.holds++;
    try {
      while (!st.flagged) {
        st.naming ??= this.serial(async () => {
          await this.stats.updateOne(
            { _id: this.leaseId as never },
            { $addToSet: { versions: k }, $set: { lease: true, beatAt: new Date() } },
            { upsert: true },
          );
          st.flagged = true;
        }).finally(() => { st.naming = undefined; });
        await st.naming;
      }
    } catch (err) {
      st.holds--;
      throw err;
    }
    this.schedule();
  }

  /** The delta of a held version's records (the hold ends; an empty delta just ends it). */
  add(v: VersionOf, shardId: string, inc: Record<string, number>): void {
    const st = this.stateOf(v);
    if (st.holds > 0) st.holds--;
    if (Object.keys(inc).length) {
      const p = this.pending.get(shardId);
      if (!p) this.pending.set(shardId, { inc: { ...inc }, version: st.version });
      else for (const [f, n] of Object.entries(inc)) p.inc[f] = (p.inc[f] ?? 0) + n;
    }
    this.schedule();
  }

  /** Ends a hold whose run wrote nothing that counts (it failed before its writes). */
  release(v: VersionOf): void {
    this.add(v, '', {});
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => undefined).finally(() => { if (this.busy()) this.schedule(); });
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  /** Something to apply, or a version still named (held, or waiting for its un-naming). */
  private busy(): boolean {
    return this.pending.size > 0 || this.unmarked.size > 0 || [...this.keys.values()].some((s) => s.flagged || s.holds > 0);
  }

  /**
   * Applies what was added so far, in one ordered bulk write whose last operation un-names the versions with no
   * hold left (and beats the lease). A failed write may have applied part of it: those versions are marked for a
   * recount (retried each flush until it succeeds) and stay named until then.
   */
  flush(): Promise<void> {
    return this.serial(async () => {
      const at = new Date();
      const snapshot = this.pending;
      this.pending = new Map();
      const unname: string[] = [];
      for (const [k, st] of this.keys) {
        if (st.flagged && st.holds === 0 && !st.naming) {
          st.flagged = false;
          unname.push(k);
          this.keys.delete(k);
        }
      }
      for (const [k, v] of [...this.unmarked]) {
        try {
          await this.opts.markRecount(v);
          this.unmarked.delete(k);
          if (!this.keys.get(k)?.flagged) unname.push(k);
        } catch { /* still unknown: named until marked */ }
      }
      const ops: AnyBulkWriteOperation<Document>[] = [...snapshot].map(([_id, { inc, version }]) => ({
        updateOne: {
          filter: { _id: _id as never },
          update: { $inc: inc, $setOnInsert: { workspaceId: version.workspaceId, journeyId: version.journeyId, version: version.version } },
          upsert: true,
        },
      }));
      const unnamed = unname.filter((k) => !this.unmarked.has(k));
      // Nothing to apply, but versions stay named (runs still hold them): beat anyway, so the lease is not taken
      // for a dead process's.
      const named = [...this.keys.values()].some((st) => st.flagged);
      if (!ops.length && !unnamed.length && !(named && at.getTime() - this.beatAt > BEAT_MS)) return;
      this.beatAt = at.getTime();
      ops.push({
        updateOne: {
          filter: { _id: this.leaseId as never },
          update: { $pullAll: { versions: unnamed } as never, $set: { lease: true, beatAt: at, flushedAt: at } },
          upsert: true,
        },
      });
      try {
        await applyOrdered(this.stats, ops);
      } catch (err) {
        // Part of the counts may be in: the versions are unknown until a recount. Those un-named here are named
        // again (they may be, in the lease, if the write failed before its last operation; re-naming is harmless).
        for (const { version } of snapshot.values()) this.unmarked.set(versionKey(version), version);
        for (const k of unname) {
          const st = this.keys.get(k);
          if (!st) this.keys.set(k, { flagged: true, holds: 0, version: this.unmarked.get(k) ?? parseKey(k) });
          else st.flagged = true;
        }
        throw err;
      }
    });
  }

  /** Applies what is pending and gives up the lease (a process that ends cleanly leaves no lease behind). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
    if (!this.busy()) await this.serial(() => this.stats.deleteOne({ _id: this.leaseId as never })).catch(() => undefined);
  }
}

/**
 * An ordered bulk write stops at its first failed operation, having applied those before it. A first upsert of a
 * shard that another process created meanwhile fails on its `_id` (MongoDB retries that itself, FerretDB does
 * not): the rest is sent again from that operation, which now updates. Any other failure is the caller's.
 */
async function applyOrdered(stats: Collection<Document>, ops: AnyBulkWriteOperation<Document>[]): Promise<void> {
  let rest = ops;
  for (let attempt = 0; ; attempt++) {
    try {
      await stats.bulkWrite(rest, { ordered: true });
      return;
    } catch (err) {
      const first = err instanceof MongoBulkWriteError ? [err.writeErrors].flat()[0] : undefined;
      if (!first || first.code !== 11000 || attempt >= 3) throw err;
      rest = rest.slice(first.index);
    }
  }
}

function parseKey(k: string): VersionOf {
  const i = k.lastIndexOf('|');
  const j = k.indexOf('|');
  return { workspaceId: k.slice(0, j), journeyId: k.slice(j + 1, i), version: Number(k.slice(i + 1)) };
}
