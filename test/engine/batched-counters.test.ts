/**
 * Counter deltas are batched per process (core/store/stats-batch.ts). A read from another process must still see
 * every count added before it, and counts a process held in memory when it was killed must not go missing from
 * what GET …/stats answers: its lease names the version, so the counts are recounted from the steps.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../core/store/db';
import { addToStats, journeyStats, readStats, recountStats } from '../../core/store/journey-stats';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { spawnWorkerProcess } from '../helpers/worker-process';
import { scoreAndTag } from './fixtures';

describe('batched counters', () => {
  let stack: TestStack;
  let other: Store;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    stack = await startStack({ worker: false });
    other = await openStore(stack.mongoUri, stack.dbName); // another process's store: its own client, its own batch
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await other?.close();
    await stack?.close();
  });

  it('a read waits for the counts another process added before it', async () => {
    const ref = { workspaceId: 'default', journeyId: 'j-batched', version: 1 };
    await Promise.all(Array.from({ length: 40 }, (_, i) => addToStats(other, { ...ref, enrollmentId: `e${i}` }, { 'nodes.a.entered': 1, 'nodes.a.exited': 1, 'nodes.a.port:next': 1 })));
    // Still in the other store's memory (it applies once a second); this store's read must wait for it.
    const view = await journeyStats(stack.store, ref.workspaceId, ref.journeyId, ref.version);
    expect(view.nodes.a).toEqual({ entered: 40, waiting: 0, exited: 40, errors: 0, ports: { next: 40 } });
  });

  it('counts held by a worker killed with -9 are recounted from the steps, then the counters replaced', async () => {
    const journeyId = await publishJourney(stack.app, scoreAndTag());
    const done = (n: number) => eventually(async () => (await stack.store.enrollments.countDocuments({ journeyId, status: 'completed' })) === n, { timeoutMs: 60_000, intervalMs: 200 });
    // A worker that applies its counts often: the counters exist, and match.
    const first = spawnWorkerProcess(stack, { JOURNEYS_STATS_FLUSH_MS: '100' });
    workers.push(first);
    for (let i = 0; i < 5; i++) await call(stack.app, 'POST', '/api/v1/events', mention(`@held${i}`, 'hi'));
    await done(5);
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body.enrollments).toEqual({ completed: 5 });
    first.kill('SIGTERM');
    await new Promise((r) => first.once('exit', r));

    // A worker that would apply its counts only after ten minutes, killed with them in memory.
    const second = spawnWorkerProcess(stack, { JOURNEYS_STATS_FLUSH_MS: '600000' });
    workers.push(second);
    for (let i = 5; i < 12; i++) await call(stack.app, 'POST', '/api/v1/events', mention(`@held${i}`, 'hi'));
    await done(12);
    second.kill('SIGKILL');
    await new Promise((r) => second.once('exit', r));

    const recount = await recountStats(stack.store, 'default', journeyId, 1);
    expect(recount.enrollments).toEqual({ completed: 12 });
    // Its lease still looks alive: the read gives up waiting and answers from the steps.
    const soon = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body;
    expect(soon.enrollments).toEqual(recount.enrollments);
    expect(soon.nodes).toEqual(recount.nodes);
    expect((await readStats(stack.store, 'default', journeyId, 1)).enrollments).toEqual({ completed: 5 });

    // Once the lease is dead (no beat for LEASE_DEAD_MS; aged here), a read recounts and replaces the counters.
    await stack.store.db.collection('journey_stats').updateMany({ lease: true }, { $set: { beatAt: new Date(Date.now() - 3_600_000) } });
    const later = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body;
    expect(later.nodes).toEqual(recount.nodes);
    const stored = await readStats(stack.store, 'default', journeyId, 1);
    expect(stored.recountNeeded).toBe(false);
    expect(stored.enrollments).toEqual({ completed: 12 });
    expect(stored.nodes).toEqual(recount.nodes);
    expect(await stack.store.db.collection('journey_stats').countDocuments({ lease: true, versions: `default|${journeyId}|1` })).toBe(0);
  });
});
