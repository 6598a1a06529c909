// `npm run services`: bring up Temporal + the store and keep them until Ctrl-C.
import { loadConfig } from '../core/config';
import { SetupError } from './binaries';
import { ensureServices } from './services';

try {
  const services = await ensureServices(loadConfig());
  console.log(`TEMPORAL_ADDRESS=${services.temporalAddress}`);
  console.log(`MONGODB_URI=${services.mongoUri}`);
  if (services.temporalUiUrl) console.log(`Temporal UI: ${services.temporalUiUrl}`);
  if (services.started.length === 0) {
    console.log('nothing to start: all services were already available');
    process.exit(0);
  }
  console.log('services running; Ctrl-C stops them');
  const shutdown = async () => {
    await services.stop();
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => void shutdown());
} catch (err) {
  console.error(err instanceof SetupError ? `error: ${err.message}` : err);
  process.exit(1);
}
