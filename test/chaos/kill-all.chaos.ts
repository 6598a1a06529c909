/**
 * Issue 13 item 5: 500 events posted over real HTTP to the API process by a client that retries until it gets a 200,
 * while the API process, the worker process, FerretDB and the Temporal server are each killed with -9 in turn (and
 * restarted). Every accepted event must end as one completed enrollment, its points counted once and one reply at
 * the platform: one Idempotency-Key per contact, none delivered twice.
 *
 * Everything is its own: Temporal, FerretDB and PostgreSQL on spare ports with a throwaway data dir, the API
 * (`server/api.main.ts`, with the scheduler whose sweeper starts lost runs) and the worker (`workflows/worker.main.ts`)
 * as child processes, and a recording platform connected as the workspace's `weibo` channel.
 * Sizes: CHAOS_KILL_EVENTS (500), CHAOS_KILL_CONCURRENCY (8), CHAOS_KILL_DOWN_MS (6000). Logs of the children stay
 * in .data/chaos-kill/logs when the test fails (or with CHAOS_KILL_KEEP=1).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { openStore, type Store } from '../../core/store/db';
import { createApiToken, createUser, ensureWorkspace, randomPassword } from '../../core/store/users';
import { startStore, startTemporalServer, type ManagedProcess } from '../../scripts/services';
import { startFakePlatform, type FakePlatform } from '../helpers/fake-platform';

const ROOT = path.resolve(import.meta.dirname, '../..');
const N = Number(process.env.CHAOS_KILL_EVENTS ?? 500);
const CONCURRENCY = Number(process.env.CHAOS_KILL_CONCURRENCY ?? 8);
/** The client never runs more than this many events ahead of a kill that is due but not yet done. */
const AHEAD = 40;
const POINTS = 5;
/**
 * How long FerretDB and Temporal stay dead before their restart: past the store driver's 5 s server selection (and
 * the Temporal client's own retries), so that requests fail and are retried rather than just waiting it out.
 */
const DOWN_MS = Number(process.env.CHAOS_KILL_DOWN_MS ?? 6000);
const API_PORT = Number(process.env.CHAOS_KILL_API_PORT ?? 3311);
// Temporal also takes its port + 10 and + 11 (HTTP, metrics): 27341..27352 stays clear of restarts.chaos.ts (27301..27312).
const cfg = loadConfig({
  ...process.env, TEMPORAL_PORT: process.env.CHAOS_KILL_TEMPORAL_PORT ?? '27341', FERRETDB_PORT: process.env.CHAOS_KILL_FERRETDB_PORT ?? '47311',
  POSTGRES_PORT: process.env.CHAOS_KILL_POSTGRES_PORT ?? '25311', TEMPORAL_UI: 'off', JOURNEYS_DATA_DIR: path.join(ROOT, '.data', 'chaos-kill'),
  TEMPORAL_ADDRESS: '', MONGODB_URI: '', TEMPORAL_HTTP_PORT: '', TEMPORAL_METRICS_PORT: '',
});
const TEMPORAL_ADDRESS = `127.0.0.1:${cfg.temporalPort}`;
const MONGO_URI = `mongodb://127.0.0.1:${cfg.ferretdbPort}/`;
const DB = 'chaos_kill';
const TASK_QUEUE = 'chaos-kill';
const BASE = `http://127.0.0.1:${API_PORT}`;
const LOGS = path.join(cfg.dataDir, 'logs');

const log = (m: string) => console.log(`[chaos-kill] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pdeathsig: string[] | undefined;
/** Children die with this process even when it is killed (setpriv execs in place: the child's pid is node's). */
function dieWithParent(): string[] {
  pdeathsig ??= process.platform === 'linux' && /--pdeathsig/.test(spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout ?? '')
    ? ['setpriv', '--pdeathsig', 'KILL', '--'] : [];
  return pdeathsig;
}

/** A project entry point in its own node process, output appended to a log file; resolves `ready` on a stdout line. */
function spawnEntry(name: string, entry: string, env: Record<string, string>, readyLine?: RegExp): { child: ChildProcess; ready: Promise<void> } {
  fs.mkdirSync(LOGS, { recursive: true });
  const out = fs.createWriteStream(path.join(LOGS, `${name}.log`), { flags: 'a' });
  out.write(`\n--- ${new Date().toISOString()} start ${name}\n`);
  const [cmd, ...args] = [...dieWithParent(), process.execPath, '--import', 'tsx', entry];
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let resolveReady!: () => void;
  let rejectReady!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  let seen = '';
  child.stdout!.on('data', (c: Buffer) => {
    out.write(c);
    if (readyLine) {
      seen = (seen + c.toString()).slice(-4000);
      if (readyLine.test(seen)) resolveReady();
    }
  });
  child.stderr!.on('data', (c: Buffer) => out.write(c));
  child.once('exit', (code, signal) => {
    out.end(`--- ${new Date().toISOString()} ${name} exited (${signal ?? code})\n`);
    rejectReady(new Error(`${name} exited (${signal ?? code}) before it was ready; see ${path.join(LOGS, `${name}.log`)}`));
  });
  if (!readyLine) resolveReady();
  ready.catch(() => undefined);
  return { child, ready };
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function killHard(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  await exited;
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs / 1000}s`);
    await sleep(intervalMs);
  }
}

describe('chaos: 500 events while the API, the worker, FerretDB and Temporal are each killed with -9', () => {
  let temporal: ManagedProcess | undefined;
  let storeProcs: ManagedProcess[] = [];
  let store: Store | undefined;
  let platform: FakePlatform;
  let api: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let token = '';
  let passed = false;

  const childEnv = () => ({
    TEMPORAL_ADDRESS, MONGODB_URI: MONGO_URI, MONGODB_DB: DB, TEMPORAL_TASK_QUEUE: TASK_QUEUE, TEMPORAL_NAMESPACE: cfg.temporalNamespace,
    JOURNEYS_OUTBOUND_ALLOW: new URL(platform.url).host, JOURNEYS_SECRET_KEY: 'chaos-kill-test-secret-key', LOG_LEVEL: 'warn',
  });
  async function startApi() {
    const p = spawnEntry('api', 'server/api.main.ts', { ...childEnv(), HOST: '127.0.0.1', PORT: String(API_PORT), JOURNEYS_SCHEDULER_MS: '2000' });
    api = p.child;
    const child = p.child;
    await until('the API answering /health', async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited (${child.signalCode ?? child.exitCode}); see ${LOGS}/api.log`);
      return (await fetch(`${BASE}/health`, { signal: AbortSignal.timeout(3000) })).status === 200;
    }, 90_000).catch(async (err) => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited (${child.signalCode ?? child.exitCode}); see ${LOGS}/api.log`);
      throw err;
    });
  }
  async function startWorker() {
    const p = spawnEntry('worker', 'workflows/worker.main.ts', { ...childEnv(), JOURNEYS_WORKFLOW_BUNDLE: inject('workflowBundlePath'), JOURNEYS_SCHEDULER_MS: '0' }, /worker polling task queue/);
    worker = p.child;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([p.ready, new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error(`the worker did not start within 120s; see ${LOGS}/worker.log`)), 120_000);
    })]).finally(() => clearTimeout(timer));
  }
  const apiCall = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${BASE}${url}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let json: any = text;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body: json };
  };

  beforeAll(async () => {
    // Another run of this file (npm test and npm run chaos in the same tree) owns these ports and this data dir:
    // refuse before deleting anything under it.
    const busy = (await Promise.all([cfg.temporalPort, cfg.temporalHttpPort, cfg.ferretdbPort, cfg.postgresPort, API_PORT].map(async (p) => ((await portInUse(p)) ? p : 0)))).filter(Boolean);
    if (busy.length) throw new Error(`ports ${busy.join(', ')} are in use (another run of this test?); not touching ${cfg.dataDir}`);
    fs.rmSync(cfg.dataDir, { recursive: true, force: true });
    platform = await startFakePlatform();
    temporal = await startTemporalServer(cfg, log);
    storeProcs = await startStore(cfg, log);
    store = await openStore(MONGO_URI, DB);
    // The API's bootstrap admin is skipped once the workspace has a user: this one, with a token the client sends.
    await ensureWorkspace(store, 'default');
    const owner = await createUser(store, 'default', { email: 'chaos@test.local', name: 'Chaos client', role: 'admin', password: randomPassword() });
    token = (await createApiToken(store, 'default', { name: 'chaos kill-all', role: 'admin', createdBy: owner })).secret;
    await Promise.all([startApi(), startWorker()]);
    log(`API pid ${api?.pid} at ${BASE}, worker pid ${worker?.pid}, Temporal ${TEMPORAL_ADDRESS}, FerretDB ${MONGO_URI} (${storeProcs.map((p) => p.name).join(' + ')}), platform ${platform.url}`);
  });

  afterAll(async () => {
    await killHard(api);
    await killHard(worker);
    await store?.close().catch(() => undefined);
    await temporal?.stop();
    for (const p of [...storeProcs].reverse()) await p.stop();
    await platform?.close();
    if (passed && !process.env.CHAOS_KILL_KEEP) fs.rmSync(cfg.dataDir, { recursive: true, force: true });
    else log(`logs kept in ${LOGS}`);
  });

  it(`every one of ${N} accepted events ends as one completed enrollment, its points once and one reply`, async () => {
    const channel = await apiCall('PUT', '/api/v1/channels/weibo', {
      settings: { kind: 'http', baseUrl: platform.url, replyPath: '/replies', dmPath: '/messages' }, token: 'weibo-platform-token',
    });
    expect(channel.status, JSON.stringify(channel.body)).toBe(200);
    const created = await apiCall('POST', '/api/v1/journeys', {
      name: 'Chaos kill-all',
      nodes: [
        { id: 't', type: 'trigger.social-mention', version: 1, config: { channels: ['weibo'] } },
        { id: 'score', type: 'scoring.points', version: 1, config: { score: 'chaos', points: POINTS, reason: 'mentioned' } },
        { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 2, unit: 'seconds' } } },
        { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks {{event.handle}}' } },
        { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['survived'] } },
      ],
      edges: [{ from: 't', port: 'next', to: 'score' }, { from: 'score', port: 'next', to: 'wait' }, { from: 'wait', port: 'next', to: 'reply' }, { from: 'reply', port: 'sent', to: 'tag' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const journeyId: string = created.body.id;
    const published = await apiCall('POST', `/api/v1/journeys/${journeyId}/publish`, {});
    expect(published.status, JSON.stringify(published.body)).toBe(201);

    // --- the kills, in turn, each after its share of accepted events; the next one only once the last is back
    const kills: { at: number; name: string; run: () => Promise<void>; fired?: boolean; downMs?: number }[] = [
      { at: Math.round(N * 0.2), name: 'api', run: async () => {
        await killHard(api);
        await startApi();
      } },
      { at: Math.round(N * 0.4), name: 'worker', run: async () => {
        await killHard(worker);
        await sleep(1000);
        await startWorker();
      } },
      { at: Math.round(N * 0.6), name: 'ferretdb', run: async () => {
        const ferret = storeProcs.find((p) => p.name === 'ferretdb')!;
        await killHard(ferret.child);
        await sleep(DOWN_MS);
        // PostgreSQL still runs: startStore reuses it and starts FerretDB alone.
        storeProcs = [...storeProcs.filter((p) => p !== ferret), ...await startStore(cfg, log)];
      } },
      { at: Math.round(N * 0.8), name: 'temporal', run: async () => {
        await killHard(temporal!.child);
        await sleep(DOWN_MS);
        temporal = await startTemporalServer(cfg, log);
      } },
    ];
    let phase = 'before kills';
    const refusals: Record<string, Record<string, number>> = {};
    const refuse = (kind: string) => {
      (refusals[phase] ??= {})[kind] = (refusals[phase][kind] ?? 0) + 1;
    };
    let acceptedCount = 0;
    let retries = 0;
    /** Retries that started a run whose start had been lost, and retries of an event whose first try had gone through. */
    let recoveredByRetry = 0;
    let answeredLate = 0;
    let failure: Error | undefined;
    const acceptedEvents: { id: string; handle: string; contactId: string; attempts: number }[] = [];
    // Lanes and the controller wait for progress (an accepted event, a kill fired, a failure).
    const waiters = new Set<() => void>();
    const progressed = () => new Promise<void>((r) => waiters.add(r));
    const wake = () => {
      for (const w of waiters) w();
      waiters.clear();
    };

    const controller = (async () => {
      for (const k of kills) {
        while (acceptedCount < k.at && !failure) await progressed();
        if (failure) return;
        phase = `kill -9 ${k.name}`;
        log(`kill -9 ${k.name} after ${acceptedCount} accepted`);
        const t0 = Date.now();
        k.fired = true;
        wake();
        await k.run();
        k.downMs = Date.now() - t0;
        log(`${k.name} back after ${(k.downMs / 1000).toFixed(1)}s (accepted ${acceptedCount})`);
        phase = `after ${k.name}`;
      }
    })().catch((err: Error) => {
      failure ??= err;
      wake();
    });

    const runTag = Date.now().toString(36);
    async function postUntilAccepted(i: number) {
      const handle = `@kill${i}`;
      const event = { id: `kill-${runTag}-${i}`, type: 'social.mention', channel: 'weibo', handle, text: `chaos mention ${i}`, threadId: `wb-${i}`, occurredAt: new Date().toISOString() };
      const deadline = Date.now() + 180_000;
      for (let attempt = 1; ; attempt++) {
        let status = 0;
        let body: any;
        try {
          ({ status, body } = await apiCall('POST', '/api/v1/events', event));
        } catch (err) {
          status = 0;
          body = String((err as Error).cause ?? err);
        }
        if (status === 200) {
          // A new contact has no waiting run to signal: a signalled run is one this retry started (its start was lost).
          if (body.signalled?.length) recoveredByRetry++;
          if (body.skipped?.some((x: { reason: string }) => x.reason === 'already_enrolled_by_this_event')) answeredLate++;
          acceptedEvents.push({ id: event.id, handle, contactId: body.contactId, attempts: attempt });
          acceptedCount++;
          wake();
          return;
        }
        if (status >= 400 && status < 500) throw new Error(`event ${event.id} refused with ${status}: ${JSON.stringify(body)}`);
        refuse(status === 0 ? 'connection' : String(status));
        retries++;
        if (Date.now() > deadline) throw new Error(`event ${event.id} not accepted within 180s (last: ${status} ${JSON.stringify(body)})`);
        await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt - 1, 5)));
      }
    }

    const started = Date.now();
    let next = 0;
    const lanes = Array.from({ length: CONCURRENCY }, async (_, lane) => {
      while (next < N && !failure) {
        const i = next++;
        // Keep the kills within the ingestion: no more than AHEAD events past a kill still to come (waiting for the
        // previous restart), except one lane trickling on, so that requests are in flight when the kill lands.
        for (;;) {
          const due = kills.find((k) => !k.fired);
          if (!due || i < due.at + AHEAD || failure) break;
          if (lane === 0 && i < due.at + 2 * AHEAD) {
            await sleep(100);
            break;
          }
          await progressed();
        }
        if (failure) return;
        await postUntilAccepted(i).catch((err: Error) => {
          failure ??= err;
          wake();
        });
      }
    });
    await Promise.all(lanes);
    await controller;
    if (failure) throw failure;
    const ingestS = (Date.now() - started) / 1000;
    log(`accepted ${acceptedCount}/${N} in ${ingestS.toFixed(1)}s with ${retries} retries; refusals by phase: ${JSON.stringify(refusals)}`);
    expect(kills.every((k) => k.fired)).toBe(true);

    // --- every enrollment finished (the sweeper starts lost runs after its 60 s grace)
    const s = store!;
    const byStatus = async () => Object.fromEntries((await s.enrollments.aggregate<{ _id: string; n: number }>([
      { $match: { journeyId } }, { $group: { _id: '$status', n: { $sum: 1 } } },
    ]).toArray()).map((g) => [g._id, g.n]));
    const waitStarted = Date.now();
    let lastLog = 0;
    let counts: Record<string, number> = {};
    await until('every enrollment finished', async () => {
      counts = await byStatus();
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`enrollments after ${((Date.now() - waitStarted) / 1000).toFixed(0)}s: ${JSON.stringify(counts)}`);
      }
      return total >= N && !counts.active;
    }, 300_000, 1000).catch((err: Error) => log(`${err.message}: ${JSON.stringify(counts)}`));
    log(`enrollments settled in ${((Date.now() - waitStarted) / 1000).toFixed(1)}s: ${JSON.stringify(counts)}`);

    // --- what happened, in full, then the expectations
    const contactIds = [...new Set(acceptedEvents.map((e) => e.contactId))];
    const enrollments = await s.enrollments.find({ journeyId }).toArray();
    const enrolledContacts = new Set(enrollments.map((e) => e.contactId));
    const notCompleted = await Promise.all(enrollments.filter((e) => e.status !== 'completed').map(async (e) => {
      const steps = (await s.steps.find({ enrollmentId: e._id }).toArray()).sort((a, b) => b.seq - a.seq);
      const last = steps[0];
      return `${e.contactId}: ${e.status}${e.outcome ? `/${e.outcome}` : ''}, last step ${last ? `${last.nodeId} ${last.outcome}${last.port ? ` ${last.port}` : ''}` : 'none'}`;
    }));
    const contacts = await s.contacts.find({ _id: { $in: contactIds } }).toArray();
    const wrongScores = contacts.filter((c) => c.scores?.chaos !== POINTS).map((c) => `${c._id}: ${c.scores?.chaos}`);
    const untagged = contacts.filter((c) => !c.tags?.includes('survived')).map((c) => c._id);
    const replies = platform.requests.filter((r) => r.method === 'POST' && r.path === '/replies');
    const byKey = new Map<string, typeof replies>();
    for (const r of replies) {
      const key = String(r.headers['idempotency-key'] ?? '(none)');
      byKey.set(key, [...(byKey.get(key) ?? []), r]);
    }
    const duplicated = [...byKey].filter(([, rs]) => rs.length > 1);
    const keysByHandle = new Map<string, Set<string>>();
    for (const [key, rs] of byKey) for (const r of rs) keysByHandle.set(String(r.body?.to), (keysByHandle.get(String(r.body?.to)) ?? new Set()).add(key));
    const handlesWithoutReply = acceptedEvents.filter((e) => !keysByHandle.has(e.handle)).map((e) => e.handle);
    const handlesWithSeveralKeys = [...keysByHandle].filter(([, ks]) => ks.size > 1).map(([h, ks]) => `${h}: ${[...ks].join(', ')}`);
    // A first step long after the enrollment: a run started late, by the sweeper (60 s grace) rather than at ingestion.
    const firstSteps = await s.steps.find({ journeyId, seq: 1 }, { projection: { enrollmentId: 1, at: 1 } }).toArray();
    const firstAt = new Map(firstSteps.map((st) => [st.enrollmentId, st.at.getTime()]));
    const lateStarts = enrollments.filter((e) => (firstAt.get(e._id) ?? 0) - e.startedAt.getTime() > 50_000).length;
    const outboxSent = await s.outbox.countDocuments({ kind: 'message', status: 'sent' });
    const outboxOther = await s.outbox.find({ kind: 'message', status: { $ne: 'sent' } }, { projection: { _id: 1, status: 1, attempts: 1 } }).toArray();

    const report = {
      accepted: acceptedCount, distinctContacts: contactIds.length, retries, refusals, recoveredByRetry, answeredLate, lateStarts,
      downSeconds: Object.fromEntries(kills.map((k) => [k.name, +((k.downMs ?? 0) / 1000).toFixed(1)])),
      enrollments: enrollments.length, byStatus: counts, acceptedWithoutEnrollment: contactIds.filter((c) => !enrolledContacts.has(c)).length,
      repliesReceived: replies.length, distinctKeys: byKey.size, keysSeenTwice: duplicated.length, extraDeliveries: duplicated.reduce((a, [, rs]) => a + rs.length - 1, 0),
      outboxSent, wrongScores: wrongScores.length, untagged: untagged.length,
    };
    log(`report: ${JSON.stringify(report)}`);
    if (notCompleted.length) log(`not completed (${notCompleted.length}): ${notCompleted.slice(0, 30).join(' | ')}`);
    if (wrongScores.length) log(`wrong scores (${wrongScores.length}): ${wrongScores.slice(0, 30).join(', ')}`);
    if (duplicated.length) {
      log(`replies delivered more than once (${duplicated.length} keys): ${duplicated.slice(0, 20).map(([k, rs]) => `${k} ×${rs.length} to ${rs[0].body?.to}`).join(' | ')}`);
    }
    if (handlesWithSeveralKeys.length) log(`contacts replied to under several keys: ${handlesWithSeveralKeys.slice(0, 20).join(' | ')}`);
    if (outboxOther.length) log(`outbox messages not sent: ${JSON.stringify(outboxOther.slice(0, 20))}`);

    expect({
      accepted: report.accepted, distinctContacts: report.distinctContacts, enrollments: report.enrollments, notCompleted, acceptedWithoutEnrollment: report.acceptedWithoutEnrollment,
      wrongScores, untagged, keysSeenTwice: duplicated.map(([k, rs]) => `${k} ×${rs.length}`), distinctKeys: report.distinctKeys,
      handlesWithoutReply, handlesWithSeveralKeys, outboxSent,
    }).toEqual({
      accepted: N, distinctContacts: N, enrollments: N, notCompleted: [], acceptedWithoutEnrollment: 0,
      wrongScores: [], untagged: [], keysSeenTwice: [], distinctKeys: N,
      handlesWithoutReply: [], handlesWithSeveralKeys: [], outboxSent: N,
    });
    passed = true;
  }, 600_000);
});
