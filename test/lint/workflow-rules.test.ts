/**
 * The lint rules that guard the layers and the workflow code (eslint.config.js), run on snippets at virtual paths.
 * No type information: the type-aware rule is off here, so each snippet lints in milliseconds.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: path.join(root, 'eslint.config.js'),
  overrideConfig: {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result.messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message }));
}

const RESTRICTED = '@typescript-eslint/no-restricted-imports';

describe('workflow code', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'Node built-ins'],
    ["import fs from 'fs';", 'Node built-ins'],
    ["import { randomUUID } from 'crypto';", 'Node built-ins'],
    ["import { readFile } from 'fs/promises';", 'Node built-ins'],
    ["import { MongoClient } from 'mongodb';", 'no database driver'],
    ["import { Client } from '@temporalio/client';", 'no Temporal client'],
    ["import { Context } from '@temporalio/activity';", 'no Temporal client'],
    ["import { Worker } from '@temporalio/worker';", 'no Temporal client'],
    ["import { createActivities } from './activities';", 'import activities and other workflows/ modules as types'],
    ["import { loadConfig } from '../core/config';", 'imports at runtime only'],
    ["import { buildApp } from '../server/app';", 'imports at runtime only'],
    ["export { readFileSync } from 'node:fs';", 'Node built-ins'],
  ])('%s is an error in workflows/probe.workflow.ts', async (imp, why) => {
    const messages = await lint('workflows/probe.workflow.ts', `${imp}\nexport const probe = [${imp.match(/\{ (\w+) \}|import (\w+)/)?.slice(1).find(Boolean) ?? '0'}];\n`);
    expect(messages).toEqual([expect.objectContaining({ rule: RESTRICTED, line: 1, message: expect.stringContaining(why) })]);
  });

  it('dynamic loading is an error', async () => {
    const messages = await lint('workflows/probe.workflow.ts', "export async function probe() { return import('node:fs'); }\n");
    expect(messages).toEqual([expect.objectContaining({ rule: 'no-restricted-syntax' })]);
  });

  it('a clean workflow passes: @temporalio/workflow, the model, nodes/, type-only imports of activities and drivers', async () => {
    const code = [
      "import { sleep } from '@temporalio/workflow';",
      "import type { MongoClient } from 'mongodb';",
      "import type { createActivities } from './activities';",
      "import { nextWindowStart } from './model/time-window';",
      "import { durationMs } from '../nodes/duration';",
      "import { helper } from './other.workflow';",
      'type Activities = ReturnType<typeof createActivities>;',
      'export async function probeWorkflow(_client?: MongoClient, _a?: Activities): Promise<void> {',
      "  await sleep(durationMs({ amount: 1, unit: 'minutes' } as never));",
      '  helper(nextWindowStart);',
      '}',
      '',
    ].join('\n');
    expect(await lint('workflows/probe.workflow.ts', code)).toEqual([]);
  });

  it('the model stays pure: no @temporalio/workflow, no runtime imports of the rest of workflows/', async () => {
    expect(await lint('workflows/model/probe.ts', "import { sleep } from '@temporalio/workflow';\nexport const probe = sleep;\n"))
      .toEqual([expect.objectContaining({ rule: RESTRICTED, message: expect.stringContaining('workflows/model/ is pure') })]);
    expect(await lint('workflows/model/probe.ts', "import { createActivities } from '../activities';\nexport const probe = createActivities;\n"))
      .toEqual([expect.objectContaining({ rule: RESTRICTED, message: expect.stringContaining('pure journey model') })]);
    expect(await lint('workflows/model/probe.ts', "import { join } from 'node:path';\nexport const probe = join;\n"))
      .toEqual([expect.objectContaining({ rule: RESTRICTED, message: expect.stringContaining('Node built-ins') })]);
    const clean = "import type { EnrollmentRef } from '../activities.types';\nimport { durationMs } from '../../nodes/duration';\nimport { inWindow } from './time-window';\nexport const probe = [durationMs, inWindow] as unknown as EnrollmentRef;\n";
    expect(await lint('workflows/model/probe.ts', clean)).toEqual([]);
  });
});

describe('layers', () => {
  it.each([
    ['core/probe.ts', "import { buildApp } from '../server/app';", 'core/ must not depend on the HTTP layer'],
    ['core/store/probe.ts', "import { buildApp } from '../../server/app';", 'core/ must not depend on the HTTP layer'],
    ['core/store/probe.ts', "import type { AppDeps } from '../../server/app-deps';", 'core/ must not depend on the HTTP layer'],
    ['workflows/probe.ts', "import { buildApp } from '../server/app';", 'workflows/ must not depend on the HTTP layer'],
    ['core/store/probe.ts', "import { ingestEvent } from '../engine/ingest';", 'core/store/ must not depend on core/engine/'],
    ['core/store/probe.ts', "import type { EngineDeps } from '../engine/ingest';", 'core/store/ must not depend on core/engine/'],
    ['nodes/builtin/probe/run.ts', "import { loadConfig } from '../../../core/config';", 'nodes/ imports only nodes/'],
    ['nodes/probe.ts', "import { inWindow } from '../workflows/model/time-window';", 'nodes/ imports only nodes/'],
    ['editor/src/probe.ts', "import { buildApp } from '../../server/app';", 'The editor runs in the browser'],
    ['server/probe.ts', "import { sleep } from '@temporalio/workflow';", 'only in *.workflow.ts'],
  ])('%s: %s is an error', async (file, imp, why) => {
    const messages = await lint(file, `${imp}\nexport const probe = 0 as unknown as ${imp.match(/\{ (\w+) \}/)![1]};\n`);
    expect(messages).toEqual([expect.objectContaining({ rule: RESTRICTED, line: 1, message: expect.stringContaining(why) })]);
  });

  it.each([
    ['core/store/probe.ts', "import { AppError } from '../errors';"],
    ['core/store/probe.ts', "import { x } from '../server/x';"], // core/server/, not the HTTP layer
    ['core/engine/probe.ts', "import { openStore } from '../store/db';"],
    ['server/probe.ts', "import { loadConfig } from '../core/config';"],
    ['workflows/probe.ts', "import { loadConfig } from '../core/config';"],
    ['nodes/builtin/probe/run.ts', "import { defineRuntime } from '../../contract';"],
    ['custom-nodes/probe/run.ts', "import { defineRuntime } from '../../nodes/contract';"],
    ['editor/src/probe.ts', "import { validateJourney } from '../../workflows/model/validate-journey';"],
    ['editor/src/probe.ts', "import type { AppDeps } from '../../server/app-deps';"],
    ['test/probe.test.ts', "import { buildApp } from '../server/app';"],
  ])('%s: %s passes', async (file, imp) => {
    expect(await lint(file, `${imp}\nexport const probe = 0 as unknown as ${imp.match(/\{ (\w+) \}/)![1]};\n`)).toEqual([]);
  });

  it('unused code is an error, `_`-prefixed names are not', async () => {
    const messages = await lint('core/probe.ts', 'export function probe(a: number, _b: number) { const unused = 1; return a; }\n');
    expect(messages).toEqual([expect.objectContaining({ rule: '@typescript-eslint/no-unused-vars', message: expect.stringContaining("'unused'") })]);
  });
});
