/**
 * Runs already in flight must keep replaying after the workflow code changes (changes of commands go behind
 * `patched()`). The histories in ./histories were recorded from earlier versions of journey.workflow.ts; this
 * replays each against today's bundle, and fails on any nondeterminism.
 * `RECORD_HISTORIES=<label> npx vitest run test/engine/replay.test.ts` records new ones from the current code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { mentionRescue, replyOrTimeout } from './fixtures';

const DIR = path.join(import.meta.dirname, 'histories');
const label = process.env.RECORD_HISTORIES;

function split() {
  return {
    name: 'Split then wait',
    nodes: [
      { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
      { id: 'ab', type: 'flow.split', version: 1, config: { branches: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }] } },
      { id: 'pause', type: 'flow.wait', version: 1, config: { duration: { amount: 1, unit: 'seconds' } } },
      { id: 'tag-a', type: 'response.update-contact', version: 1, config: { addTags: ['a'] } },
      { id: 'tag-b', type: 'scoring.points', version: 1, config: { score: 'b', points: 2, reason: 'b branch' } },
      { id: 'done', type: 'flow.end', version: 1, config: {} },
    ],
    edges: [
      { from: 'mention', port: 'next', to: 'ab' }, { from: 'ab', port: 'a', to: 'pause' }, { from: 'ab', port: 'b', to: 'tag-b' },
      { from: 'pause', port: 'next', to: 'tag-a' }, { from: 'tag-a', port: 'next', to: 'done' }, { from: 'tag-b', port: 'next', to: 'done' },
    ],
    settings: { reentry: 'always' },
  };
}

/** A drip: the trigger's stretch stops at a timed wait (and, from waits-in-stretches-v1, records its step). */
function drip() {
  return {
    name: 'Drip',
    nodes: [
      { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
      { id: 'later', type: 'flow.wait', version: 1, config: { duration: { amount: 1, unit: 'seconds' } } },
      { id: 'nudge', type: 'scoring.points', version: 1, config: { score: 'drip', points: 1, reason: 'day 3' } },
    ],
    edges: [{ from: 'mention', port: 'next', to: 'later' }, { from: 'later', port: 'next', to: 'nudge' }],
    settings: { reentry: 'always' },
  };
}

describe.runIf(label)('recording workflow histories from the current code', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  it('records finished runs of the fixture journeys', async () => {
    await publishJourney(stack.app, mentionRescue());
    await publishJourney(stack.app, replyOrTimeout({ amount: 2, unit: 'seconds' }));
    await publishJourney(stack.app, split());
    await publishJourney(stack.app, drip());
    const runs: string[] = [];
    for (const [handle, text] of [['@rec-angry', 'my phone is broken'], ['@rec-happy', 'love it'], ['@rec-talker', 'hi'], ['@rec-3', 'x'], ['@rec-4', 'y']]) {
      const r = await call(stack.app, 'POST', '/api/v1/events', mention(handle, text));
      runs.push(...r.body.enrolled.map((e: { enrollmentId: string }) => e.enrollmentId));
    }
    // The talker answers the wait-for-event by DM; the others time out.
    await new Promise((r) => setTimeout(r, 500));
    await call(stack.app, 'POST', '/api/v1/events', { ...mention('@rec-talker', 'order 42'), type: 'social.dm' });
    fs.mkdirSync(DIR, { recursive: true });
    for (const [i, id] of runs.entries()) {
      const handle = stack.rt.temporal.workflow.getHandle(id);
      await eventually(async () => (await handle.describe()).status.name !== 'RUNNING', { timeoutMs: 30_000 });
      const history = await handle.fetchHistory();
      // Binary protobuf: the SDK's JSON helpers trip over the two protobufjs copies it installs (instanceof).
      fs.writeFileSync(path.join(DIR, `${label}-${i}.pb`), temporal.api.history.v1.History.encode(history).finish());
    }
    expect(runs.length).toBeGreaterThanOrEqual(15);
  });
});

describe('replaying recorded histories', () => {
  const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.pb')) : [];

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays on today\'s workflow code', async (file) => {
    const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(DIR, file)));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file);
  });
});
