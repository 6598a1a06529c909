// The chaos suite starts and restarts its own services; here it only needs the workflow bundle, built once.
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflows } from '../../workflows/worker';

export async function setup(project: TestProject) {
  const bundlePath = path.resolve(import.meta.dirname, '../../.cache/test/workflow-bundle.js');
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  fs.writeFileSync(bundlePath, (await bundleWorkflows()).code);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('temporalAddress', '');
  project.provide('mongoUri', '');
}
