/**
 * Memory of the processes a scale run involves, read from /proc (Linux), sampled while contacts are enrolled and
 * after they all wait: whether the worker, Temporal and the store stop growing once the runs wait is read from the
 * samples (RSS at 25/50/75/100 % enrolled, and after a quiet settle period).
 */
import fs from 'node:fs';

/** Resident set of a process in MiB, or null when it is not known here (not started by the bench, or gone). */
export function rssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);
  } catch {
    return null;
  }
}

export interface Memory { workerMiB: number; temporalMiB: number | null; ferretdbMiB: number | null; /** The bench process's main JS heap in use (RSS minus it: native memory, the workflow thread, free pages). */ workerHeapMiB?: number }

/** The bench process (API + worker + load generator), the Temporal server and FerretDB. */
export function memoryNow(pids: { temporal?: number; ferretdb?: number }): Memory {
  const m = process.memoryUsage();
  return { workerMiB: Math.round(m.rss / 2 ** 20), temporalMiB: rssMiB(pids.temporal), ferretdbMiB: rssMiB(pids.ferretdb), workerHeapMiB: Math.round(m.heapUsed / 2 ** 20) };
}

export interface MemorySample extends Memory { seconds: number; done: number }

/** Samples memory every `everyMs` with a progress figure (contacts enrolled so far, as `progress` reads it). */
export function sampleMemory(pids: { temporal?: number; ferretdb?: number }, progress: () => number | Promise<number>, everyMs = 5000) {
  const t0 = Date.now();
  const samples: MemorySample[] = [];
  let busy = false;
  const take = async () => {
    if (busy) return;
    busy = true;
    try {
      samples.push({ seconds: Math.round((Date.now() - t0) / 1000), done: await progress(), ...memoryNow(pids) });
    } catch {
      // a failed progress read (store busy) skips one sample
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void take(), everyMs);
  return {
    samples,
    async stop(): Promise<MemorySample[]> {
      clearInterval(timer);
      await take();
      return samples;
    },
  };
}

/** The first sample at or past each quarter of `n` done (the last sample if none is). */
export function atQuarters(samples: MemorySample[], n: number): Record<string, Memory & { seconds: number }> {
  const out: Record<string, Memory & { seconds: number }> = {};
  for (const q of [25, 50, 75, 100]) {
    const s = samples.find((x) => x.done >= (n * q) / 100) ?? samples.at(-1);
    if (s) out[`${q}%`] = { seconds: s.seconds, workerMiB: s.workerMiB, temporalMiB: s.temporalMiB, ferretdbMiB: s.ferretdbMiB, workerHeapMiB: s.workerHeapMiB };
  }
  return out;
}

