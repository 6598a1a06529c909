import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type LogEntry, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { logRedacted, redactText } from '../core/logging/redact';
import { createActivities, type ActivityDeps } from './activities';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./journey.workflow.ts', import.meta.url));

export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log() {}, trace() {}, debug() {}, info() {},
  warn: (m: string, meta?: unknown) => logRedacted('warn', m, meta ?? ''),
  error: (m: string, meta?: unknown) => logRedacted('error', m, meta ?? ''),
};

/**
 * The SDK's own line format, redacted: an activity failure quotes its error, and an HTTP node's error quotes the
 * URL it called (`?api_key=…`). Written to stderr like the SDK's default.
 */
export function writeRedactedLogEntry({ level, message, meta, timestampNanos }: LogEntry): void {
  const at = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
  process.stderr.write(`${redactText(`${at} [${level}] ${message}${meta === undefined ? '' : ` ${inspect(meta, { colors: false })}`}`)}\n`);
}

export interface WorkerOptions extends ActivityDeps {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (tests build it once); otherwise the workflow code is bundled at start. */
  workflowBundle?: { code: string } | { codePath: string };
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Runs kept in the worker's cache (see workerTuning). */
  maxCachedWorkflows?: number;
}

/** Concurrency of one worker, from the environment (see README: Configuration). */
function slots(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

let runtimeInstalled = false;

/** The SDK's own logging at WARN by default (LOG_LEVEL=debug shows its lifecycle chatter). Once per process. */
function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (process.env.TEMPORAL_LOG_LEVEL ?? 'WARN').toUpperCase() as 'WARN';
  try {
    // Core's own (native) lines are forwarded through the same logger instead of going to the console directly.
    Runtime.install({ logger: new DefaultLogger(level, writeRedactedLogEntry), telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } } });
  } catch {
    // already installed by the embedding process
  }
}

/**
 * A worker started while Temporal or the store is restarting (a deploy, a crash loop) waits for it instead of
 * exiting: retried with backoff for up to `withinMs`, then the last error is thrown.
 */
export async function retryStartup<T>(what: string, fn: () => Promise<T>, withinMs = 120_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + delay > deadline) throw err;
      logRedacted('warn', `${what} not reachable (${(err as Error).message.split('\n')[0]}); retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export async function createJourneyWorker(o: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  installRuntime();
  const connection = await retryStartup(`Temporal at ${o.temporalAddress}`, () => NativeConnection.connect({ address: o.temporalAddress }));
  const worker = await Worker.create({
    connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    activities: createActivities(o),
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...workerTuning(o),
  });
  return { worker, connection };
}

/**
 * Slots and the workflow cache of a journey worker (env: README, Configuration; figures: Benchmarks). A cached run
 * costs worker memory (≈0.25 MB for the bench's drip), and the SDK's default cache grows with the heap limit
 * (≈2,300 runs on a 4 GiB heap: ≈0.8 GB measured with no-op waiting runs, against ≈0.5 GB at 500). A run that
 * waits for days needs no cache: evicted, it is replayed from its history when its timer fires. So the cache is
 * bounded, 500 runs by default (never below the workflow task slots, which the SDK requires).
 */
export function workerTuning(o: Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows'> = {}) {
  const activitySlots = o.maxConcurrentActivityTaskExecutions ?? slots('JOURNEYS_WORKER_ACTIVITY_SLOTS', 100);
  const workflowSlots = o.maxConcurrentWorkflowTaskExecutions ?? slots('JOURNEYS_WORKER_WORKFLOW_SLOTS', 100);
  const cached = Math.max(o.maxCachedWorkflows ?? slots('JOURNEYS_WORKER_CACHED_WORKFLOWS', 500), workflowSlots, 2);
  return {
    maxConcurrentActivityTaskExecutions: activitySlots,
    maxConcurrentLocalActivityExecutions: activitySlots,
    maxConcurrentWorkflowTaskExecutions: workflowSlots,
    maxCachedWorkflows: cached,
  };
}
