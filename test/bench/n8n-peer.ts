/**
 * Peer measurement: the bench's 5-node response journey built in n8n (test/bench/n8n/response-flow.json:
 * Webhook → Sentiment filter (Code) → Score (Code, per-handle static data) → Reply (HTTP) → Ticket (HTTP)),
 * driven with the same load shape as bench.ts, so the bench can print our figures as ratios of n8n's.
 *
 * n8n and the Node 24 it needs come from `scripts/install-n8n.sh` (a cache dir outside the repo); when they
 * are missing this returns `{ skipped }` at once and installs nothing. n8n runs on 127.0.0.1 with a throwaway
 * user folder, default SQLite database and internal task runners, and is stopped (with its runner) afterwards.
 * Standalone: `npx tsx test/bench/n8n-peer.ts` (sizes from BENCH_RATES / BENCH_SECONDS / BENCH_SATURATION).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { pool, summarize } from './stats';

/** n: replies that arrived (latency sample); failed: events n8n refused (HTTP error after retries); lost: accepted but no reply. */
export interface N8nLatencyRow { rate: number; events: number; achievedRate: number; n: number; p50: number; p95: number; p99: number; max: number; failed: number; lost: number }
export interface N8nPeerResult {
  version: string;
  node: string;
  latency: N8nLatencyRow[];
  throughput: { executions: number; ingestSeconds: number; completedPerSecond: number; repliesPerSecond: number; httpArrivalsPerSecond: number; failed: number; lost: number };
  /** Webhook POSTs retried after a 5xx/429 (n8n answers 500 when its SQLite write lock times out under load). */
  retried: number;
  /** HTTP status counts of webhook answers that were not 2xx, e.g. { "500": 12 }. */
  httpErrors: Record<string, number>;
}
export interface N8nPeerOptions { rates: number[]; seconds: number; saturationN: number; log: (m: string) => void }

const HERE = import.meta.dirname;
const pins = JSON.parse(fs.readFileSync(path.join(HERE, 'n8n', 'versions.json'), 'utf8')) as { n8n: string; node: string };

/** Where scripts/install-n8n.sh puts things (same defaults and overrides). */
export function n8nPaths() {
  const n8nVersion = process.env.N8N_VERSION ?? pins.n8n;
  const nodeVersion = process.env.N8N_NODE_VERSION ?? pins.node;
  const cache = process.env.JOURNEYS_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'journeys');
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  return {
    n8nVersion, nodeVersion,
    node: path.join(cache, `node-${nodeVersion}`, 'node_modules', `node-linux-${arch}`, 'bin', 'node'),
    n8n: path.join(cache, `n8n-${n8nVersion}`, 'node_modules', 'n8n', 'bin', 'n8n'),
    installed: path.join(cache, `n8n-${n8nVersion}`, '.installed'),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The fake social platform: records when each event's reply and ticket arrive. */
async function startPlatform() {
  const replies = new Map<string, number>();
  const tickets = new Map<string, number>();
  let arrivals = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      let id = '';
      try { id = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId?: unknown }).eventId ?? ''); } catch { /* counted as arrival only */ }
      if (req.url === '/reply') { if (!replies.has(id)) replies.set(id, at); } else if (req.url === '/ticket') { if (!tickets.has(id)) tickets.set(id, at); }
      arrivals++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, id: crypto.randomUUID() }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  /**
   * Waits until every id has a ticket, or until nothing new arrived for stallMs (n8n lost some executions).
   * Resolves with the time of the last ticket among ids and the ids still without one.
   */
  const waitTickets = (ids: string[], stallMs: number) => new Promise<{ last: number; missing: string[] }>((resolve) => {
    let seen = -1;
    let lastProgress = Date.now();
    const timer = setInterval(() => {
      const have = ids.filter((id) => tickets.has(id)).length;
      if (have !== seen) { seen = have; lastProgress = Date.now(); }
      if (have === ids.length || Date.now() - lastProgress > stallMs) {
        clearInterval(timer);
        resolve({ last: Math.max(0, ...ids.map((id) => tickets.get(id) ?? 0)), missing: ids.filter((id) => !tickets.has(id)) });
      }
    }, 50);
  });
  return { url, replies, tickets, arrivals: () => arrivals, waitTickets, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

export async function measureN8n(opts: N8nPeerOptions): Promise<N8nPeerResult | { skipped: string }> {
  const p = n8nPaths();
  if (!fs.existsSync(p.node) || !fs.existsSync(p.n8n) || !fs.existsSync(p.installed)) return { skipped: 'run scripts/install-n8n.sh' };
  const { log } = opts;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'journeys-n8n-'));
  const platform = await startPlatform();
  let child: ChildProcess | undefined;
  let childLog = '';
  /** n8n processes of ours still running; each leads its own process group (n8n start + its task runner). */
  const children = new Set<ChildProcess>();
  /** On Ctrl-C / SIGTERM mid-run: stop our n8n process groups and drop the temp dir, then exit. */
  const onSignal = (sig: NodeJS.Signals) => {
    for (const c of children) if (c.pid && c.exitCode === null) { try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ } }
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const port = await freePort();
    const brokerPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: `${path.dirname(p.node)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: tmp,
      TZ: process.env.TZ ?? 'UTC',
      NODE_ENV: 'production',
      N8N_USER_FOLDER: tmp,
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      N8N_HOST: '127.0.0.1',
      N8N_PORT: String(port),
      N8N_PROTOCOL: 'http',
      WEBHOOK_URL: `http://127.0.0.1:${port}/`,
      N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
      DB_TYPE: 'sqlite',
      N8N_LOG_LEVEL: process.env.N8N_PEER_VERBOSE ? 'debug' : 'warn',
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
      N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
      N8N_PERSONALIZATION_ENABLED: 'false',
      N8N_TEMPLATES_ENABLED: 'false',
      N8N_HIRING_BANNER_ENABLED: 'false',
      N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
      N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
      EXTERNAL_FRONTEND_HOOKS_URLS: '',
      N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
      N8N_RUNNERS_ENABLED: 'true',
      N8N_RUNNERS_MODE: 'internal',
      N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
      N8N_RUNNERS_BROKER_PORT: String(brokerPort),
      ...(process.env.N8N_PEER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.N8N_PEER_NODE_OPTIONS } : {}),
    };
    /** Runs an n8n CLI command (own process group, so an interrupt can stop it). */
    const cli = (...args: string[]) => new Promise<string>((resolve, reject) => {
      const c = spawn(p.node, [p.n8n, ...args], { env, cwd: tmp, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(c);
      let out = '';
      let errOut = '';
      c.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
      c.stderr!.on('data', (b: Buffer) => { errOut += b.toString(); });
      c.once('error', reject);
      c.once('exit', (code, sig) => {
        children.delete(c);
        if (code === 0) resolve(out); else reject(new Error(`n8n ${args[0]} failed (${code ?? sig}):\n${out.slice(-4000)}\n${errOut.slice(-4000)}`));
      });
    });
    const version = (await cli('--version')).trim().split('\n').at(-1)!;

    const template = JSON.parse(fs.readFileSync(path.join(HERE, 'n8n', 'response-flow.json'), 'utf8')) as { id: string; nodes: { type: string; parameters: Record<string, unknown> }[] };
    const wfFile = path.join(tmp, 'response-flow.json');
    fs.writeFileSync(wfFile, JSON.stringify(template).replaceAll('__PLATFORM_URL__', platform.url));
    const webhookPath = String(template.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!.parameters.path);
    log(`n8n ${version} on Node ${p.nodeVersion}: importing the workflow`);
    await cli('import:workflow', `--input=${wfFile}`);
    await cli('publish:workflow', `--id=${template.id}`).catch(async () => cli('update:workflow', `--id=${template.id}`, '--active=true'));

    child = spawn(p.node, [p.n8n, 'start'], { env, cwd: tmp, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const verbose = !!process.env.N8N_PEER_VERBOSE;
    const keep = (b: Buffer) => { childLog = (childLog + b.toString()).slice(-20_000); if (verbose) process.stderr.write(b); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code, sig) => reject(new Error(`n8n exited (${code ?? sig}) during the run:\n${childLog}`))));
    exited.catch(() => {});

    const base = `http://127.0.0.1:${port}`;
    const hook = `${base}/webhook/${webhookPath}`;
    let retried = 0;
    const httpErrors: Record<string, number> = {};
    let seq = 0;
    const negative = () => {
      seq++;
      return { id: `n${seq}`, type: 'bench.n8n', channel: 'weibo', handle: `@u${seq}`, text: '手机又坏了，太失望了 broken again', occurredAt: new Date().toISOString() };
    };
    /**
     * Same client behaviour as bench.ts (one event per request, retry with backoff), but n8n signals overload
     * with a 500 (SQLite write-lock timeout) rather than a 503, so 500/502/503/504/429 are all retried, as a
     * platform redelivering a webhook would. Resolves false when the event was refused for good.
     */
    const post = async (body: { id: string }) => {
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => null);
        if (res) await res.arrayBuffer().catch(() => {});
        if (res?.ok) return true;
        const code = String(res?.status ?? 'network');
        httpErrors[code] = (httpErrors[code] ?? 0) + 1;
        if (attempt >= 8 || (res && ![429, 500, 502, 503, 504].includes(res.status))) return false;
        retried++;
        await sleep(50 * 2 ** attempt);
      }
    };

    // Ready: n8n answers, the production webhook is registered, and one event goes all the way through.
    const readyBy = Date.now() + 120_000;
    for (;;) {
      if (Date.now() > readyBy) throw new Error(`n8n did not become ready in 120s:\n${childLog}`);
      if (child.exitCode !== null) await exited;
      const ok = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'ready', handle: '@ready', text: 'broken' }) }).then((r) => r.ok, () => false);
      if (ok) break;
      await sleep(500);
    }
    if ((await Promise.race([platform.waitTickets(['ready'], 180_000), exited])).missing.length) throw new Error('n8n: the readiness event never reached the fake platform');
    log(`n8n ready on ${base} (webhook /webhook/${webhookPath}); fake platform ${platform.url}`);

    const latency: N8nLatencyRow[] = [];
    for (const rate of opts.rates) {
      const n = Math.round(rate * opts.seconds);
      const sentAt = new Map<string, number>();
      let failed = 0;
      const t0 = Date.now();
      await Promise.race([exited, Promise.all(Array.from({ length: n }, async (_, i) => {
        const due = t0 + (i * 1000) / rate;
        await sleep(Math.max(0, due - Date.now()));
        const ev = negative();
        const started = Date.now();
        if (await post(ev)) sentAt.set(ev.id, started); else failed++;
      }))]);
      const sendSeconds = (Date.now() - t0) / 1000;
      const { missing } = await Promise.race([platform.waitTickets([...sentAt.keys()], 60_000), exited]);
      const lat = summarize([...sentAt].filter(([id]) => platform.replies.has(id)).map(([id, at]) => platform.replies.get(id)! - at));
      const lost = [...sentAt.keys()].filter((id) => !platform.replies.has(id)).length;
      latency.push({ rate, events: n, achievedRate: +(n / sendSeconds).toFixed(1), ...lat, failed, lost });
      log(`n8n rate ${rate}/s: event→reply p50 ${lat.p50}ms p95 ${lat.p95}ms p99 ${lat.p99}ms (n=${lat.n}${failed ? `, ${failed} refused` : ''}${lost ? `, ${lost} lost` : ''}${missing.length > lost ? `, ${missing.length - lost} without ticket` : ''})`);
    }

    const ids: string[] = [];
    let failed = 0;
    const arrivals0 = platform.arrivals();
    const t0 = Date.now();
    await Promise.race([exited, pool(opts.saturationN, 32, async () => { const ev = negative(); if (await post(ev)) ids.push(ev.id); else failed++; })]);
    const accepted = Date.now();
    const { last, missing } = await Promise.race([platform.waitTickets(ids, 60_000), exited]);
    const completed = ids.length - missing.length;
    const seconds = (last - t0) / 1000;
    const lastReply = Math.max(0, ...ids.map((id) => platform.replies.get(id) ?? 0));
    const throughput = {
      executions: opts.saturationN,
      ingestSeconds: (accepted - t0) / 1000,
      completedPerSecond: +(completed / seconds).toFixed(1),
      repliesPerSecond: +(ids.filter((id) => platform.replies.has(id)).length / ((lastReply - t0) / 1000)).toFixed(1),
      httpArrivalsPerSecond: +((platform.arrivals() - arrivals0) / seconds).toFixed(1),
      failed,
      lost: missing.length,
    };
    log(`n8n throughput: ${throughput.completedPerSecond} executions completed/s (${completed}/${opts.saturationN} at concurrency 32; ${throughput.httpArrivalsPerSecond} reply+ticket arrivals/s${failed ? `; ${failed} refused` : ''}${missing.length ? `; ${missing.length} lost` : ''})`);
    return { version, node: `v${p.nodeVersion}`, latency, throughput, retried, httpErrors };
  } catch (err) {
    const tail = childLog.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${(err as Error).message}${tail ? `\n--- n8n output (last lines) ---\n${tail}` : ''}`, { cause: err });
  } finally {
    if (child && child.exitCode === null && child.pid) {
      const gone = new Promise((r) => child!.once('exit', r));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const t = setTimeout(() => { try { process.kill(-child!.pid!, 'SIGKILL'); } catch { /* gone */ } }, 20_000);
      await gone;
      clearTimeout(t);
    }
    if (child?.pid) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the group is gone: expected */ } }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await platform.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const rates = (process.env.BENCH_RATES ?? '20,50,100').split(',').map(Number);
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const saturationN = Number(process.env.BENCH_SATURATION ?? 400);
  const r = await measureN8n({ rates, seconds, saturationN, log: (m) => console.log(`[n8n-peer] ${m}`) });
  if ('skipped' in r) {
    console.log(`[n8n-peer] skipped: ${r.skipped}`);
  } else {
    console.log(`\n| n8n ${r.version} (Node ${r.node}) | figure |\n|---|---|`);
    for (const l of r.latency) console.log(`| event→first reply @ ${l.rate}/s (achieved ${l.achievedRate}/s) | p50 ${l.p50} ms · p95 ${l.p95} ms · p99 ${l.p99} ms · max ${l.max} ms (n=${l.n}/${l.events}, refused ${l.failed}, lost ${l.lost}) |`);
    console.log(`| saturated (${r.throughput.executions} at concurrency 32) | ${r.throughput.completedPerSecond} executions completed/s · ${r.throughput.httpArrivalsPerSecond} reply+ticket arrivals/s (refused ${r.throughput.failed}, lost ${r.throughput.lost}) |`);
    console.log(`| webhook retries | ${r.retried} (${JSON.stringify(r.httpErrors)}) |`);
    console.log(JSON.stringify(r, null, 2));
  }
}
