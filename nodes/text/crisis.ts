// Negative-mention spike detector. Pure and deterministic: time comes in as an
// argument, state goes out as plain JSON, so it can live in a workflow's state
// or a Mongo document and be replayed exactly.
export interface CrisisConfig {
  /** Bucket width in ms (e.g. 15 min). Windows are aligned to the epoch: start = floor(at / windowMs) * windowMs. */
  windowMs: number;
  /** How many previous windows form the baseline. */
  baselineWindows: number;
  /** Fire when count > baseline * factor ... */
  factor: number;
  /** ... and count >= minCount. */
  minCount: number;
}

export interface CrisisState {
  version: 1;
  /** Negative-mention count per window, keyed by window start (epoch ms, as a string: JSON keys are strings). */
  buckets: Record<string, number>;
  /** Start of the last window that fired; a window fires at most once. */
  lastFiredWindow: number | null;
}

export interface CrisisFired {
  windowStart: number;
  count: number;
  baseline: number;
}

export function emptyCrisisState(): CrisisState {
  return { version: 1, buckets: {}, lastFiredWindow: null };
}

export function recordNegativeMention(
  state: CrisisState | undefined,
  at: number,
  cfg: CrisisConfig,
): { state: CrisisState; fired?: CrisisFired } {
  validate(cfg);
  if (!Number.isFinite(at)) throw new RangeError(`crisis: invalid timestamp ${at}`);
  const prev = state ?? emptyCrisisState();
  const windowStart = Math.floor(at / cfg.windowMs) * cfg.windowMs;

  // Only the current window and the baseline windows behind the newest one matter.
  const newest = Math.max(windowStart, ...Object.keys(prev.buckets).map(Number));
  const horizon = newest - cfg.baselineWindows * cfg.windowMs;
  if (windowStart < horizon) return { state: prev }; // too late to affect anything; ignore

  const buckets: Record<string, number> = {};
  for (const [k, v] of Object.entries(prev.buckets)) if (Number(k) >= horizon) buckets[k] = v;
  const count = (buckets[windowStart] ?? 0) + 1;
  buckets[windowStart] = count;

  let sum = 0;
  for (let i = 1; i <= cfg.baselineWindows; i++) sum += buckets[windowStart - i * cfg.windowMs] ?? 0;
  const baseline = cfg.baselineWindows > 0 ? sum / cfg.baselineWindows : 0;
  // Floor of 1: with a quiet history, one or two mentions are not a crisis.
  const threshold = Math.max(baseline, 1) * cfg.factor;

  // Never fire for a window at or before one that already fired (also covers late events).
  const alreadyFired = prev.lastFiredWindow !== null && windowStart <= prev.lastFiredWindow;
  const next: CrisisState = { version: 1, buckets, lastFiredWindow: prev.lastFiredWindow };
  if (!alreadyFired && count > threshold && count >= cfg.minCount) {
    next.lastFiredWindow = windowStart;
    return { state: next, fired: { windowStart, count, baseline } };
  }
  return { state: next };
}

function validate(cfg: CrisisConfig): void {
  const ok =
    Number.isFinite(cfg.windowMs) && cfg.windowMs > 0 &&
    Number.isInteger(cfg.baselineWindows) && cfg.baselineWindows >= 0 &&
    Number.isFinite(cfg.factor) && cfg.factor > 0 &&
    Number.isFinite(cfg.minCount) && cfg.minCount >= 1;
  if (!ok) throw new RangeError(`crisis: invalid config ${JSON.stringify(cfg)}`);
}
