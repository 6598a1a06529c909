/** Calls `load` now and every `intervalMs` while mounted and `enabled`; keeps the last value and error. */
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../api/client';

export function usePolling<T>(load: (() => Promise<T>) | null, intervalMs: number, deps: unknown[]): { data: T | null; error: string | null; refresh(): void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (!loadRef.current) { setData(null); return; }
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const v = await loadRef.current!();
        if (!stop) { setData(v); setError(null); }
      } catch (err) {
        if (!stop) setError(errorText(err));
      }
      if (!stop) timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => { stop = true; clearTimeout(timer); };
  }, [intervalMs, tick, ...deps]); // eslint-disable-line react-hooks/exhaustive-deps
  return { data, error, refresh: () => setTick((n) => n + 1) };
}
