/**
 * Starts the real services once per test run (or reuses running / configured ones) and bundles the workflow code
 * once, so each test file only starts its own worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../core/config';
import { ensureServices, type RunningServices } from '../scripts/services';
import { bundleWorkflows } from '../workflows/worker';

let services: RunningServices | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongoUri: string;
    workflowBundlePath: string;
  }
}

export async function setup(project: TestProject) {
  const cfg = loadConfig();
  const started = Date.now();
  services = await ensureServices(cfg, (m) => console.log(`[test services] ${m}`));
  const bundle = await bundleWorkflows();
  const bundlePath = path.resolve(import.meta.dirname, '../.cache/test/workflow-bundle.js');
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  fs.writeFileSync(bundlePath, bundle.code);
  console.log(`[test services] ready in ${((Date.now() - started) / 1000).toFixed(1)}s (started: ${services.started.join(', ') || 'none, reused'})`);
  project.provide('temporalAddress', services.temporalAddress);
  project.provide('mongoUri', services.mongoUri);
  project.provide('workflowBundlePath', bundlePath);
}

export async function teardown() {
  await services?.stop();
}
