import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import type { TestStack } from './stack';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The real worker entry point (`npm run worker`) in its own process for this stack, so a test can kill -9 it. */
export function spawnWorkerProcess(stack: TestStack, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'workflows/worker.main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', process.env.JOURNEYS_TEST_WORKER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: stack.temporalAddress, MONGODB_URI: stack.mongoUri, MONGODB_DB: stack.dbName,
      TEMPORAL_TASK_QUEUE: stack.taskQueue, JOURNEYS_WORKFLOW_BUNDLE: inject('workflowBundlePath'), JOURNEYS_SCHEDULER_MS: '0',
      ...env,
    },
  });
}
