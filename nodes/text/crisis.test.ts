import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordNegativeMention, type CrisisConfig, type CrisisState } from './crisis';

const MIN = 60_000;
const cfg: CrisisConfig = { windowMs: 10 * MIN, baselineWindows: 6, factor: 3, minCount: 5 };
const T0 = Date.UTC(2024, 4, 18, 12, 0, 0); // aligned to a 10-minute window

/** Feeds mentions in order; returns final state and every firing. */
function run(times: number[], c: CrisisConfig = cfg, start?: CrisisState) {
  let state = start;
  const fired: { windowStart: number; count: number; baseline: number }[] = [];
  for (const at of times) {
    const r = recordNegativeMention(state, at, c);
    state = r.state;
    if (r.fired) fired.push(r.fired);
  }
  return { state: state!, fired };
}

/** n mentions spread evenly inside window number w (relative to T0). */
const inWindow = (w: number, n: number) => Array.from({ length: n }, (_, i) => T0 + w * cfg.windowMs + i * 1000);

describe('recordNegativeMention', () => {
  it('does not fire on baseline-level traffic', () => {
    const times = Array.from({ length: 24 }, (_, w) => inWindow(w, 4)).flat();
    expect(run(times).fired).toEqual([]);
  });

  it('does not fire on a handful of mentions with an empty history', () => {
    expect(run(inWindow(0, 4)).fired).toEqual([]); // below minCount
    expect(run(inWindow(0, 2), { ...cfg, minCount: 1 }).fired).toEqual([]); // baseline floor of 1 * factor 3
  });

  it('fires after a spike, once per window, with the baseline it compared against', () => {
    const quiet = Array.from({ length: 6 }, (_, w) => inWindow(w, 2)).flat(); // baseline 2/window
    const spike = inWindow(6, 20);
    const { fired } = run([...quiet, ...spike]);
    expect(fired).toEqual([{ windowStart: T0 + 6 * cfg.windowMs, count: 7, baseline: 2 }]);
  });

  it('can fire again in a later window', () => {
    const times = [...inWindow(0, 10), ...inWindow(1, 40)];
    const { fired } = run(times);
    // window 0: 5 > max(0,1)*3 and >= minCount; window 1: baseline 10/6, 6 > 5
    expect(fired.map((f) => [f.windowStart, f.count])).toEqual([
      [T0, 5],
      [T0 + cfg.windowMs, 6],
    ]);
  });

  it('treats missing windows as zero', () => {
    const times = [...inWindow(0, 60), ...inWindow(100, 5)];
    const { fired } = run(times);
    expect(fired.at(-1)).toEqual({ windowStart: T0 + 100 * cfg.windowMs, count: 5, baseline: 0 });
  });

  it('never fires for a window at or before the last fired one (late events)', () => {
    const { state } = run(inWindow(3, 5));
    expect(state.lastFiredWindow).toBe(T0 + 3 * cfg.windowMs);
    const late = run(inWindow(2, 10), cfg, state);
    expect(late.fired).toEqual([]);
  });

  it('ignores events older than the baseline horizon and prunes old buckets', () => {
    const { state } = run([...inWindow(0, 1), ...inWindow(50, 1)]);
    expect(Object.keys(state.buckets)).toEqual([String(T0 + 50 * cfg.windowMs)]);
    const r = recordNegativeMention(state, T0, cfg);
    expect(r.state).toEqual(state);
  });

  it('does not mutate the input state', () => {
    const { state } = run(inWindow(0, 3));
    const copy = structuredClone(state);
    recordNegativeMention(state, T0 + 1000, cfg);
    expect(state).toEqual(copy);
  });

  it('rejects invalid configs', () => {
    expect(() => recordNegativeMention(undefined, T0, { ...cfg, windowMs: 0 })).toThrow(RangeError);
    expect(() => recordNegativeMention(undefined, NaN, cfg)).toThrow(RangeError);
  });

  it('state survives a JSON round-trip mid-stream with identical results', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 * cfg.windowMs }), { minLength: 1, maxLength: 300 }),
        fc.nat(),
        (offsets, cut) => {
          const times = offsets.sort((a, b) => a - b).map((o) => T0 + o);
          const k = cut % times.length;
          const direct = run(times);
          const first = run(times.slice(0, k));
          const revived = k === 0 ? undefined : (JSON.parse(JSON.stringify(first.state)) as CrisisState);
          if (revived) expect(revived).toEqual(first.state);
          const second = run(times.slice(k), cfg, revived);
          expect([...first.fired, ...second.fired]).toEqual(direct.fired);
          expect(second.state).toEqual(direct.state);
        },
      ),
    );
  });

  it('fires at most once per window for any arrival order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 * cfg.windowMs }), { maxLength: 300 }), (offsets) => {
        const { fired } = run(offsets.map((o) => T0 + o));
        const windows = fired.map((f) => f.windowStart);
        expect(new Set(windows).size).toBe(windows.length);
        for (const f of fired) {
          expect(f.count).toBeGreaterThanOrEqual(cfg.minCount);
          expect(f.count).toBeGreaterThan(Math.max(f.baseline, 1) * cfg.factor);
        }
      }),
    );
  });
});
