/**
 * The embedded store's backend: a private PostgreSQL cluster under the data dir, which FerretDB uses instead of
 * SQLite when the machine has PostgreSQL's server binaries (Debian: `apt-get install postgresql`).
 *
 * Why: measured on our 2-core machines with FerretDB 1.24, the SQLite backend answers updates and queries on
 * indexed fields with full scans (48 updates/s and 10 indexed finds/s on a 2,000-document collection), while the
 * PostgreSQL backend pushes both down to real indexes (≈500 and ≈240/s, same run). See README "Benchmarks".
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../core/config';
import { SetupError } from './binaries';

const run = promisify(execFile);

/** Directory holding `postgres`, `initdb` and `pg_isready`, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(cfg: Pick<Config, 'postgresBinDir'>): string | undefined {
  const candidates: string[] = [];
  if (cfg.postgresBinDir) candidates.push(cfg.postgresBinDir);
  // Debian/Ubuntu install each major side by side; prefer the newest.
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    for (const v of fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(debian, v, 'bin'));
  }
  candidates.push('/usr/local/pgsql/bin', '/usr/bin');
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'postgres')) && fs.existsSync(path.join(dir, 'initdb')));
}

/**
 * PostgreSQL refuses to run as root. When we are root, the cluster belongs to the `postgres` system account that
 * Debian's package creates; otherwise it runs as the current user.
 */
export function postgresAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new SetupError('running as root, and PostgreSQL refuses root: create a "postgres" user, run as another user, or set JOURNEYS_STORE_BACKEND=sqlite');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** True when every directory above `dir` lets other users through (the `postgres` account must reach its cluster). */
function traversableByOthers(dir: string): boolean {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(d) && !(fs.statSync(d).mode & 0o001)) return false;
    if (d === path.dirname(d)) return true;
  }
}

/**
 * The cluster lives under the data dir, except when we run as root inside a private directory (e.g. /root) that
 * the `postgres` account cannot enter: then under the system temp dir, named after the data dir.
 */
export function postgresDataDir(cfg: Pick<Config, 'dataDir'>): string {
  const preferred = path.join(cfg.dataDir, 'postgres');
  if (process.getuid?.() !== 0 || traversableByOthers(preferred)) return preferred;
  return path.join(os.tmpdir(), `journeys-postgres-${createHash('sha256').update(cfg.dataDir).digest('hex').slice(0, 12)}`);
}

export async function postgresReady(binDir: string, port: number): Promise<boolean> {
  try {
    await run(path.join(binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '2']);
    return true;
  } catch {
    return false;
  }
}

function chownTree(dir: string, account: { uid: number; gid: number }) {
  fs.chownSync(dir, account.uid, account.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, account);
    else fs.chownSync(p, account.uid, account.gid);
  }
}

/** Creates the cluster once (trust auth: it listens on 127.0.0.1 only, like FerretDB in front of it). */
export async function initPostgresCluster(binDir: string, dataDir: string, log: (m: string) => void): Promise<void> {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const account = postgresAccount();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (account) chownTree(dataDir, account);
  log(`creating the PostgreSQL cluster in ${dataDir}`);
  try {
    await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C'], { ...(account ?? {}) });
  } catch (err) {
    throw new SetupError(`initdb failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`);
  }
}

/** Arguments of the server process: TCP on 127.0.0.1 only, no Unix socket, durable commits (the default). */
export function postgresArgs(dataDir: string, port: number): string[] {
  return [
    '-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    // FerretDB keeps a pool per client connection; leave room for the API, the worker and tests side by side.
    '-c', 'max_connections=300', '-c', 'shared_buffers=256MB',
    // FerretDB sends the filtered field's name as a parameter: only a plan made with the values can use an index.
    '-c', 'plan_cache_mode=force_custom_plan',
  ];
}

export const ferretdbPostgresUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;
