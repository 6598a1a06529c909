/**
 * CPU time of every process a run involves, read from /proc (Linux): the bench process itself (API + worker run
 * in it) and each server it started, with all their descendants (PostgreSQL forks a backend per connection).
 * A process's figure is utime+stime+cutime+cstime summed over its live tree: a child that exits and is reaped
 * moves its time into its parent's cutime, so the sum neither drops nor double-counts between two readings.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/** CPU-seconds by process name; null when the process is unknown here (not started by the bench, or gone). */
export type CpuSnapshot = Record<string, number | null>;

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try { clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { clockTicks = 100; }
  }
  return clockTicks;
}

interface ProcStat { pid: number; ppid: number; ticks: number }

/** Fields after the command name, which is in parentheses and may itself contain spaces or ')'. */
function readStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
    return { pid, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

function allStats(): ProcStat[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readStat(Number(d))).filter((s): s is ProcStat => !!s);
}

/** Ticks of `root` and every live descendant. */
function treeTicks(root: number, stats: ProcStat[]): number | null {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const self = stats.find((s) => s.pid === root);
  if (!self) return null;
  let ticks = 0;
  for (const queue = [self]; queue.length;) {
    const s = queue.pop()!;
    ticks += s.ticks;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return ticks;
}

/** CPU-seconds so far of this process ("bench": API + worker) and of each named server process tree. */
export function cpuSnapshot(servers: Record<string, number | undefined>): CpuSnapshot {
  const own = process.cpuUsage();
  const stats = allStats();
  const out: CpuSnapshot = { bench: (own.user + own.system) / 1e6 };
  for (const [name, pid] of Object.entries(servers)) {
    const ticks = pid ? treeTicks(pid, stats) : null;
    out[name] = ticks === null ? null : ticks / ticksPerSecond();
  }
  return out;
}

/** CPU-seconds spent between two snapshots, by process and in total (of the processes known in both). */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): { total: number; byProcess: CpuSnapshot } {
  const byProcess: CpuSnapshot = {};
  let total = 0;
  for (const name of Object.keys(after)) {
    const a = after[name];
    const b = before[name];
    byProcess[name] = a === null || b === null || b === undefined ? null : +(a - b).toFixed(3);
    total += byProcess[name] ?? 0;
  }
  return { total: +total.toFixed(3), byProcess };
}
