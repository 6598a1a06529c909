import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import type { Config } from '../core/config';
import { ensureBinary, SetupError } from './binaries';
import { ferretdbPostgresUrl, findPostgresBin, initPostgresCluster, postgresAccount, postgresDataDir, postgresArgs, postgresReady } from './postgres';

export interface RunningServices {
  temporalAddress: string;
  mongoUri: string;
  temporalUiUrl?: string;
  /** What this process started (and will stop); empty when everything was external or already running. */
  started: string[];
  /** Process ids of what this process started, by name (for memory readings). */
  pids: Record<string, number | undefined>;
  stop(): Promise<void>;
}

type Log = (msg: string) => void;

/** True when the Temporal frontend answers and the namespace exists (a real RPC, not a port probe). */
export async function temporalHealthy(address: string, namespace: string, timeoutMs = 2000): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    // A server still starting accepts connections but may never answer: bound the call itself.
    await connection.withDeadline(Date.now() + timeoutMs, () => connection!.workflowService.describeNamespace({ namespace }));
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

export async function mongoHealthy(uri: string, timeoutMs = 2000): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, child: ChildProcess | undefined, timeoutMs: number, logFile?: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new SetupError(`${what} exited with code ${child.exitCode} before becoming healthy; see ${logFile}`);
    }
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new SetupError(`${what} did not become healthy within ${timeoutMs / 1000}s${logFile ? `; see ${logFile}` : ''}`);
}

export class ManagedProcess {
  constructor(readonly name: string, readonly child: ChildProcess, readonly stopSignal: NodeJS.Signals = 'SIGTERM') {}

  async stop(): Promise<void> {
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(this.stopSignal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

const managed = new Set<ManagedProcess>();
// Last resort if the parent exits without awaiting stop(): each server gets its own stop signal (PostgreSQL's
// fast shutdown rather than a crash recovery at the next start); they exit by themselves.
process.once('exit', () => { for (const m of managed) m.child.kill(m.stopSignal); });
// A process that does not handle termination itself (a script, the benchmark) would otherwise die without the
// 'exit' event and leave its servers running: exit as the signal would have, and the 'exit' hook stops them.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(signal, function stopServersOnSignal() {
    if (process.listenerCount(signal) > 1) return; // the program has its own shutdown
    process.exit(code);
  });
}

/** Every server this process started and still runs, stopped newest first (FerretDB before its PostgreSQL). */
export async function stopManagedProcesses(): Promise<void> {
  for (const m of [...managed].reverse()) await m.stop();
}

let setpriv: boolean | undefined;
/**
 * The command prefix that makes a child receive `signal` when this process dies, even by kill -9:
 * PR_SET_PDEATHSIG through util-linux `setpriv` (no native code). Without it (not Linux, old util-linux) the
 * signal handlers above are all there is.
 */
function dieWithParent(signal: NodeJS.Signals): string[] {
  setpriv ??= process.platform === 'linux' && /--pdeathsig/.test(spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout ?? '');
  return setpriv ? ['setpriv', '--pdeathsig', signal.replace(/^SIG/, ''), '--'] : [];
}

function startProcess(name: string, bin: string, args: string[], logFile: string, opts: { stopSignal?: NodeJS.Signals; uid?: number; gid?: number } = {}): ManagedProcess {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const stopSignal = opts.stopSignal ?? 'SIGTERM';
  // setpriv execs the server in place: the child's pid is the server's.
  const [cmd, ...rest] = [...dieWithParent(stopSignal), bin, ...args];
  const child = spawn(cmd, rest, { stdio: ['ignore', out, out], uid: opts.uid, gid: opts.gid });
  fs.closeSync(out);
  const m = new ManagedProcess(name, child, stopSignal);
  managed.add(m);
  child.once('exit', () => managed.delete(m));
  return m;
}

/**
 * Makes Temporal and a MongoDB-protocol store available: external ones when TEMPORAL_ADDRESS / MONGODB_URI are
 * set, already-running local ones when healthy on their ports, otherwise the cached Temporal dev server and
 * FerretDB (built on first use) started on 127.0.0.1 with data under the data dir.
 */
export async function ensureServices(cfg: Config, log: Log = (m) => console.log(`[services] ${m}`)): Promise<RunningServices> {
  const procs: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(procs.splice(0).reverse().map((p) => p.stop()));
  };
  try {
    const temporal = await ensureTemporal(cfg, log, procs);
    const mongoUri = await ensureStore(cfg, log, procs);
    return {
      temporalAddress: temporal.address, temporalUiUrl: temporal.uiUrl, mongoUri, started: procs.map((p) => p.name),
      pids: Object.fromEntries(procs.map((p) => [p.name, p.child.pid])), stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function ensureTemporal(cfg: Config, log: Log, procs: ManagedProcess[]) {
  if (cfg.temporalAddress) {
    await waitFor(`Temporal at ${cfg.temporalAddress}`, () => temporalHealthy(cfg.temporalAddress!, cfg.temporalNamespace), undefined, 30_000);
    log(`using Temporal at ${cfg.temporalAddress} (TEMPORAL_ADDRESS)`);
    return { address: cfg.temporalAddress };
  }
  const address = `127.0.0.1:${cfg.temporalPort}`;
  const uiUrl = cfg.temporalUi ? `http://127.0.0.1:${cfg.temporalUiPort}` : undefined;
  if (await temporalHealthy(address, cfg.temporalNamespace)) {
    log(`reusing the Temporal server already running at ${address}`);
    return { address, uiUrl };
  }
  if (await portInUse(cfg.temporalPort)) {
    throw new SetupError(`port ${cfg.temporalPort} is busy but no Temporal server answers there; free it, or set TEMPORAL_PORT or TEMPORAL_ADDRESS`);
  }
  const proc = await startTemporalServer(cfg, log);
  procs.push(proc);
  log(`Temporal dev server ready at ${address}${uiUrl ? ` (UI ${uiUrl})` : ''}`);
  return { address, uiUrl };
}

async function ensureStore(cfg: Config, log: Log, procs: ManagedProcess[]) {
  if (cfg.mongoUri) {
    await waitFor('MongoDB at MONGODB_URI', () => mongoHealthy(cfg.mongoUri!), undefined, 30_000);
    log('using the MongoDB server at MONGODB_URI');
    return cfg.mongoUri;
  }
  const uri = `mongodb://127.0.0.1:${cfg.ferretdbPort}/`;
  if (await mongoHealthy(uri)) {
    log(`reusing the MongoDB-protocol server already running at ${uri}`);
    return uri;
  }
  if (await portInUse(cfg.ferretdbPort)) {
    throw new SetupError(`port ${cfg.ferretdbPort} is busy but no MongoDB-protocol server answers there; free it, or set FERRETDB_PORT or MONGODB_URI`);
  }
  procs.push(...await startStore(cfg, log));
  return uri;
}

/**
 * Starts the store of this config: FerretDB, on the PostgreSQL cluster (started too unless already up) or on SQLite.
 * Returns what it started, first to last (stop in reverse). Also used to restart the store in chaos tests.
 */
export async function startStore(cfg: Config, log: Log): Promise<ManagedProcess[]> {
  const backend = resolveStoreBackend(cfg, log);
  const procs: ManagedProcess[] = [];
  try {
    if (backend.handler === 'postgresql') {
      if (await postgresReady(backend.binDir, cfg.postgresPort)) log(`reusing the PostgreSQL server already running on port ${cfg.postgresPort}`);
      else procs.push(await startPostgres(cfg, backend.binDir, log));
    }
    procs.push(await startFerretDB(cfg, backend, log));
  } catch (err) {
    for (const p of procs.reverse()) await p.stop();
    throw err;
  }
  log(`FerretDB (${backend.handler} backend) ready at mongodb://127.0.0.1:${cfg.ferretdbPort}/`);
  return procs;
}

type StoreBackend = { handler: 'sqlite' } | { handler: 'postgresql'; binDir: string };

/** FerretDB's backend for this config: PostgreSQL when asked for or (auto) when installed, else embedded SQLite. */
export function resolveStoreBackend(cfg: Config, log: Log = () => undefined): StoreBackend {
  if (cfg.storeBackend === 'sqlite') return { handler: 'sqlite' };
  const binDir = findPostgresBin(cfg);
  let why = 'PostgreSQL server binaries not found (POSTGRES_BIN_DIR, /usr/lib/postgresql/*/bin)';
  if (binDir) {
    try {
      postgresAccount(); // throws when we are root and no account may run the cluster
      return { handler: 'postgresql', binDir };
    } catch (err) {
      why = (err as Error).message;
    }
  }
  if (cfg.storeBackend === 'postgresql') throw new SetupError(`JOURNEYS_STORE_BACKEND=postgresql: ${why}`);
  log(`FerretDB falls back to its SQLite backend (much slower under load): ${why}`);
  return { handler: 'sqlite' };
}

/** Starts the Temporal dev server of this config and waits until it answers (also used to restart it in chaos tests). */
export async function startTemporalServer(cfg: Config, log: Log): Promise<ManagedProcess> {
  const address = `127.0.0.1:${cfg.temporalPort}`;
  // Never start beside another server: its health check would answer for ours.
  if (await portInUse(cfg.temporalPort)) throw new SetupError(`port ${cfg.temporalPort} is already in use`);
  const bin = await ensureBinary(cfg.cacheDir, 'temporal', log);
  fs.mkdirSync(cfg.dataDir, { recursive: true });
  const logFile = path.join(cfg.dataDir, 'logs', 'temporal.log');
  const args = [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(cfg.temporalPort),
    '--db-filename', path.join(cfg.dataDir, 'temporal.db'), '--log-level', 'warn',
    '--namespace', cfg.temporalNamespace,
    // Otherwise random ports: pinned so the destination policy refuses them (the HTTP API can terminate any run).
    '--http-port', String(cfg.temporalHttpPort), '--metrics-port', String(cfg.temporalMetricsPort),
    // SQLite tuning for the single-shard dev server: WAL lets readers proceed during writes.
    '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal',
    // One worker fleet per task queue: a single partition lets a poll match a new task at once instead of the
    // task waiting in another partition (the default four cost latency and CPU at this scale).
    '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1', '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
  ];
  if (cfg.temporalUi) args.push('--ui-ip', '127.0.0.1', '--ui-port', String(cfg.temporalUiPort));
  else args.push('--headless');
  const proc = startProcess('temporal', bin, args, logFile);
  try {
    await waitFor('Temporal dev server', () => temporalHealthy(address, cfg.temporalNamespace), proc.child, 60_000, logFile);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

/** Starts the private PostgreSQL cluster behind FerretDB (created on first use) and waits until it accepts connections. */
async function startPostgres(cfg: Config, binDir: string, log: Log): Promise<ManagedProcess> {
  if (await portInUse(cfg.postgresPort)) throw new SetupError(`port ${cfg.postgresPort} is already in use; free it or set POSTGRES_PORT`);
  const dataDir = postgresDataDir(cfg);
  await initPostgresCluster(binDir, dataDir, log);
  const logFile = path.join(cfg.dataDir, 'logs', 'postgres.log');
  // SIGINT is PostgreSQL's "fast" shutdown: SIGTERM would wait for every client (FerretDB's pool) to leave.
  const proc = startProcess('postgres', path.join(binDir, 'postgres'), postgresArgs(dataDir, cfg.postgresPort), logFile, { stopSignal: 'SIGINT', ...(postgresAccount() ?? {}) });
  try {
    await waitFor('PostgreSQL', () => postgresReady(binDir, cfg.postgresPort), proc.child, 60_000, logFile);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

/** Starts FerretDB on the given backend and waits until it answers. */
async function startFerretDB(cfg: Config, backend: StoreBackend, log: Log): Promise<ManagedProcess> {
  const uri = `mongodb://127.0.0.1:${cfg.ferretdbPort}/`;
  if (await portInUse(cfg.ferretdbPort)) throw new SetupError(`port ${cfg.ferretdbPort} is already in use`);
  const bin = await ensureBinary(cfg.cacheDir, 'ferretdb', log);
  const stateDir = path.join(cfg.dataDir, 'ferretdb-state');
  fs.mkdirSync(stateDir, { recursive: true });
  const backendArgs = [];
  if (backend.handler === 'postgresql') {
    backendArgs.push('--handler=postgresql', `--postgresql-url=${ferretdbPostgresUrl(cfg.postgresPort)}`);
  } else {
    const dbDir = path.join(cfg.dataDir, 'ferretdb');
    fs.mkdirSync(dbDir, { recursive: true });
    // WAL (FerretDB's default) with synchronous=NORMAL: no fsync per commit, still crash-safe for the process.
    backendArgs.push('--handler=sqlite', `--sqlite-url=file:${dbDir}/?_pragma=synchronous(normal)`);
  }
  const logFile = path.join(cfg.dataDir, 'logs', 'ferretdb.log');
  const proc = startProcess('ferretdb', bin, [
    ...backendArgs, `--listen-addr=127.0.0.1:${cfg.ferretdbPort}`,
    `--state-dir=${stateDir}`, '--telemetry=disable', '--debug-addr=127.0.0.1:0', '--log-level=warn',
  ], logFile);
  try {
    await waitFor('FerretDB', () => mongoHealthy(uri), proc.child, 60_000, logFile);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}
