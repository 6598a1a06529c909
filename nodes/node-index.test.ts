import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNodeIndex, staleFiles } from '../scripts/generate-node-index';

describe('the built-in node index', () => {
  it('is what regenerating it from nodes/builtin/ gives, byte for byte (else: npm run nodes:index)', async () => {
    expect(staleFiles(await buildNodeIndex())).toEqual([]);
  });
});

describe('the node index generator', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A builtin folder of node folders, each given as its files; returns the folder's path. */
  function builtin(folders: Record<string, Record<string, string>>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'node-index-'));
    made.push(root);
    const dir = path.join(root, 'builtin');
    for (const [folder, files] of Object.entries(folders)) {
      fs.mkdirSync(path.join(dir, folder), { recursive: true });
      for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, folder, file), text);
    }
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }
  const manifest = (name: string, m: Record<string, unknown>) =>
    `export const ${name} = ${JSON.stringify({ version: 1, configSchema: { type: 'object' }, outputs: [], ...m })};\n`;
  const runtime = (type: string) => `export default { type: '${type}', version: 1, run: () => ({ port: 'next' }) };\n`;
  const matcher = (type: string) => `export default { type: '${type}', eventTypes: [], accepts: () => true };\n`;

  it('lists manifests in palette order, runtimes and trigger matchers', async () => {
    const dir = builtin({
      'filter-a': { 'manifest.ts': manifest('filterA', { type: 'filter.a', category: 'filter', paletteOrder: 2 }), 'run.ts': runtime('filter.a'), 'filter-a.test.ts': '' },
      'filter-b': { 'manifest.ts': manifest('filterB', { type: 'filter.b', category: 'filter', paletteOrder: 1 }), 'run.ts': runtime('filter.b') },
      'flow-pause': { 'manifest.ts': manifest('flowPause', { type: 'flow.pause', category: 'flow', flow: 'wait' }) },
      'trigger-x': { 'manifest.ts': manifest('triggerX', { type: 'trigger.x', category: 'trigger' }), 'match.ts': matcher('trigger.x') },
      triggers: { 'helpers.ts': 'export const shared = 1;\n' },
    });
    const [manifests, runtimes, matchers] = await buildNodeIndex(dir);
    expect(manifests.path).toBe(path.join(path.dirname(dir), 'manifests.generated.ts'));
    expect(manifests.text).toMatch(/= \[\n {2}triggerX,\n {2}filterB,\n {2}filterA,\n {2}flowPause,\n\];/);
    expect(manifests.text).toContain("import { flowPause } from './builtin/flow-pause/manifest';");
    expect(runtimes.text).toContain("import filterARun from './builtin/filter-a/run';");
    expect(runtimes.text).not.toContain('flow-pause');
    expect(matchers.text).toContain("import triggerXMatch from './builtin/trigger-x/match';");
  });

  it('fails on a node folder without manifest.ts', async () => {
    const dir = builtin({ 'filter-a': { 'run.ts': runtime('filter.a') } });
    await expect(buildNodeIndex(dir)).rejects.toThrow(/filter-a: no manifest\.ts/);
  });

  it.each([
    ['filter', { type: 'filter.a', category: 'filter' }],
    ['flow node the workflow does not interpret', { type: 'flow.a', category: 'flow' }],
  ])('fails on a %s without run.ts', async (_what, m) => {
    const dir = builtin({ [`${m.category}-a`]: { 'manifest.ts': manifest('a', m) } });
    await expect(buildNodeIndex(dir)).rejects.toThrow(new RegExp(`${m.category}-a: no run\\.ts, and ${m.type}@1 is not interpreted`));
  });

  it.each([
    ['trigger', { type: 'trigger.a', category: 'trigger' }],
    ['flow node the workflow interprets', { type: 'flow.a', category: 'flow', flow: 'end' }],
  ])('fails on a %s with a run.ts, which would never run', async (_what, m) => {
    const dir = builtin({ [`${m.category}-a`]: { 'manifest.ts': manifest('a', m), 'run.ts': runtime(m.type) } });
    await expect(buildNodeIndex(dir)).rejects.toThrow(/run\.ts: the engine interprets/);
  });

  it('fails on a run.ts without the runtime of its manifest', async () => {
    const dir = builtin({ 'filter-a': { 'manifest.ts': manifest('a', { type: 'filter.a', category: 'filter' }), 'run.ts': runtime('filter.other') } });
    await expect(buildNodeIndex(dir)).rejects.toThrow(/filter\.other@1 has no manifest in this folder/);
  });

  it('fails on a folder not named <category>-<name>, or holding a node of another category', async () => {
    await expect(buildNodeIndex(builtin({ misc: { 'manifest.ts': manifest('a', { type: 'filter.a', category: 'filter' }) } }))).rejects.toThrow(/misc: a node folder is named <category>-<name>/);
    await expect(buildNodeIndex(builtin({ 'scoring-a': { 'manifest.ts': manifest('a', { type: 'filter.a', category: 'filter' }), 'run.ts': runtime('filter.a') } })))
      .rejects.toThrow(/filter\.a@1 is a filter node in a scoring- folder/);
  });

  it('fails on matching logic outside a trigger, or a matcher of another type', async () => {
    await expect(buildNodeIndex(builtin({ 'filter-a': { 'manifest.ts': manifest('a', { type: 'filter.a', category: 'filter' }), 'run.ts': runtime('filter.a'), 'match.ts': matcher('filter.a') } })))
      .rejects.toThrow(/match\.ts: only triggers have matching logic/);
    await expect(buildNodeIndex(builtin({ 'trigger-a': { 'manifest.ts': manifest('a', { type: 'trigger.a', category: 'trigger' }), 'match.ts': matcher('trigger.b') } })))
      .rejects.toThrow(/matches trigger\.b, which this folder does not declare/);
  });

  it('fails when two folders export the same name', async () => {
    const dir = builtin({
      'filter-a': { 'manifest.ts': manifest('same', { type: 'filter.a', category: 'filter' }), 'run.ts': runtime('filter.a') },
      'filter-b': { 'manifest.ts': manifest('same', { type: 'filter.b', category: 'filter' }), 'run.ts': runtime('filter.b') },
    });
    await expect(buildNodeIndex(dir)).rejects.toThrow(/"same" is exported by both filter-a\/manifest\.ts and filter-b\/manifest\.ts/);
  });

  it('reports the generated files that differ from the folders', async () => {
    const dir = builtin({ 'flow-pause': { 'manifest.ts': manifest('flowPause', { type: 'flow.pause', category: 'flow', flow: 'wait' }) } });
    const files = await buildNodeIndex(dir);
    for (const f of files) fs.writeFileSync(f.path, f.text);
    expect(staleFiles(files)).toEqual([]);
    fs.appendFileSync(files[0].path, '\n');
    fs.rmSync(files[2].path);
    expect(staleFiles(files).map((f) => path.basename(f))).toEqual(['manifests.generated.ts', 'trigger-matchers.generated.ts']);
  });
});
