// `npm start`: services (unless external ones are configured) + API + worker + the built editor, in one process.
import { logDestination } from '../core/logging/log-format';
import { SetupError } from '../scripts/binaries';
import { ensureServices, stopManagedProcesses } from '../scripts/services';
import { createJourneyWorker } from '../workflows/worker';
import { buildApp } from './app';
import { channelOptions, createChannelRegistry } from '../core/channels/index';
import { startCrmScheduler } from '../core/engine/scheduler';
import { loadConfig } from '../core/config';
import { openAppDeps } from './open-app-deps';
import { bootstrapAdmin } from '../core/store/users';
import { logRedacted } from '../core/logging/redact';

const cfg = loadConfig();

// Set up before anything starts: a Ctrl-C during start-up stops what has started so far, like one after it.
// The servers also die with this process if it is killed outright (see dieWithParent in scripts/services.ts).
const closers: (() => unknown)[] = [];
let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('stopping…');
  // Newest first, each bounded: a close that hangs (on a server already gone) must not keep the servers running.
  for (const close of closers.reverse()) {
    await Promise.race([Promise.resolve().then(close).catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]);
  }
  await stopManagedProcesses();
  process.exit(code);
}
// Kept for good (not `once`): the tsx CLI re-sends a signal the process was slow to acknowledge, and a second one
// must not cut the shutdown short (scripts/services.ts would exit at once).
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void shutdown());

try {
  const services = await ensureServices(cfg);
  if (stopping) await new Promise(() => undefined); // shutdown() stops them and exits
  const rt = await openAppDeps({
    temporalAddress: services.temporalAddress, namespace: cfg.temporalNamespace, mongoUri: services.mongoUri, mongoDb: cfg.mongoDb, taskQueue: cfg.taskQueue,
  });
  closers.push(() => rt.close());
  await bootstrapAdmin(rt.store, cfg);
  const app = await buildApp(rt, { logger: { level: cfg.logLevel }, logStream: logDestination(), ingestRateLimit: cfg.ingestRateLimit });
  closers.push(() => app.close());
  await app.listen({ host: cfg.host, port: cfg.port });
  const { worker, connection } = await createJourneyWorker({
    temporalAddress: services.temporalAddress, namespace: cfg.temporalNamespace, taskQueue: cfg.taskQueue,
    store: rt.store, registry: rt.registry, channels: createChannelRegistry(rt.store, channelOptions(cfg)),
    workflowBundle: process.env.JOURNEYS_WORKFLOW_BUNDLE ? { codePath: process.env.JOURNEYS_WORKFLOW_BUNDLE } : undefined,
  });
  closers.push(() => connection.close());
  if (stopping) await new Promise(() => undefined);
  const running = worker.run();
  // The SDK's own signal handler may have begun the drain already: then shutdown() only waits for it.
  closers.push(() => { if (worker.getState() === 'RUNNING') worker.shutdown(); return running; });
  // SLA breaches and due broadcasts; stopped first.
  if (cfg.crmSchedulerMs > 0) closers.push(startCrmScheduler({ store: rt.store, temporal: rt.temporal, taskQueue: cfg.taskQueue }, cfg.crmSchedulerMs));
  running.catch((err) => {
    logRedacted('error', 'worker stopped:', err);
    void shutdown(1);
  });

  const base = `http://${cfg.host}:${cfg.port}`;
  console.log(`
Journeys is running
  editor       ${base}/
  API docs     ${base}/api/docs
  health       ${base}/health
  Temporal UI  ${services.temporalUiUrl ?? (cfg.temporalAddress ? '(external Temporal)' : 'off (TEMPORAL_UI=on serves it, for operators)')}
Ctrl-C stops everything.`);
} catch (err) {
  // A start-up cut short by shutdown() fails on the servers it stops: that is not worth reporting.
  if (!stopping) {
    console.error(err instanceof SetupError ? `error: ${err.message}` : err);
    await shutdown(1);
  }
}
