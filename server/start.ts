// `npm start`: services (unless external ones are configured) + API + worker + the built editor, in one process.
import { SetupError } from '../scripts/binaries';
import { ensureServices } from '../scripts/services';
import { createJourneyWorker } from '../workflows/worker';
import { buildApp } from './app';
import { createChannelRegistry } from './channels/index';
import { ingestEvent } from './engine/ingest';
import { startCrmScheduler } from './store/scheduler';
import { loadConfig } from './config';
import { openApiRuntime } from './runtime';
import { bootstrapAdmin } from './store/users';

const cfg = loadConfig();
let services;
try {
  services = await ensureServices(cfg);
} catch (err) {
  console.error(err instanceof SetupError ? `error: ${err.message}` : err);
  process.exit(1);
}
const rt = await openApiRuntime({
  temporalAddress: services.temporalAddress, namespace: cfg.temporalNamespace, mongoUri: services.mongoUri, mongoDb: cfg.mongoDb, taskQueue: cfg.taskQueue,
});
await bootstrapAdmin(rt.store, cfg);
const app = await buildApp(rt, { logger: { level: cfg.logLevel }, ingestRateLimit: cfg.ingestRateLimit });
await app.listen({ host: cfg.host, port: cfg.port });
const stopScheduler = cfg.crmSchedulerMs > 0
  ? startCrmScheduler({ store: rt.store, temporal: rt.temporal, taskQueue: cfg.taskQueue }, ingestEvent, cfg.crmSchedulerMs)
  : () => undefined;
const { worker, connection } = await createJourneyWorker({
  temporalAddress: services.temporalAddress, namespace: cfg.temporalNamespace, taskQueue: cfg.taskQueue,
  store: rt.store, registry: rt.registry, channels: createChannelRegistry(rt.store, { smtpUrl: cfg.smtpUrl }),
});
const running = worker.run();

const base = `http://${cfg.host}:${cfg.port}`;
console.log(`
Journeys is running
  editor       ${base}/
  API docs     ${base}/api/docs
  health       ${base}/health
  Temporal UI  ${services.temporalUiUrl ?? '(external Temporal)'}
Ctrl-C stops everything.`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log('stopping…');
  stopScheduler();
  worker.shutdown();
  await running.catch(() => undefined);
  await connection.close();
  await app.close();
  await rt.close();
  await services!.stop();
  process.exit(0);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => void shutdown());
running.catch(async (err) => {
  console.error('worker stopped:', err);
  await shutdown();
});
