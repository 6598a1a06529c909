// `npm run api`: the API alone (scale it out behind a load balancer). Needs TEMPORAL_ADDRESS and MONGODB_URI,
// or local services from `npm run services`.
import { logDestination } from '../core/logging/log-format';
import { buildApp } from './app';
import { loadConfig } from '../core/config';
import { openAppDeps } from './open-app-deps';
import { bootstrapAdmin } from '../core/store/users';
import { startCrmScheduler } from '../core/engine/scheduler';

const cfg = loadConfig();
const rt = await openAppDeps({
  temporalAddress: cfg.temporalAddress ?? `127.0.0.1:${cfg.temporalPort}`, namespace: cfg.temporalNamespace,
  mongoUri: cfg.mongoUri ?? `mongodb://127.0.0.1:${cfg.ferretdbPort}/`, mongoDb: cfg.mongoDb, taskQueue: cfg.taskQueue,
});
await bootstrapAdmin(rt.store, cfg);
const app = await buildApp(rt, { logger: { level: cfg.logLevel }, logStream: logDestination(), ingestRateLimit: cfg.ingestRateLimit });
await app.listen({ host: cfg.host, port: cfg.port });
// SLA breaches and scheduled broadcasts (idempotent: safe on several API instances).
const stopScheduler = cfg.crmSchedulerMs > 0 ? startCrmScheduler({ store: rt.store, temporal: rt.temporal, taskQueue: cfg.taskQueue }, cfg.crmSchedulerMs) : () => undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, async () => {
    stopScheduler();
    await app.close();
    await rt.close();
    process.exit(0);
  });
}
