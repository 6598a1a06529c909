import path from 'node:path';
import os from 'node:os';

/** Every setting Journeys reads from the environment, in one place (documented in README "Configuration"). */
export interface Config {
  host: string;
  port: number;
  temporalAddress?: string;
  temporalNamespace: string;
  taskQueue: string;
  mongoUri?: string;
  mongoDb: string;
  dataDir: string;
  cacheDir: string;
  temporalPort: number;
  temporalUiPort: number;
  temporalUi: boolean;
  ferretdbPort: number;
  logLevel: string;
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const root = path.resolve(import.meta.dirname, '..');
  return {
    host: env.HOST || '127.0.0.1',
    port: int('PORT', 3000),
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'journeys',
    mongoUri: env.MONGODB_URI || undefined,
    mongoDb: env.MONGODB_DB || 'journeys',
    dataDir: path.resolve(root, env.JOURNEYS_DATA_DIR || '.data'),
    cacheDir: path.resolve(env.JOURNEYS_CACHE_DIR || path.join(os.homedir(), '.cache', 'journeys')),
    temporalPort: int('TEMPORAL_PORT', 7233),
    temporalUiPort: int('TEMPORAL_UI_PORT', 8233),
    temporalUi: env.TEMPORAL_UI !== 'off',
    ferretdbPort: int('FERRETDB_PORT', 27017),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
