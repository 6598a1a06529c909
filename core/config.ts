import path from 'node:path';
import os from 'node:os';
import { parseAllowEntry } from '../workflows/model/address-ranges';

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
  /** The dev server's UI, off unless TEMPORAL_UI=on: it can terminate any workspace's runs, so operators opt in. */
  temporalUi: boolean;
  /** Ports the dev server would otherwise pick at random (TEMPORAL_HTTP_PORT / TEMPORAL_METRICS_PORT): pinned so the destination policy knows them. */
  temporalHttpPort: number;
  temporalMetricsPort: number;
  ferretdbPort: number;
  /** FerretDB's backend when Journeys starts it (JOURNEYS_STORE_BACKEND): postgresql, sqlite, or auto (postgresql when installed). */
  storeBackend: 'auto' | 'postgresql' | 'sqlite';
  /** Port of the private PostgreSQL cluster behind FerretDB (POSTGRES_PORT). */
  postgresPort: number;
  /** Where PostgreSQL's server binaries are, if not in a standard place (POSTGRES_BIN_DIR). */
  postgresBinDir?: string;
  logLevel: string;
  /** Folder of custom node modules loaded at start (JOURNEYS_CUSTOM_NODES_DIR). */
  customNodesDir: string;
  /** npm packages of custom nodes (JOURNEYS_CUSTOM_NODE_PACKAGES, comma-separated). */
  customNodePackages: string[];
  /** Sign-in session lifetime in hours (JOURNEYS_SESSION_TTL_HOURS). */
  sessionTtlHours: number;
  /** Bootstrap admin of a fresh install (JOURNEYS_ADMIN_EMAIL / JOURNEYS_ADMIN_PASSWORD / JOURNEYS_ADMIN_WORKSPACE). */
  adminEmail: string;
  adminPassword?: string;
  adminWorkspace: string;
  /** SMTP server for the email channel when a workspace did not connect one (JOURNEYS_SMTP_URL, smtp://user:pass@host:port?from=…). */
  smtpUrl?: string;
  /** Where recipients reach the API: the base of email open/click/unsubscribe links (JOURNEYS_PUBLIC_URL). */
  publicUrl: string;
  /** Open pixel, click tracking and List-Unsubscribe in emails (JOURNEYS_EMAIL_TRACKING=off disables). */
  emailTracking: boolean;
  /** How often SLA breaches and due broadcasts are checked, ms (JOURNEYS_SCHEDULER_MS; 0 disables). */
  crmSchedulerMs: number;
  /** Event-ingestion requests per minute per credential (JOURNEYS_INGEST_RATE_LIMIT). */
  ingestRateLimit: number;
  /** Non-public destinations outbound calls may reach (JOURNEYS_OUTBOUND_ALLOW: host[:port] or CIDR, comma-separated). */
  outboundAllow: string[];
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

function outboundAllow(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = entries.find((e) => !parseAllowEntry(e));
  if (bad) throw new Error(`JOURNEYS_OUTBOUND_ALLOW entries must be host, host:port, [ipv6]:port or a CIDR, got "${bad}"`);
  return entries;
}

/** Where recipients and platforms reach the API (email tracking links); default: this server's own address. */
function publicUrl(raw: string | undefined, host: string, port: number): string {
  if (!raw) return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!/^https?:\/\/[^/]+/.test(raw)) throw new Error(`JOURNEYS_PUBLIC_URL must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

function storeBackend(raw: string | undefined): Config['storeBackend'] {
  if (raw === undefined || raw === '') return 'auto';
  if (raw === 'auto' || raw === 'postgresql' || raw === 'sqlite') return raw;
  throw new Error(`JOURNEYS_STORE_BACKEND must be auto, postgresql or sqlite, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const root = path.resolve(import.meta.dirname, '..');
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 3000),
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'journeys',
    mongoUri: env.MONGODB_URI || undefined,
    mongoDb: env.MONGODB_DB || 'journeys',
    dataDir: path.resolve(root, env.JOURNEYS_DATA_DIR || '.data'),
    cacheDir: path.resolve(env.JOURNEYS_CACHE_DIR || path.join(os.homedir(), '.cache', 'journeys')),
    temporalPort: int(env, 'TEMPORAL_PORT', 7233),
    temporalUiPort: int(env, 'TEMPORAL_UI_PORT', 8233),
    temporalUi: env.TEMPORAL_UI === 'on',
    temporalHttpPort: int(env, 'TEMPORAL_HTTP_PORT', int(env, 'TEMPORAL_PORT', 7233) + 10),
    temporalMetricsPort: int(env, 'TEMPORAL_METRICS_PORT', int(env, 'TEMPORAL_PORT', 7233) + 11),
    ferretdbPort: int(env, 'FERRETDB_PORT', 27017),
    storeBackend: storeBackend(env.JOURNEYS_STORE_BACKEND),
    postgresPort: int(env, 'POSTGRES_PORT', 5433),
    postgresBinDir: env.POSTGRES_BIN_DIR || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    smtpUrl: env.JOURNEYS_SMTP_URL || undefined,
    publicUrl: publicUrl(env.JOURNEYS_PUBLIC_URL, env.HOST || '127.0.0.1', int(env, 'PORT', 3000)),
    emailTracking: env.JOURNEYS_EMAIL_TRACKING !== 'off',
    ingestRateLimit: Number(env.JOURNEYS_INGEST_RATE_LIMIT) > 0 ? Number(env.JOURNEYS_INGEST_RATE_LIMIT) : 12_000,
    crmSchedulerMs: env.JOURNEYS_SCHEDULER_MS === undefined || env.JOURNEYS_SCHEDULER_MS === '' ? 30_000 : Math.max(0, Number(env.JOURNEYS_SCHEDULER_MS) || 0),
    customNodesDir: path.resolve(root, env.JOURNEYS_CUSTOM_NODES_DIR || 'custom-nodes'),
    customNodePackages: (env.JOURNEYS_CUSTOM_NODE_PACKAGES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    sessionTtlHours: Number(env.JOURNEYS_SESSION_TTL_HOURS) > 0 ? Number(env.JOURNEYS_SESSION_TTL_HOURS) : 12,
    adminEmail: (env.JOURNEYS_ADMIN_EMAIL || 'admin@localhost').toLowerCase(),
    adminPassword: env.JOURNEYS_ADMIN_PASSWORD || undefined,
    adminWorkspace: env.JOURNEYS_ADMIN_WORKSPACE || 'default',
    outboundAllow: outboundAllow(env.JOURNEYS_OUTBOUND_ALLOW),
  };
}
