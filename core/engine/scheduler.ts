/**
 * The periodic jobs: SLA breach checks, scheduled broadcasts, and runs whose start was lost. All are idempotent (event
 * ids are deterministic), so several API instances may run them; each tick runs after the previous one ended.
 */
import type { EngineDeps } from './ingest';
import { runDueBroadcasts } from './broadcasts';
import { checkSlaBreaches } from './sla-breaches';
import { startUnstartedRuns } from './unstarted-runs';
import { logRedacted } from '../logging/redact';

export function startCrmScheduler(d: EngineDeps, intervalMs = 30_000, log: (msg: string, err?: unknown) => void = (msg, err) => logRedacted('error', msg, err)): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      await checkSlaBreaches(d);
      await runDueBroadcasts(d);
      await startUnstartedRuns(d);
    } catch (err) {
      log('crm scheduler tick failed', err);
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), intervalMs);
  timer.unref?.();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
