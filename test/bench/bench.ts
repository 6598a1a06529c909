/**
 * `npm run bench`: measures Journeys on this machine and prints a table (and JSON under bench-results/).
 * Starts its own Temporal dev server and FerretDB on spare ports with a throwaway data dir, so figures are not
 * mixed with a running dev stack. Replies go over HTTP to a local recording platform connected as the workspace's
 * `weibo` channel, as a real deployment's would. Sizes are environment-tunable (BENCH_*); defaults fit a 2-core
 * machine in a few minutes. Figures are medians/percentiles of one run: compare ratios, the machine is noisy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { buildApp } from '../../server/app';
import { createChannelRegistry } from '../../core/channels/index';
import { loadConfig } from '../../core/config';
import { openAppDeps, type OpenAppDeps } from '../../server/open-app-deps';
import { BROADCAST_START_CONCURRENCY, broadcastStates, runDueBroadcasts } from '../../core/engine/broadcasts';
import { openStore, type Store } from '../../core/store/db';
import { journeyStats } from '../../core/store/enrollments';
import { recountStats } from '../../core/store/journey-stats';
import { createApiToken, createUser, ensureWorkspace, randomPassword } from '../../core/store/users';
import { ensureServices, resolveStoreBackend } from '../../scripts/services';
import { bundleWorkflows, createJourneyWorker, workerTuning } from '../../workflows/worker';
import { startFakePlatform } from '../helpers/fake-platform';
import { cpuDelta, cpuSnapshot } from './cpu';
import { atQuarters, memoryNow, sampleMemory } from './scale';
import { pool, summarize } from './stats';
import { commandCounter, perRun } from './store-ops';
import { describeShape, temporalShape } from './temporal-shape';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const list = (k: string, d: string) => (process.env[k] ?? d).split(',').map(Number);
const RATES = list('BENCH_RATES', '5,10,20,50');
/** BENCH_ONLY=latency,throughput,cpu,ops,peer,ingestion,waiting,broadcast,sentiment runs a subset (default: all). */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((x) => x.trim())) : undefined;
const section = (name: string) => !ONLY || ONLY.has(name);
const SECONDS_PER_RATE = env('BENCH_SECONDS', 8);
const SATURATION_N = env('BENCH_SATURATION', 400);
/** Client concurrencies swept for the saturated journey and the no-op ceiling: each is reported at its best. */
const CONCURRENCY = list('BENCH_CONCURRENCY', '8,16,32,64,128');
const OPS_N = env('BENCH_OPS', 50);
const WAITING_N = env('BENCH_WAITING', 2000);
const INGEST_N = env('BENCH_INGEST', 2000);
/** Members of the broadcast's segment, and how many runs the ceiling measurement starts at a time (the runner's own bound). */
const BROADCAST_N = env('BENCH_BROADCAST', 100_000);
const BROADCAST_STARTS = env('BENCH_BROADCAST_STARTS', BROADCAST_START_CONCURRENCY);
const ROOT = path.resolve(import.meta.dirname, '../..');

const dataDir = path.join(ROOT, '.data', 'bench');
fs.rmSync(dataDir, { recursive: true, force: true });
process.env.JOURNEYS_DATA_DIR = dataDir;
process.env.TEMPORAL_PORT ??= '27233';
process.env.TEMPORAL_UI = 'off';
process.env.FERRETDB_PORT ??= '47017';
process.env.POSTGRES_PORT ??= '25433';
delete process.env.TEMPORAL_ADDRESS;
delete process.env.MONGODB_URI;
const cfg = loadConfig();

const log = (m: string) => console.log(`[bench] ${m}`);
const machine = {
  cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  // The machine is shared: what else was running when the bench started.
  loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
};
log(`machine: ${JSON.stringify(machine)}`);

// The recording platform behind the `weibo` channel. The destination policy refuses loopback unless
// allow-listed, and reads the list at every call: exactly this host:port, before any API or worker exists.
const platform = await startFakePlatform();
process.env.JOURNEYS_OUTBOUND_ALLOW = new URL(platform.url).host;
log(`recording platform at ${platform.url} (JOURNEYS_OUTBOUND_ALLOW=${process.env.JOURNEYS_OUTBOUND_ALLOW})`);

const services = await ensureServices(cfg, log);
/** The server processes whose CPU time is counted with ours (the ones this bench started). */
const serverPids = { temporal: services.pids.temporal, ferretdb: services.pids.ferretdb, postgres: services.pids.postgres };
// Bundled once for every journey worker of the bench (bundling is seconds of CPU on a small machine).
const workflowBundle = { code: (await bundleWorkflows()).code };
const optional = (k: string) => (process.env[k] ? Number(process.env[k]) : undefined);
/** The journey worker's settings (workflows/worker.ts, from JOURNEYS_WORKER_* or these BENCH_* overrides); no-op workers use the same. */
const workerSettings = workerTuning({
  maxConcurrentActivityTaskExecutions: env('BENCH_ACTIVITY_SLOTS', 100), maxConcurrentWorkflowTaskExecutions: env('BENCH_WORKFLOW_SLOTS', 100),
  maxCachedWorkflows: optional('BENCH_CACHED_WORKFLOWS'),
});

/** An API token for a workspace, as an integration would use; bounded by its creator's role, the bench's own admin. */
async function machineToken(store: Store, ws: string): Promise<string> {
  await ensureWorkspace(store, ws);
  const owner = (await store.users.findOne({ workspaceId: ws, email: 'bench@bench.local' }))
    ?? await createUser(store, ws, { email: 'bench@bench.local', role: 'admin', password: randomPassword() });
  return (await createApiToken(store, ws, { name: 'bench', role: 'admin', createdBy: owner })).secret;
}

interface Stack { rt: OpenAppDeps; base: string; tokens: Record<string, string>; connection: NativeConnection; close(): Promise<void> }

/**
 * API + journey worker in this process, wired as `npm start` wires them (server/start.ts): the worker sends through
 * the channel registry built on the same store, so a channel connected through the API is the one replies use.
 * Every workspace gets a machine token and its `weibo` channel connected to the recording platform.
 */
async function openStack(o: { taskQueue: string; workspaces: string[]; store?: Store }): Promise<Stack> {
  const rt = await openAppDeps({ temporalAddress: services.temporalAddress, namespace: 'default', mongoUri: services.mongoUri, mongoDb: 'bench', taskQueue: o.taskQueue, store: o.store });
  const app = await buildApp(rt);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const tokens: Record<string, string> = {};
  for (const ws of o.workspaces) {
    tokens[ws] = await machineToken(rt.store, ws);
    await connectWeibo(base, tokens[ws]);
  }
  const { worker, connection } = await createJourneyWorker({
    temporalAddress: services.temporalAddress, namespace: 'default', taskQueue: o.taskQueue,
    store: rt.store, registry: rt.registry, channels: createChannelRegistry(rt.store), workflowBundle, ...workerSettings,
  });
  const running = worker.run();
  return {
    rt, base, tokens, connection,
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await app.close();
      await rt.close();
      await o.store?.close();
    },
  };
}

/** PUT /api/v1/channels/weibo: the generic HTTP adapter pointed at the recording platform. */
async function connectWeibo(base: string, token: string) {
  const res = await fetch(`${base}/api/v1/channels/weibo`, {
    method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ settings: { kind: 'http', baseUrl: platform.url, replyPath: '/replies', dmPath: '/messages' }, token: 'bench-platform-token' }),
  });
  if (!res.ok) throw new Error(`connecting weibo failed: ${res.status} ${await res.text()}`);
}

const main = await openStack({ taskQueue: 'bench-journeys', workspaces: ['bench', 'ingest', 'bcast'] });
const { rt } = main;

const store = { server: 'FerretDB 1.24.2', backend: resolveStoreBackend(cfg).handler };
log(`store: ${store.server} on ${store.backend}`);
const temporal = await temporalShape(rt.temporal, services.pids.temporal);
log(`Temporal: ${describeShape(temporal)}`);
const results: Record<string, unknown> = { machine, store, temporal, workerSettings, at: new Date().toISOString() };

let retried503 = 0;
/** Posts like a well-behaved client: a 503 (store busy, retry-safe by contract) is retried with backoff. */
async function post(body: unknown, workspace = 'bench', to: Stack = main) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${to.base}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${to.tokens[workspace]}` }, body: JSON.stringify(body) });
    if (res.status === 503 && attempt < 8) {
      retried503++;
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      continue;
    }
    if (!res.ok) throw new Error(`POST /events ${res.status}: ${await res.text()}`);
    return res.json() as Promise<{ contactId: string; enrolled: unknown[] }>;
  }
}

async function createAndPublish(doc: unknown, workspace = 'bench', to: Stack = main) {
  const h = { 'content-type': 'application/json', authorization: `Bearer ${to.tokens[workspace]}` };
  const created = await (await fetch(`${to.base}/api/v1/journeys`, { method: 'POST', headers: h, body: JSON.stringify(doc) })).json() as { id: string };
  const pub = await fetch(`${to.base}/api/v1/journeys/${created.id}/publish`, { method: 'POST', headers: h, body: '{}' });
  if (pub.status !== 201) throw new Error(`publish failed: ${await pub.text()}`);
  return created.id;
}

const has = (type: string) => !!rt.registry.get(type, 1);
/** The 5-node response journey: trigger, sentiment filter, score, reply, ticket. */
function responseJourney(eventType: string) {
  const filter = has('filter.sentiment')
    ? { id: 'neg', type: 'filter.sentiment', version: 1, config: { label: 'negative' } }
    : { id: 'neg', type: 'filter.condition', version: 1, config: { conditions: { groups: [{ rules: [{ field: 'event.text', op: 'contains', value: 'broken' }] }] } } };
  const ticket = has('response.ticket')
    ? { id: 'ticket', type: 'response.ticket', version: 1, config: { title: 'Complaint: {{event.text}}', assignee: 'care-team', slaMinutes: 60 } }
    : { id: 'ticket', type: 'response.update-contact', version: 1, config: { addTags: ['ticket'] } };
  return {
    name: `bench ${eventType}`,
    nodes: [
      { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: [eventType] } },
      filter,
      { id: 'score', type: 'scoring.points', version: 1, config: { score: 'risk', points: 5, reason: 'negative mention' } },
      { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: '很抱歉给您带来不便，我们马上处理 {{contact.profile.name | ""}}' } },
      ticket,
    ],
    edges: [
      { from: 't', port: 'next', to: 'neg' }, { from: 'neg', port: 'yes', to: 'score' },
      { from: 'score', port: 'next', to: 'reply' }, { from: 'reply', port: 'sent', to: 'ticket' },
    ],
    settings: { reentry: 'always' },
  };
}

let seq = 0;
/** Negative events sent to a response journey: each must end as one reply at the recording platform. */
let negativeSent = 0;
const negative = (type: string) => {
  negativeSent++;
  return { id: `b${seq++}`, type, channel: 'weibo', handle: `@u${seq}`, text: '手机又坏了，太失望了 broken again', occurredAt: new Date().toISOString() };
};

// The bench's own reads go through the main stack's store: the monitored one of the `ops` section never sees them.
const endedCount = (journeyId: string, workspaceId = 'bench') => rt.store.enrollments.countDocuments({ workspaceId, journeyId, status: { $ne: 'active' } });

async function waitCompleted(journeyId: string, n: number, workspaceId = 'bench', timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await endedCount(journeyId, workspaceId);
    if (done >= n) return Date.now();
    if (Date.now() > deadline) throw new Error(`only ${done}/${n} enrollments completed`);
    // Polled once a second: the embedded store answers this count with a scan, and faster polling would load it.
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** When the journey's last enrollment ended, by its own record: a rate is not rounded up to the next poll. */
async function lastEndedAt(journeyId: string, from: number, seen: number): Promise<number> {
  const last = await rt.store.enrollments.find({ workspaceId: 'bench', journeyId, endedAt: { $exists: true } }).sort({ endedAt: -1 }).limit(1).next();
  const at = last?.endedAt?.getTime();
  return at !== undefined && at > from && at <= seen ? at : seen;
}

// (a) event → first response latency at fixed arrival rates
const latency: Record<string, unknown>[] = [];
if (section('latency') && RATES.length) {
  // Ready as the peer is made ready (n8n-peer.ts): one event all the way through a journey of its own, so the first
  // sample of the first rate is not the process's first request, JIT and connection setup.
  const warmId = await createAndPublish(responseJourney('bench.ready'));
  await post(negative('bench.ready'));
  await waitCompleted(warmId, 1);
}
for (const rate of section('latency') ? RATES : []) {
  const type = `bench.rate${rate}`;
  const journeyId = await createAndPublish(responseJourney(type));
  const n = rate * SECONDS_PER_RATE;
  const sentAt = new Map<string, number>();
  const t0 = Date.now();
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const due = t0 + (i * 1000) / rate;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    const started = Date.now();
    const r = await post(negative(type));
    sentAt.set(r.contactId, started);
  }));
  const sendSeconds = (Date.now() - t0) / 1000;
  await waitCompleted(journeyId, n);
  const sends = await rt.store.outbox.find({ workspaceId: 'bench', kind: 'message', contactId: { $in: [...sentAt.keys()] } }).toArray();
  // The first message each contact got (the reply; the ticket's notification follows it).
  const firstSend = new Map<string, number>();
  for (const s of sends) firstSend.set(s.contactId, Math.min(firstSend.get(s.contactId) ?? Infinity, s.updatedAt.getTime()));
  const lat = summarize([...firstSend].map(([contactId, at]) => at - sentAt.get(contactId)!));
  latency.push({ rate, events: n, achievedRate: +(n / sendSeconds).toFixed(1), ...lat });
  log(`rate ${rate}/s: event→reply p50 ${lat.p50}ms p95 ${lat.p95}ms p99 ${lat.p99}ms (n=${lat.n})`);
}
results.latency = latency;

/** The run of a sweep with the highest rate (the first of equals). */
const best = <T extends { completedPerSecond: number }>(runs: T[]) => runs.reduce((a, b) => (b.completedPerSecond > a.completedPerSecond ? b : a));

/** One saturated run of the journey at a client concurrency, with the CPU every process spent on it. */
async function saturateJourney(journeyId: string, type: string, concurrency: number) {
  const before = await endedCount(journeyId);
  const cpu0 = cpuSnapshot(serverPids);
  const t0 = Date.now();
  await pool(SATURATION_N, concurrency, async () => { await post(negative(type)); });
  const accepted = Date.now();
  const seen = await waitCompleted(journeyId, before + SATURATION_N);
  // Read at the poll that saw the last one: at most a second of idle servers, small beside a saturated run.
  const cpu = cpuDelta(cpu0, cpuSnapshot(serverPids));
  const seconds = (await lastEndedAt(journeyId, t0, seen) - t0) / 1000;
  return { concurrency, enrollments: SATURATION_N, ingestSeconds: +((accepted - t0) / 1000).toFixed(2), seconds: +seconds.toFixed(2), completedPerSecond: +(SATURATION_N / seconds).toFixed(1), cpu };
}

/** One run of SATURATION_N no-op workflows at a client concurrency (start, then wait for the result). */
async function saturateNoop(concurrency: number, n = SATURATION_N) {
  const t0 = Date.now();
  await pool(n, concurrency, async (i) => {
    const h = await rt.temporal.workflow.start('noopWorkflow', { workflowId: `noop-${t0}-${concurrency}-${i}`, taskQueue: 'bench-noop', args: [] });
    await h.result();
  });
  return { concurrency, workflows: n, completedPerSecond: +(n / ((Date.now() - t0) / 1000)).toFixed(1) };
}

const sweepText = (runs: { concurrency: number; completedPerSecond: number }[]) => runs.map((r) => `${r.concurrency}→${r.completedPerSecond}/s`).join(', ');

// (b) saturated throughput of the journey, (c) the same for a no-op workflow: the ceiling; both at their best
// client concurrency. `cpu`: what every process spent per enrollment in the journey's best run.
if (section('throughput') || section('cpu')) {
  const type = 'bench.saturate';
  const journeyId = await createAndPublish(responseJourney(type));
  // Warm-up (first workflow tasks, caches): not part of any run of the sweep.
  const warm = Math.min(20, SATURATION_N);
  await pool(warm, 8, async () => { await post(negative(type)); });
  await waitCompleted(journeyId, warm);
  const runs = [];
  for (const c of CONCURRENCY) {
    const run = await saturateJourney(journeyId, type, c);
    runs.push(run);
    log(`journey at concurrency ${c}: ${run.completedPerSecond.toFixed(1)} enrollments completed/s (${run.cpu.total} CPU-s)`);
  }
  const top = best(runs);
  results.throughput = { enrollments: SATURATION_N, concurrency: top.concurrency, ingestSeconds: top.ingestSeconds, completedPerSecond: top.completedPerSecond, sweep: runs.map(({ cpu: _c, ...r }) => r) };
  log(`journey throughput: ${top.completedPerSecond.toFixed(1)} enrollments completed/s (${SATURATION_N} at concurrency ${top.concurrency}, best of ${sweepText(runs)})`);
  if (section('cpu')) reportCpu(top, runs);

  if (section('throughput')) {
    const noopWorker = await Worker.create({
      connection: main.connection, namespace: 'default', taskQueue: 'bench-noop', workflowsPath: path.join(import.meta.dirname, 'noop.workflow.ts'), ...workerSettings,
    });
    const noopRun = noopWorker.run();
    await saturateNoop(8, Math.min(20, SATURATION_N));
    const noops = [];
    for (const c of CONCURRENCY) noops.push(await saturateNoop(c));
    noopWorker.shutdown();
    await noopRun;
    const ceiling = best(noops);
    const ratio = top.completedPerSecond / ceiling.completedPerSecond;
    results.ceiling = { workflows: SATURATION_N, concurrency: ceiling.concurrency, completedPerSecond: ceiling.completedPerSecond, journeyToCeiling: +ratio.toFixed(3), sweep: noops };
    log(`ceiling sweep (no-op workflow): ${sweepText(noops)}`);
    log(`ceiling (no-op workflow): ${ceiling.completedPerSecond.toFixed(1)} completed/s → journeys run at ${(100 * ratio).toFixed(0)}% of it`);
  }
}

/** CPU-seconds per enrollment of the best run, split by process; every run's figure goes in the JSON. */
function reportCpu(top: Awaited<ReturnType<typeof saturateJourney>>, runs: Awaited<ReturnType<typeof saturateJourney>>[]) {
  const per = (cpu: typeof top.cpu, n: number) => Object.fromEntries(Object.entries(cpu.byProcess).map(([k, v]) => [k, v === null ? null : +(v / n).toFixed(4)]));
  const perEnrollment = +(top.cpu.total / top.enrollments).toFixed(3);
  results.cpu = {
    enrollments: top.enrollments, concurrency: top.concurrency, cpuSeconds: top.cpu.total, cpuSecondsPerEnrollment: perEnrollment,
    perEnrollmentByProcess: per(top.cpu, top.enrollments), cpuSecondsByProcess: top.cpu.byProcess,
    // Processes the bench did not start (reused servers) are null and not in the total.
    sweep: runs.map((r) => ({ concurrency: r.concurrency, cpuSecondsPerEnrollment: +(r.cpu.total / r.enrollments).toFixed(3), perEnrollmentByProcess: per(r.cpu, r.enrollments) })),
  };
  log(`CPU-seconds per enrollment: ${perEnrollment.toFixed(3)}`);
  log(`CPU split per enrollment (concurrency ${top.concurrency}): ${Object.entries(per(top.cpu, top.enrollments)).map(([k, v]) => `${k} ${v === null ? 'n/a' : v.toFixed(4)}`).join(' · ')}`);
}

/** Quiet for `quietMs` (no command counted), or `maxMs` passed: the runs' last writes have been issued. */
async function settle(lastCommandAt: () => number, quietMs = 2000, maxMs = 20_000) {
  const deadline = Date.now() + maxMs;
  while (Date.now() - lastCommandAt() < quietMs && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

// Store operations per run: the commands the API and the worker issue for one event through the 5-node journey.
// A stack of its own on a client with command monitoring, so the counter sees only the engine's commands (the
// bench polls through the main store) and monitoring's cost stays out of every other section's figures.
if (section('ops')) {
  const monitored = await openMonitoredStore();
  const counter = commandCounter(monitored.client);
  const ops = await openStack({ taskQueue: 'bench-ops', workspaces: ['ops'], store: monitored });
  const type = 'bench.ops';
  const journeyId = await createAndPublish(responseJourney(type), 'ops', ops);
  /** n events one after another (each POST answered before the next), then every run completed. */
  const quietRuns = async (n: number) => {
    const before = await endedCount(journeyId, 'ops');
    for (let i = 0; i < n; i++) await post(negative(type), 'ops', ops);
    await waitCompleted(journeyId, before + n, 'ops');
  };
  // Warm-up: caches (live journeys, channel settings) and the worker's first tasks are not a run's cost.
  await quietRuns(Math.min(10, OPS_N));
  counter.start();
  await quietRuns(OPS_N);
  await settle(counter.lastCommandAt);
  const tally = counter.stop();
  await ops.close();
  const per = perRun(tally, OPS_N);
  results.storeOperations = { runs: OPS_N, commands: tally.total, perRun: per.total, perRunByCommand: per.byCommand, byCommand: tally.byCommand };
  log(`store operations per run: ${per.total.toFixed(1)}`);
  log(`store operations per run by command and collection: ${JSON.stringify(per.byCommand)}`);
}

/** A store whose client reports every command (core/store/db.ts reads JOURNEYS_MONITOR_COMMANDS when opening). */
async function openMonitoredStore(): Promise<Store> {
  const before = process.env.JOURNEYS_MONITOR_COMMANDS;
  process.env.JOURNEYS_MONITOR_COMMANDS = '1';
  try {
    return await openStore(services.mongoUri, 'bench');
  } finally {
    if (before === undefined) delete process.env.JOURNEYS_MONITOR_COMMANDS; else process.env.JOURNEYS_MONITOR_COMMANDS = before;
  }
}

// (d) the peer: the same flow in n8n, same load shape (scripts/install-n8n.sh installs it once; BENCH_PEER=0 skips)
if (process.env.BENCH_PEER !== '0' && section('peer')) {
  const { measureN8n } = await import('./n8n-peer');
  const peer = await measureN8n({ rates: RATES, seconds: SECONDS_PER_RATE, saturationN: SATURATION_N, log })
    .catch((err: Error) => ({ skipped: `n8n failed: ${err.message}` }));
  if ('skipped' in peer) {
    results.peer = peer;
    log(`peer (n8n) skipped: ${peer.skipped}`);
  } else {
    const ours = latency as { rate: number; p99: number }[];
    const journeyRate = (results.throughput as { completedPerSecond: number } | undefined)?.completedPerSecond ?? NaN;
    results.peer = {
      ...peer,
      throughputRatio: +(journeyRate / peer.throughput.completedPerSecond).toFixed(3),
      p99Ratios: peer.latency.map((l) => ({ rate: l.rate, ratio: +((ours.find((o) => o.rate === l.rate)?.p99 ?? NaN) / l.p99).toFixed(2) })),
    };
    log(`peer (n8n ${peer.version}): ${peer.throughput.completedPerSecond}/s saturated → ours/n8n ${(journeyRate / peer.throughput.completedPerSecond).toFixed(2)}`);
  }
} else {
  results.peer = { skipped: process.env.BENCH_PEER === '0' ? 'BENCH_PEER=0' : 'not in BENCH_ONLY' };
}

// (f) ingestion into the contact store, single and batched (no live journey matches these events)
if (section('ingestion')) {
  const t0 = Date.now();
  await pool(INGEST_N, 16, async (i) => { await post({ id: `ing-s-${i}`, type: 'bench.ingest', channel: 'x', handle: `@i${i % 500}`, text: 'hello world 你好', occurredAt: new Date().toISOString() }, 'ingest'); });
  const single = INGEST_N / ((Date.now() - t0) / 1000);
  const batches = Math.ceil(INGEST_N / 100);
  const t1 = Date.now();
  await pool(batches, 4, async (b) => {
    await post({ events: Array.from({ length: 100 }, (_, j) => ({ id: `ing-b-${b}-${j}`, type: 'bench.ingest', channel: 'x', handle: `@i${(b * 100 + j) % 500}`, text: 'hello', occurredAt: new Date().toISOString() })) }, 'ingest');
  });
  const batched = (batches * 100) / ((Date.now() - t1) / 1000);
  results.ingestion = { singlePerSecond: +single.toFixed(1), batchedPerSecond: +batched.toFixed(1), events: INGEST_N };
  log(`ingestion: ${single.toFixed(0)} events/s single (concurrency 16), ${batched.toFixed(0)} events/s in batches of 100`);
}

// (e) scale of waiting: contacts enrolled into a drip that waits days, posted in batches of 100 (8 in flight)
const du = (p: string) => Number(execFileSync('du', ['-sk', p]).toString().split('\t')[0]) * 1024;
const temporalBytes = () => du(path.join(dataDir, 'temporal.db')) + (fs.existsSync(path.join(dataDir, 'temporal.db-wal')) ? du(path.join(dataDir, 'temporal.db-wal')) : 0);
// What the store reports for the benchmark database (data + indexes): the same figure on MongoDB and FerretDB.
const storeSize = async () => { const st = await rt.store.db.command({ dbStats: 1 }); return Number(st.totalSize ?? (Number(st.storageSize) + Number(st.indexSize))); };
const memPids = { temporal: services.pids?.temporal, ferretdb: services.pids?.ferretdb };
/** Seconds of quiet after all runs wait, memory sampled: growth then is what waiting itself costs. */
const SETTLE_SECONDS = env('BENCH_SETTLE_SECONDS', 20);
const waitingSteps = (workspaceId: string, journeyId: string) => rt.store.steps.countDocuments({ workspaceId, journeyId, nodeId: 'w', outcome: 'waiting' });

/** The same object with its keys in order at every level (counters compared by value). */
function sortKeys(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}

/** A drip: the trigger, a 3-day wait, a DM. */
const dripJourney = (name: string, trigger: Record<string, unknown>) => ({
  name,
  nodes: [
    { id: 't', version: 1, ...trigger },
    { id: 'w', type: 'flow.wait', version: 1, config: { duration: { amount: 3, unit: 'days' } } },
    { id: 'r', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Day 3: how is it going?' } },
  ],
  edges: [{ from: 't', port: 'next', to: 'w' }, { from: 'w', port: 'next', to: 'r' }],
  settings: { reentry: 'always' },
});

/**
 * Enrolls `n` contacts into a journey that waits (by `enroll`), then polls until all of them wait: times, the CPU of
 * every process, memory sampled along the way (`progress` reads how many are enrolled) and after a settle period,
 * and the bytes the store and Temporal grew by per contact.
 */
async function measureWaiting(o: { label: string; workspaceId: string; journeyId: string; n: number; enroll: () => Promise<void>; progress: () => number | Promise<number> }) {
  const storeBefore = await storeSize();
  const temporalBefore = temporalBytes();
  const memBefore = memoryNow(memPids);
  const cpu0 = cpuSnapshot(serverPids);
  const sampler = sampleMemory(memPids, o.progress);
  const t0 = Date.now();
  const progress = setInterval(async () => log(`${o.label}: ${await o.progress()}/${o.n} enrolled after ${((Date.now() - t0) / 1000).toFixed(0)}s`), 60_000);
  try {
    await o.enroll();
  } finally {
    clearInterval(progress);
  }
  const enrolledSeconds = (Date.now() - t0) / 1000;
  const cpuEnrolled = cpuDelta(cpu0, cpuSnapshot(serverPids));
  // Polled from the journey's counters (8 small documents, whatever the number of runs), confirmed by one count of
  // the waiting steps: a count over every step at each poll loaded the store it measured, more as the set grew.
  const counted = async () => (await journeyStats(rt.store, o.workspaceId, o.journeyId, 1)).nodes.w?.waiting ?? 0;
  for (let poll = 1; ; poll++) {
    // (The exact count every 30 s too: counters a crash left short would never get there.)
    if (((await counted()) >= o.n || poll % 30 === 0) && (await waitingSteps(o.workspaceId, o.journeyId)) >= o.n) break;
    if (Date.now() - t0 > Math.max(30 * 60_000, o.n * 100)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const allWaitingSeconds = (Date.now() - t0) / 1000;
  const cpu = cpuDelta(cpu0, cpuSnapshot(serverPids));
  const memAllWaiting = memoryNow(memPids);
  await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
  const samples = await sampler.stop();
  const waitingNow = await waitingSteps(o.workspaceId, o.journeyId);
  const enrollments = await rt.store.enrollments.countDocuments({ workspaceId: o.workspaceId, journeyId: o.journeyId });
  const storeAfter = await storeSize();
  const temporalAfter = temporalBytes();
  const memAfter = memoryNow(memPids);
  const per = (c: typeof cpu) => Object.fromEntries(Object.entries(c.byProcess).map(([k, v]) => [k, v === null ? null : +(v / o.n).toFixed(4)]));
  return {
    contacts: o.n, enrollments, waiting: waitingNow, enrollSeconds: +enrolledSeconds.toFixed(1), allWaitingSeconds: +allWaitingSeconds.toFixed(1),
    enrolledPerSecond: +(o.n / enrolledSeconds).toFixed(1), enrollPerSecond: +(o.n / allWaitingSeconds).toFixed(1),
    cpuSecondsPerContact: +(cpu.total / o.n).toFixed(4), cpuPerContactByProcess: per(cpu), cpuWhileEnrolling: cpuEnrolled,
    memoryBefore: memBefore, memoryAllWaiting: memAllWaiting, memoryAfter: memAfter, memoryAt: atQuarters(samples, o.n), settleSeconds: SETTLE_SECONDS,
    memorySamples: samples,
    storeBytesPerContact: Math.round((storeAfter - storeBefore) / o.n), temporalBytesPerContact: Math.round((temporalAfter - temporalBefore) / o.n),
  };
}

type WaitingResult = Awaited<ReturnType<typeof measureWaiting>>;
const growthText = (r: WaitingResult) => Object.entries(r.memoryAt).map(([q, m]) => `${q} ${m.workerMiB}/${m.temporalMiB}/${m.ferretdbMiB}`).join(', ');
const cpuText = (r: WaitingResult) => `${r.cpuSecondsPerContact} CPU-s per contact (${Object.entries(r.cpuPerContactByProcess).map(([k, v]) => `${k} ${v ?? 'n/a'}`).join(' · ')})`;

if (section('waiting')) {
  const journeyId = await createAndPublish(dripJourney('bench drip', { type: 'trigger.event', config: { eventTypes: ['bench.signup'] } }));
  const BATCH = 100;
  let posted = 0;
  const r = await measureWaiting({
    label: 'waiting', workspaceId: 'bench', journeyId, n: WAITING_N, progress: () => posted,
    enroll: () => pool(Math.ceil(WAITING_N / BATCH), 8, async (b) => {
      await post({ events: Array.from({ length: Math.min(BATCH, WAITING_N - b * BATCH) }, (_, j) => ({ id: `drip-${b}-${j}`, type: 'bench.signup', channel: 'email', handle: `d${b * BATCH + j}@example.com`, occurredAt: new Date().toISOString() })) });
      posted += Math.min(BATCH, WAITING_N - b * BATCH);
    }),
  });
  results.waiting = r;
  log(`waiting: ${WAITING_N} contacts in a 3-day wait after ${r.allWaitingSeconds}s (${r.enrollPerSecond}/s; all posted after ${r.enrollSeconds}s); worker RSS ${r.memoryBefore.workerMiB}→${r.memoryAfter.workerMiB} MiB, Temporal RSS ${r.memoryBefore.temporalMiB}→${r.memoryAfter.temporalMiB} MiB; store ${r.storeBytesPerContact} B + Temporal ${r.temporalBytesPerContact} B per waiting contact`);
  log(`waiting: ${cpuText(r)}; RSS API+worker/Temporal/FerretDB MiB at ${growthText(r)}, ${r.settleSeconds}s after all wait ${r.memoryAfter.workerMiB}/${r.memoryAfter.temporalMiB}/${r.memoryAfter.ferretdbMiB}`);
}

// (g) a scheduled broadcast to a static segment of BROADCAST_N contacts, into the same 3-day drip. The contacts
// (with their identities) are written in bulk as setup, not measured; then the broadcast runner the scheduler calls
// (runDueBroadcasts, as POST /api/v1/broadcasts/run does) enrolls them: enrolled = every enrollment written and its
// run started (the runner has returned); waiting = every run has recorded its waiting step.
if (section('broadcast')) {
  const ws = 'bcast';
  const segment = 'bench-broadcast';
  const setup0 = Date.now();
  for (let i = 0; i < BROADCAST_N; i += 5000) {
    const at = new Date();
    const chunk = Array.from({ length: Math.min(5000, BROADCAST_N - i) }, (_, j) => ({ id: randomUUID(), handle: `bc${i + j}@example.com` }));
    await rt.store.identities.insertMany(chunk.map((c) => ({ _id: `${ws}|email|${c.handle}`, workspaceId: ws, channel: 'email', handle: c.handle, contactId: c.id, createdAt: at })));
    await rt.store.contacts.insertMany(chunk.map((c) => ({
      _id: c.id, workspaceId: ws, identities: [{ channel: 'email', handle: c.handle }], profile: {}, tags: [], scores: {}, consent: {}, segments: [segment],
      createdAt: at, updatedAt: at, appliedEffects: [],
    })));
  }
  log(`broadcast: ${BROADCAST_N} contacts in segment "${segment}" written in ${((Date.now() - setup0) / 1000).toFixed(1)}s (setup, not measured)`);

  // The ceiling: bare Temporal, the same concurrency of starts, a workflow that records one local activity and waits.
  const CEILING_N = Math.min(BROADCAST_N, env('BENCH_BROADCAST_CEILING', 5000));
  let marked = 0;
  const noopWorker = await Worker.create({
    connection: main.connection, namespace: 'default', taskQueue: 'bench-noop-wait', workflowsPath: path.join(import.meta.dirname, 'noop.workflow.ts'),
    activities: { noopMark: async () => { marked++; } }, ...workerSettings,
  });
  const noopRun = noopWorker.run();
  const c0 = Date.now();
  await pool(CEILING_N, BROADCAST_STARTS, async (i) => {
    await rt.temporal.workflow.start('noopWaitWorkflow', { workflowId: `noop-wait-${c0}-${i}`, taskQueue: 'bench-noop-wait', args: [] });
  });
  const startedSeconds = (Date.now() - c0) / 1000;
  while (marked < CEILING_N && Date.now() - c0 < 600_000) await new Promise((r) => setTimeout(r, 100));
  const markedSeconds = (Date.now() - c0) / 1000;
  noopWorker.shutdown();
  await noopRun;
  const ceiling = { workflows: CEILING_N, concurrency: BROADCAST_STARTS, startedPerSecond: +(CEILING_N / startedSeconds).toFixed(1), waitingPerSecond: +(marked / markedSeconds).toFixed(1) };
  log(`broadcast ceiling (no-op waiting workflow, ${CEILING_N} started ${BROADCAST_STARTS} at a time): ${ceiling.startedPerSecond} started/s, ${ceiling.waitingPerSecond}/s with their first task done`);

  const journeyId = await createAndPublish(dripJourney('bench broadcast', { type: 'trigger.scheduled-broadcast', config: { cron: '0 10 * * 1', timezone: 'Asia/Shanghai', segment } }), ws);
  // Published just now, so no fire is due yet: make last Monday's 10:00 due, as if published before it.
  const stateId = `${ws}|${journeyId}|t`;
  await broadcastStates(rt.store).updateOne({ _id: stateId }, { $set: { workspaceId: ws, journeyId, nodeId: 't', lastFireAt: new Date(Date.now() - 8 * 86_400_000) } }, { upsert: true });
  let fired: Awaited<ReturnType<typeof runDueBroadcasts>> = [];
  const r = await measureWaiting({
    label: 'broadcast', workspaceId: ws, journeyId, n: BROADCAST_N,
    progress: async () => (fired.length ? fired[0].enrolled : (await broadcastStates(rt.store).findOne({ _id: stateId }))?.firing?.enrolled ?? 0),
    enroll: async () => { fired = await runDueBroadcasts({ store: rt.store, temporal: rt.temporal, taskQueue: 'bench-journeys' }, new Date(), ws); },
  });
  const reportedEnrolled = fired.reduce((a, f) => a + f.enrolled, 0);
  // Live counters of a journey with BROADCAST_N enrollments: GET …/stats as the editor polls it, and whether they
  // equal a recount from the steps (the definition they must match).
  const statsMs: number[] = [];
  let statsBody: { nodes?: Record<string, unknown>; enrollments?: Record<string, unknown> } = {};
  for (let i = 0; i < 20; i++) {
    const s0 = performance.now();
    const res = await fetch(`${main.base}/api/v1/journeys/${journeyId}/stats`, { headers: { authorization: `Bearer ${main.tokens[ws]}` } });
    statsBody = await res.json() as typeof statsBody;
    statsMs.push(performance.now() - s0);
  }
  const version = (await rt.store.journeys.findOne({ _id: journeyId }))!.liveVersion!;
  const recount = await recountStats(rt.store, ws, journeyId, version);
  const statsMatchRecount = JSON.stringify(sortKeys({ e: statsBody.enrollments, n: statsBody.nodes })) === JSON.stringify(sortKeys({ e: recount.enrollments, n: recount.nodes }));
  const stats = { ...summarize(statsMs), matchesRecount: statsMatchRecount, enrollments: r.enrollments };
  log(`broadcast: GET /stats with ${r.enrollments} enrollments p50 ${stats.p50.toFixed(0)} ms, max ${stats.max.toFixed(0)} ms; equals a recount from the steps: ${statsMatchRecount}`);
  results.broadcast = { ...r, segment, runnerReportedEnrolled: reportedEnrolled, ceiling, stats };
  log(`broadcast: ${BROADCAST_N} members enrolled (enrollments written, runs started) in ${r.enrollSeconds}s = ${r.enrolledPerSecond}/s (runner reported ${reportedEnrolled}, ${r.enrollments} enrollments); all waiting after ${r.allWaitingSeconds}s = ${r.enrollPerSecond}/s`);
  log(`broadcast: ${cpuText(r)}; RSS API+worker/Temporal/FerretDB MiB at ${growthText(r)}, ${r.settleSeconds}s after all wait ${r.memoryAfter.workerMiB}/${r.memoryAfter.temporalMiB}/${r.memoryAfter.ferretdbMiB}; store ${r.storeBytesPerContact} B + Temporal ${r.temporalBytesPerContact} B per contact`);
}

// Sentiment analyzer quality on the labelled sets
if (section('sentiment')) try {
  const { evaluateSentiment, formatEvaluation } = await import('../../nodes/text/evaluate');
  const sentiment: Record<string, unknown> = {};
  for (const set of ['sentiment-labelled', 'sentiment-holdout']) {
    const file = path.join(ROOT, 'test/data', `${set}.json`);
    if (!fs.existsSync(file)) continue;
    const r = evaluateSentiment(JSON.parse(fs.readFileSync(file, 'utf8')));
    console.log(`\n${set}:\n${formatEvaluation(r)}`);
    const { errors: _e, ...summary } = r as typeof r & { errors?: unknown };
    sentiment[set] = summary;
  }
  results.sentiment = sentiment;
} catch (err) {
  log(`sentiment evaluation skipped: ${(err as Error).message}`);
}

// Every negative event of the response journeys ended as a reply POSTed to the recording platform.
const replies = platform.sent('reply');
results.platform = {
  replies: replies.length, negativeEvents: negativeSent,
  distinctEventsReplied: new Set(replies.map((r) => (r.body as { inReplyTo?: string } | undefined)?.inReplyTo)).size,
  requests: platform.requests.length,
};
log(`recording platform: ${replies.length} replies received over HTTP for ${negativeSent} negative events${replies.length === negativeSent ? '' : ' (MISMATCH)'}`);

await main.close();
await services.stop();
await platform.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const outDir = path.join(ROOT, 'bench-results');
fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
results.retried503 = retried503;
fs.writeFileSync(file, JSON.stringify(results, null, 2));
// A partial run (BENCH_ONLY) keeps its own latest file, so the full run's figures stay in latest.json.
fs.writeFileSync(path.join(outDir, ONLY ? `latest-${[...ONLY].sort().join('-')}.json` : 'latest.json'), JSON.stringify(results, null, 2));

console.log('\n| measurement | figure |\n|---|---|');
console.log(`| machine | ${machine.cores} cores · ${machine.cpu} · ${machine.memoryGiB} GiB · Node ${machine.node} · load ${machine.loadAverage.join(' ')} at start |`);
console.log(`| store | ${store.server} on ${store.backend} |`);
console.log(`| Temporal | ${describeShape(temporal)} |`);
for (const l of latency as { rate: number; p50: number; p95: number; p99: number; achievedRate: number }[]) {
  console.log(`| event→first reply @ ${l.rate}/s (achieved ${l.achievedRate}/s) | p50 ${l.p50} ms · p95 ${l.p95} ms · p99 ${l.p99} ms |`);
}
const tp = results.throughput as { completedPerSecond: number; concurrency: number } | undefined;
const ce = results.ceiling as { completedPerSecond: number; concurrency: number; journeyToCeiling: number } | undefined;
const cpu = results.cpu as { cpuSecondsPerEnrollment: number; perEnrollmentByProcess: Record<string, number | null> } | undefined;
const ops = results.storeOperations as { perRun: number; runs: number } | undefined;
const ing = results.ingestion as { singlePerSecond: number; batchedPerSecond: number } | undefined;
const w = results.waiting as WaitingResult | undefined;
const bc = results.broadcast as (WaitingResult & { ceiling: { workflows: number; concurrency: number; startedPerSecond: number; waitingPerSecond: number }; stats: { p50: number; max: number; matchesRecount: boolean; enrollments: number } }) | undefined;
if (tp) console.log(`| 5-node journey, saturated (best at concurrency ${tp.concurrency} of ${CONCURRENCY.join('/')}) | ${tp.completedPerSecond} enrollments completed/s |`);
if (ce) console.log(`| no-op workflow (ceiling, best at concurrency ${ce.concurrency}) | ${ce.completedPerSecond} completed/s · journey/ceiling ${ce.journeyToCeiling} |`);
if (cpu) console.log(`| CPU-seconds per enrollment, every process | ${cpu.cpuSecondsPerEnrollment.toFixed(3)} (${Object.entries(cpu.perEnrollmentByProcess).map(([k, v]) => `${k} ${v ?? 'n/a'}`).join(' · ')}) |`);
if (ops) console.log(`| store operations per run (API+worker, ${ops.runs} quiet runs) | ${ops.perRun.toFixed(1)} |`);
console.log(`| replies at the recording platform (HTTP) | ${replies.length} for ${negativeSent} negative events |`);
if (ing) console.log(`| ingestion | ${ing.singlePerSecond}/s single · ${ing.batchedPerSecond}/s batched (100) |`);
const pr = results.peer as { version?: string; throughput?: { completedPerSecond: number }; throughputRatio?: number; p99Ratios?: { rate: number; ratio: number }[]; skipped?: string };
console.log(pr.skipped ? `| n8n peer | skipped: ${pr.skipped} |` : `| n8n ${pr.version} peer, same flow | ${pr.throughput!.completedPerSecond}/s saturated · ours/n8n throughput ${pr.throughputRatio} · p99 ours/n8n ${pr.p99Ratios!.map((r) => `@${r.rate}/s ${r.ratio}`).join(', ')} |`);
if (w) console.log(`| ${w.contacts} contacts into a 3-day wait | ${w.waiting} waiting after ${w.allWaitingSeconds}s (${w.enrollPerSecond}/s) · ${w.storeBytesPerContact} B store + ${w.temporalBytesPerContact} B Temporal per contact · RSS API+worker ${w.memoryAfter.workerMiB} MiB, Temporal ${w.memoryAfter.temporalMiB} MiB, FerretDB ${w.memoryAfter.ferretdbMiB} MiB |`);
if (w) console.log(`| ${w.contacts} contacts into a 3-day wait: CPU, memory | ${cpuText(w)} · RSS API+worker/Temporal/FerretDB MiB at ${growthText(w)} enrolled |`);
if (bc) console.log(`| scheduled broadcast to a ${bc.contacts}-contact segment, into a 3-day wait | ${bc.enrollments} enrolled in ${bc.enrollSeconds}s (${bc.enrolledPerSecond}/s) · all waiting after ${bc.allWaitingSeconds}s (${bc.enrollPerSecond}/s) · ${bc.storeBytesPerContact} B store + ${bc.temporalBytesPerContact} B Temporal per contact · RSS API+worker ${bc.memoryAfter.workerMiB} MiB, Temporal ${bc.memoryAfter.temporalMiB} MiB, FerretDB ${bc.memoryAfter.ferretdbMiB} MiB |`);
if (bc) console.log(`| broadcast: CPU, memory | ${cpuText(bc)} · RSS API+worker/Temporal/FerretDB MiB at ${growthText(bc)} enrolled |`);
if (bc) console.log(`| GET …/stats, journey with ${bc.stats.enrollments} enrollments | p50 ${bc.stats.p50.toFixed(0)} ms · max ${bc.stats.max.toFixed(0)} ms · equals a recount from the steps: ${bc.stats.matchesRecount} |`);
if (bc) console.log(`| no-op waiting workflow (ceiling of a broadcast, ${bc.ceiling.workflows} at ${bc.ceiling.concurrency} in flight) | ${bc.ceiling.startedPerSecond} started/s · ${bc.ceiling.waitingPerSecond}/s with their first task done |`);
console.log(`\nresults: ${path.relative(ROOT, file)}`);
process.exit(0);
