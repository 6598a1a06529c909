import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { startStore, startTemporalServer, type ManagedProcess } from '../../scripts/services';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { spawnWorkerProcess } from '../helpers/worker-process';

const ROOT = path.resolve(import.meta.dirname, '../..');
const cfg = loadConfig({
  ...process.env, TEMPORAL_PORT: process.env.CHAOS_TEMPORAL_PORT ?? '27301', FERRETDB_PORT: process.env.CHAOS_FERRETDB_PORT ?? '47301', POSTGRES_PORT: process.env.CHAOS_POSTGRES_PORT ?? '25301',
  TEMPORAL_UI: 'off', JOURNEYS_DATA_DIR: path.join(ROOT, '.data', 'chaos'), TEMPORAL_ADDRESS: '', MONGODB_URI: '',
});
const log = (m: string) => console.log(`[chaos] ${m}`);

async function stopStore(procs: ManagedProcess[]) {
  for (const p of [...procs].reverse()) await p.stop();
}

describe('chaos: enrollments survive a killed worker, a restarted Temporal server and a restarted store', () => {
  let temporal: ManagedProcess;
  let store: ManagedProcess[] = [];
  let stack: TestStack;
  let worker: ChildProcess | undefined;

  const spawnWorker = () => {
    worker = spawnWorkerProcess(stack);
  };

  beforeAll(async () => {
    fs.rmSync(cfg.dataDir, { recursive: true, force: true });
    temporal = await startTemporalServer(cfg, log);
    store = await startStore(cfg, log);
    stack = await startStack({ worker: false, services: { temporalAddress: `127.0.0.1:${cfg.temporalPort}`, mongoUri: `mongodb://127.0.0.1:${cfg.ferretdbPort}/` } });
    spawnWorker();
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await stack?.close().catch(() => undefined);
    await temporal?.stop();
    await stopStore(store);
    fs.rmSync(cfg.dataDir, { recursive: true, force: true });
  });

  /** A client that retries what the API says is retryable (503), as the API documents. */
  const accepted: { id: string; contactId: string }[] = [];
  async function postUntilAccepted(handle: string) {
    const event = mention(handle, 'chaos');
    let refusals = 0;
    await eventually(async () => {
      const r = await call(stack.app, 'POST', '/api/v1/events', event).catch(() => ({ status: 0, body: undefined }));
      if (r.status === 200) {
        accepted.push({ id: event.id, contactId: r.body.contactId });
        return true;
      }
      expect([0, 503]).toContain(r.status); // never a 4xx or a bare 500 for an outage
      refusals++;
      return false;
    }, { timeoutMs: 120_000, intervalMs: 500 });
    return refusals;
  }

  it('completes every accepted enrollment exactly once', async () => {
    const journeyId = await publishJourney(stack.app, {
      name: 'Chaos drip',
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
        { id: 'score', type: 'scoring.points', version: 1, config: { score: 'chaos', points: 5, reason: 'entered' } },
        { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 4, unit: 'seconds' } } },
        { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks for your patience' } },
        { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['survived'] } },
      ],
      edges: [{ from: 't', port: 'next', to: 'score' }, { from: 'score', port: 'next', to: 'wait' }, { from: 'wait', port: 'next', to: 'reply' }, { from: 'reply', port: 'sent', to: 'tag' }],
    });
    for (let i = 0; i < 8; i++) await postUntilAccepted(`@c${i}`);

    log('kill -9 the worker while runs wait');
    worker!.kill('SIGKILL');
    for (let i = 8; i < 12; i++) await postUntilAccepted(`@c${i}`);
    spawnWorker();

    log('restart the Temporal server');
    await temporal.stop();
    const refusedByTemporal = postUntilAccepted('@c12');
    await new Promise((r) => setTimeout(r, 1500));
    temporal = await startTemporalServer(cfg, log);
    // The client may see 503s, or the Temporal client's own retries may carry the call over the restart.
    log(`refusals during the Temporal restart: ${await refusedByTemporal}`);
    for (let i = 13; i < 16; i++) await postUntilAccepted(`@c${i}`);

    log(`restart the store (${store.map((p) => p.name).join(' + ')})`);
    await stopStore(store);
    const refusedByStore = postUntilAccepted('@c16');
    await new Promise((r) => setTimeout(r, 1500));
    store = await startStore(cfg, log);
    log(`refusals during the store restart: ${await refusedByStore}`);
    for (let i = 17; i < 20; i++) await postUntilAccepted(`@c${i}`);

    expect(accepted).toHaveLength(20);
    await eventually(async () => (await stack.store.enrollments.countDocuments({ journeyId, status: 'completed' })) === 20, { timeoutMs: 240_000, intervalMs: 1000 })
      .catch(async (err: Error) => {
        // Say where each unfinished run stands: its last recorded step.
        const open = await stack.store.enrollments.find({ journeyId, status: { $ne: 'completed' } }).toArray();
        const where = await Promise.all(open.map(async (e) => {
          const steps = await stack.store.steps.find({ enrollmentId: e._id }).toArray();
          const last = steps.sort((a, b) => b.seq - a.seq)[0];
          return `${e.contactId}: ${e.status}, last step ${last ? `${last.nodeId} ${last.outcome}` : 'none'}`;
        }));
        throw new Error(`${err.message}; unfinished: ${where.join(' | ')}`);
      });
    for (const { id, contactId } of accepted) {
      const c = (await call(stack.app, 'GET', `/api/v1/contacts/${contactId}`)).body;
      expect(c.scores.chaos, `score of the contact of ${id}`).toBe(5);
      expect(c.tags).toContain('survived');
      expect(await stack.store.interactions.countDocuments({ eventId: id })).toBe(1);
    }
    expect(await stack.store.outbox.countDocuments({ kind: 'message', status: 'sent' })).toBe(20);
    expect(await stack.store.enrollments.countDocuments({ journeyId })).toBe(20);
  }, 300_000);
});
