/**
 * `npm start` (`node --import tsx server/start.ts`, in its own process group like a terminal's foreground job) on
 * its own spare ports and data dir: every server it starts must stop with it, on Ctrl-C and when it is killed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
  });
}

interface Proc { pid: number; ppid: number; args: string }

function processes(): Proc[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).trim().split('\n').map((line) => {
    const [, pid, ppid, args] = line.match(/^\s*(\d+)\s+(\d+)\s+(.*)$/)!;
    return { pid: Number(pid), ppid: Number(ppid), args };
  });
}

function descendants(root: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  for (let parents = new Set([root]); parents.size;) {
    const next = all.filter((p) => parents.has(p.ppid));
    found.push(...next);
    parents = new Set(next.map((p) => p.pid));
  }
  return found;
}

/** Alive and not a zombie (an orphan's exit may stay unreaped where PID 1 does not reap). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

describe('npm start stops every server it started', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeys-ops-'));
  let env: NodeJS.ProcessEnv;
  const leftovers = new Set<number>();

  beforeAll(async () => {
    fs.chmodSync(dataDir, 0o755); // so the PostgreSQL cluster, run by the postgres account under root, lives in it
    const [port, temporal, http, metrics, ferretdb, postgres] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
    env = {
      ...process.env, HOST: '127.0.0.1', PORT: String(port), TEMPORAL_PORT: String(temporal), TEMPORAL_HTTP_PORT: String(http), TEMPORAL_METRICS_PORT: String(metrics),
      TEMPORAL_UI: 'off', FERRETDB_PORT: String(ferretdb), POSTGRES_PORT: String(postgres), JOURNEYS_STORE_BACKEND: 'postgresql',
      JOURNEYS_DATA_DIR: dataDir, JOURNEYS_SCHEDULER_MS: '0', JOURNEYS_ADMIN_PASSWORD: 'ops-test-password', LOG_LEVEL: 'warn',
      JOURNEYS_WORKFLOW_BUNDLE: inject('workflowBundlePath'), TEMPORAL_ADDRESS: '', MONGODB_URI: '',
    };
  });
  afterAll(() => {
    for (const pid of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the stack and waits until it is up; returns its process, its output so far and all its descendants. */
  async function start() {
    const cli: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { text: '' };
    cli.stdout!.on('data', (d) => { out.text += d; });
    cli.stderr!.on('data', (d) => { out.text += d; });
    await until('"Journeys is running"', () => {
      if (cli.exitCode !== null) throw new Error(`npm start exited early:\n${out.text}`);
      return out.text.includes('Journeys is running');
    }, 50_000);
    const tree = descendants(cli.pid!);
    for (const p of tree) leftovers.add(p.pid);
    const servers = tree.filter((p) => p.ppid === cli.pid && /temporal|ferretdb|postgres/.test(p.args.split(' ')[0]));
    for (const name of ['temporal', 'ferretdb', 'postgres']) expect(servers.map((p) => p.args).join('\n')).toContain(name);
    return { cli, out, tree };
  }

  /** How often PostgreSQL has logged a clean shutdown in this data dir. */
  const pgShutdowns = () => (fs.readFileSync(path.join(dataDir, 'logs', 'postgres.log'), 'utf8').match(/database system is shut down/g) ?? []).length;

  it('Ctrl-C (SIGINT to the process group) prints "stopping…" and leaves no process behind', async () => {
    const { cli, out, tree } = await start();
    const before = pgShutdowns();
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    process.kill(-cli.pid!, 'SIGINT');
    const left = () => tree.filter((p) => alive(p.pid));
    await until('every process of the stack gone', () => left().length === 0, 20_000).catch((err) => {
      throw new Error(`${err.message}; still running:\n${left().map((p) => `${p.pid} ${p.args}`).join('\n')}\n--- output:\n${out.text}`);
    });
    expect(out.text).toContain('stopping…');
    expect(await exited).toBe(0);
    expect(pgShutdowns()).toBe(before + 1); // PostgreSQL shut down cleanly, not killed
  });

  it('kill -9 of the stack process: its servers exit within a few seconds', async () => {
    const { cli, tree, out } = await start();
    const before = pgShutdowns();
    process.kill(cli.pid!, 'SIGKILL');
    const left = () => tree.filter((p) => alive(p.pid));
    const took = await until('every server gone', () => left().length === 0, 8_000).catch((err) => {
      throw new Error(`${err.message}; still running:\n${left().map((p) => `${p.pid} ${p.args}`).join('\n')}\n--- output:\n${out.text}`);
    });
    expect(took).toBeLessThan(8_000);
    expect(pgShutdowns()).toBe(before + 1); // told to shut down (fast), not left running or killed
  });
});
