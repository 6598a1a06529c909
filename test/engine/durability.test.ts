import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { spawnWorkerProcess as spawnWorker } from '../helpers/worker-process';

describe('a worker killed mid-journey', () => {
  let stack: TestStack;
  const workers: ChildProcess[] = [];
  beforeAll(async () => { stack = await startStack({ worker: false }); });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await stack?.close();
  });

  it('loses no enrollment and duplicates no effect after kill -9 and a new worker', async () => {
    const journeyId = await publishJourney(stack.app, {
      name: 'Score, wait, reply',
      nodes: [
        { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
        { id: 'score', type: 'scoring.points', version: 1, config: { score: 'engagement', points: 5, reason: 'mentioned us' } },
        { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 3, unit: 'seconds' } } },
        { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks!' } },
        { id: 'bonus', type: 'scoring.points', version: 1, config: { score: 'engagement', points: 1, reason: 'replied to' } },
      ],
      edges: [
        { from: 'mention', port: 'next', to: 'score' }, { from: 'score', port: 'next', to: 'wait' },
        { from: 'wait', port: 'next', to: 'reply' }, { from: 'reply', port: 'sent', to: 'bonus' },
      ],
    });
    const first = spawnWorker(stack);
    workers.push(first);
    const N = 12;
    const contacts: string[] = [];
    for (let i = 0; i < N; i++) {
      const r = await call(stack.app, 'POST', '/api/v1/events', mention(`@crash${i}`, 'hi'));
      expect(r.body.enrolled).toHaveLength(1);
      contacts.push(r.body.contactId);
    }
    // Kill the worker while the runs sit in their wait (some may still be scoring).
    await eventually(async () => (await stack.store.steps.countDocuments({ journeyId, nodeId: 'wait', outcome: 'waiting' })) >= N / 2, { timeoutMs: 60_000 });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    workers.push(spawnWorker(stack));
    await eventually(async () => (await stack.store.enrollments.countDocuments({ journeyId, status: 'completed' })) === N, { timeoutMs: 90_000, intervalMs: 500 });

    for (const id of contacts) {
      const c = (await call(stack.app, 'GET', `/api/v1/contacts/${id}`)).body;
      expect(c.scores.engagement).toBe(6);
    }
    expect(await stack.store.outbox.countDocuments({ kind: 'message', status: 'sent' })).toBe(N);
    const stats = (await call(stack.app, 'GET', `/api/v1/journeys/${journeyId}/stats`)).body;
    expect(stats.nodes.reply).toMatchObject({ entered: N, exited: N });
    expect(stats.nodes.wait).toMatchObject({ entered: N, waiting: 0, exited: N });
  });
});
