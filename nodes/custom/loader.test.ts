import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scaffoldNode } from '../../scripts/new-node';
import { runNode } from '../harness';
import { createManifestRegistry } from '../catalog';
import { BUILTIN_MANIFESTS } from '../manifests';
import { BUILTIN_RUNTIMES } from '../runtimes';
import type { NodeManifest } from '../contract';
import { NodeRegistry } from '../registry';
import { loadCustomNodes } from './loader';
import { upgradeConfig } from './migrations';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'journeys-custom-nodes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const execution = "{ timeoutMs: 5000, retry: { maximumAttempts: 3 }, pure: true, idempotency: 'visit' }";
const text = (s: string) => `{ en: '${s}', 'zh-CN': '${s}' }`;
const manifest = (type: string, extra = '') => `{
  type: '${type}', version: 1, category: 'filter', title: ${text(type)}, description: ${text(type)}, icon: 'x',
  configSchema: { type: 'object', properties: { word: { type: 'string' } }, additionalProperties: false },
  outputs: [{ id: 'yes', label: ${text('Yes')} }, { id: 'no', label: ${text('No')} }], execution: ${execution} ${extra} }`;
const runtime = (type: string) => `{ type: '${type}', version: 1, run: (ctx) => ({ port: (ctx.event.text ?? '').includes(ctx.config.word ?? '') ? 'yes' : 'no' }) }`;

function write(rel: string, content: string): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

describe('custom node loader', () => {
  const dir = path.join(tmp, 'nodes');
  write('nodes/a-good.mjs', `export const manifest = ${manifest('acme.good')};\nexport const runtime = ${runtime('acme.good')};\n`);
  write('nodes/b-folder/index.mjs', `export default { manifests: [${manifest('acme.folder')}], runtimes: [${runtime('acme.folder')}] };\n`);
  write('nodes/b-folder/helper.mjs', 'export const notLoaded = 1;\n');
  write('nodes/c-syntax.mjs', 'export const manifest = {{ nope\n');
  write('nodes/d-no-runtime.mjs', `export const manifest = ${manifest('acme.no-runtime')};\n`);
  write('nodes/e-bad-category.mjs', `export const manifest = ${manifest('acme.bad-category').replace("category: 'filter'", "category: 'magic'")};\nexport const runtime = ${runtime('acme.bad-category')};\n`);
  write('nodes/f-bad-schema.mjs', `export const manifest = ${manifest('acme.bad-schema').replace("{ word: { type: 'string' } }", "{ word: { type: 'strin' } }")};\nexport const runtime = ${runtime('acme.bad-schema')};\n`);
  write('nodes/g-empty.mjs', 'export const answer = 42;\n');
  write('nodes/h-duplicate.mjs', `export const manifest = ${manifest('scoring.points')};\nexport const runtime = { type: 'scoring.points', version: 1, run: () => ({ port: 'next' }) };\n`);
  write('nodes/i-throws.mjs', "throw new Error('missing API key ACME_KEY');\n");
  write('nodes/j-half-broken.mjs', `export const good = ${manifest('acme.half-good')};\nexport const goodRun = ${runtime('acme.half-good')};\nexport const bad = ${manifest('acme.half-bad').replace("icon: 'x'", "icon: ''")};\nexport const badRun = ${runtime('acme.half-bad')};\n`);
  write('nodes/k-ignored.test.mjs', 'throw new Error("tests are not node modules");\n');
  write('pkgroot/node_modules/acme-journeys-nodes/package.json', JSON.stringify({ name: 'acme-journeys-nodes', version: '1.0.0', main: 'main.mjs' }));
  write('pkgroot/node_modules/acme-journeys-nodes/main.mjs', `export const manifest = ${manifest('acme.from-package')};\nexport const runtime = ${runtime('acme.from-package')};\n`);

  it('loads the good modules and names the file and the problem of each broken one', async () => {
    const registry = new NodeRegistry(BUILTIN_MANIFESTS, BUILTIN_RUNTIMES);
    const logged: string[] = [];
    const r = await loadCustomNodes(registry, {
      dir, packages: ['acme-journeys-nodes', 'no-such-journeys-package'], resolveFrom: path.join(tmp, 'pkgroot'), log: (m) => logged.push(m),
    });
    expect(r.loaded.map((l) => l.type).sort()).toEqual(['acme.folder', 'acme.from-package', 'acme.good']);
    expect(registry.runtime('acme.good', 1)).toBeDefined();
    expect(registry.runtime('acme.from-package', 1)).toBeDefined();

    const errorOf = (file: string) => r.errors.filter((e) => e.source.endsWith(file)).map((e) => e.message).join(' | ');
    expect(errorOf('c-syntax.mjs')).toMatch(/cannot be imported/);
    expect(errorOf('d-no-runtime.mjs')).toMatch(/acme\.no-runtime@1 has no runtime/);
    expect(errorOf('e-bad-category.mjs')).toMatch(/"category" must be one of/);
    expect(errorOf('f-bad-schema.mjs')).toMatch(/configSchema is not a valid JSON Schema/);
    expect(errorOf('g-empty.mjs')).toMatch(/exports no node manifest or runtime/);
    expect(errorOf('h-duplicate.mjs')).toMatch(/scoring\.points@1 is already registered/);
    expect(errorOf('i-throws.mjs')).toMatch(/cannot be imported: .*missing API key ACME_KEY/);
    expect(errorOf('j-half-broken.mjs')).toMatch(/acme\.half-bad@1: "icon"/);
    expect(r.errors.find((e) => e.source === 'no-such-journeys-package')?.message).toMatch(/cannot be resolved/);
    expect(r.errors.some((e) => e.source.endsWith('k-ignored.test.mjs'))).toBe(false);
    // A module is all or nothing: the good half of a broken module is not registered.
    expect(registry.get('acme.half-good', 1)).toBeUndefined();
    // Built-ins are untouched by the duplicate.
    expect(registry.runtime('scoring.points', 1)).toBe(BUILTIN_RUNTIMES.find((x) => x.type === 'scoring.points'));
    expect(logged).toHaveLength(r.errors.length);
    expect(logged[0]).toMatch(/^\[journeys\] custom node /);
  });

  it('loads the worked example from custom-nodes/ with both versions and its migration', async () => {
    const registry = createManifestRegistry();
    const r = await loadCustomNodes(registry, { dir: path.resolve(import.meta.dirname, '../../custom-nodes') });
    expect(r.errors).toEqual([]);
    expect(registry.get('acme.loyalty-tier', 1)).toBeDefined();
    expect(registry.latest('acme.loyalty-tier')?.version).toBe(2);
    const up = upgradeConfig(registry, 'acme.loyalty-tier', 1, { score: 'lead', vipAt: 50 });
    expect(up).toMatchObject({ ok: true, version: 2, config: { score: 'lead', tiers: [{ id: 'vip', min: 50 }, { id: 'regular' }] } });
    expect(upgradeConfig(registry, 'scoring.points', 1, {})).toMatchObject({ ok: true, version: 1 });
  });

  it('a migration that yields an invalid config or a gap in the chain is reported, not applied', () => {
    const registry = new NodeRegistry();
    const base: Omit<NodeManifest<any>, 'type' | 'version' | 'configSchema'> = {
      category: 'filter', title: { en: 'x', 'zh-CN': 'x' }, description: { en: 'x', 'zh-CN': 'x' }, icon: 'x', outputs: [], execution: { timeoutMs: 1, retry: {}, pure: true, idempotency: 'visit' },
    };
    registry.register({ ...base, type: 'acme.m', version: 1, configSchema: { type: 'object' } });
    registry.register({ ...base, type: 'acme.m', version: 2, configSchema: { type: 'object', required: ['n'] }, migrations: { 1: () => ({}) } });
    registry.register({ ...base, type: 'acme.m', version: 3, configSchema: { type: 'object' } });
    expect(upgradeConfig(registry, 'acme.m', 1, {}, 2)).toMatchObject({ ok: false, message: expect.stringMatching(/invalid: \/n is required/) });
    expect(upgradeConfig(registry, 'acme.m', 2, { n: 1 })).toMatchObject({ ok: false, message: 'acme.m has no migration from version 2 to 3' });
  });

  it('npm run node:new scaffolds a node that loads and passes its own checks', async () => {
    const target = path.join(tmp, 'scaffold');
    const { files, type } = scaffoldNode({ name: 'refund-word', dir: target, category: 'filter' });
    expect(files.map((f) => path.basename(f))).toEqual(['manifest.ts', 'run.ts', 'index.ts', 'refund-word.test.ts']);
    expect(() => scaffoldNode({ name: 'refund-word', dir: target })).toThrow(/already exists/);
    expect(() => scaffoldNode({ name: 'Bad Name', dir: target })).toThrow(/kebab-case/);
    const registry = createManifestRegistry();
    const r = await loadCustomNodes(registry, { dir: target });
    expect(r.errors).toEqual([]);
    expect(r.loaded).toEqual([{ type, version: 1, source: path.join(target, 'refund-word', 'index.ts') }]);
    const manifest = registry.get(type, 1)!;
    const res = await runNode(manifest, registry.runtime(type, 1)!, { config: { word: 'refund' }, event: { text: 'refund please' } });
    expect(res.port).toBe('yes');
  });
});
