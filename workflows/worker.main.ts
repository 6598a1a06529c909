// `npm run worker`: one worker process (run several on the same task queue to scale out).
import { channelOptions, createChannelRegistry } from '../core/channels/index';
import { loadConfig } from '../core/config';
import { loadRegistry } from '../core/node-registry';
import { openStore } from '../core/store/db';
import { createJourneyWorker, retryStartup } from './worker';

const cfg = loadConfig();
const mongoUri = cfg.mongoUri ?? `mongodb://127.0.0.1:${cfg.ferretdbPort}/`;
const store = await retryStartup('the store', () => openStore(mongoUri, cfg.mongoDb));
const { worker, connection } = await createJourneyWorker({
  temporalAddress: cfg.temporalAddress ?? `127.0.0.1:${cfg.temporalPort}`, namespace: cfg.temporalNamespace, taskQueue: cfg.taskQueue,
  // Built-in nodes plus custom node modules; a broken module is logged and skipped, the others load.
  store, registry: (await loadRegistry()).registry, channels: createChannelRegistry(store, channelOptions(cfg)),
  // A prebuilt workflow bundle skips bundling at start (tests and fast restarts).
  workflowBundle: process.env.JOURNEYS_WORKFLOW_BUNDLE ? { codePath: process.env.JOURNEYS_WORKFLOW_BUNDLE } : undefined,
});
console.log(`worker polling task queue "${cfg.taskQueue}"`);
// The SDK installs SIGINT/SIGTERM handlers that drain the worker; run() resolves after that.
await worker.run();
await connection.close();
await store.close();
