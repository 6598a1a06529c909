/**
 * `npm run node:new -- <name> [--dir <folder>] [--category filter|scoring|response]`: writes a custom node folder
 * (manifest, runtime, index, test) into the custom-nodes folder (JOURNEYS_CUSTOM_NODES_DIR, default custom-nodes/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface ScaffoldOptions {
  name: string;
  dir?: string;
  category?: 'filter' | 'scoring' | 'response';
  /** Prefix of the node type (default "custom"): the type is `<prefix>.<name>`. */
  prefix?: string;
}

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function scaffoldNode(o: ScaffoldOptions): { folder: string; files: string[]; type: string } {
  if (!NAME.test(o.name)) throw new Error(`node name must be kebab-case like "loyalty-tier" (got "${o.name}")`);
  const base = path.resolve(o.dir ?? process.env.JOURNEYS_CUSTOM_NODES_DIR ?? path.join(ROOT, 'custom-nodes'));
  const folder = path.join(base, o.name);
  if (fs.existsSync(folder)) throw new Error(`${folder} already exists`);
  const category = o.category ?? 'filter';
  const type = `${o.prefix ?? 'custom'}.${o.name}`;
  const id = camel(o.name);
  let nodesDir = path.relative(folder, path.join(ROOT, 'nodes')).split(path.sep).join('/');
  if (!nodesDir.startsWith('.')) nodesDir = `./${nodesDir}`;

  const manifest = `import { defineManifest } from '${nodesDir}/contract';

/** ${type}: describe what the node does for the marketer who drops it on the canvas. */
export const ${id} = defineManifest({
  type: '${type}',
  version: 1,
  category: '${category}',
  title: { en: '${o.name}', 'zh-CN': '${o.name}' },
  description: { en: 'Routes to "yes" when the event text contains the word.', 'zh-CN': '事件文本包含该词时走“是”。' },
  icon: '🧩',
  configSchema: {
    type: 'object',
    properties: {
      word: { type: 'string', minLength: 1, maxLength: 100, title: 'Word', 'x-i18n': { 'zh-CN': { title: '词' } } },
    },
    required: ['word'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'yes', label: { en: 'Yes', 'zh-CN': '是' } },
    { id: 'no', label: { en: 'No', 'zh-CN': '否' } },
  ],
  execution: { pure: true, timeoutMs: 5_000 },
  summaryFields: ['word'],
});
`;
  const run = `import { defineRuntime } from '${nodesDir}/contract';
import { ${id} } from './manifest';

/** ctx.config is typed from the manifest's configSchema. Return the port to follow (and effects, if any). */
export const ${id}Runtime = defineRuntime(${id}, (ctx) => {
  const text = (ctx.event.text ?? '').toLowerCase();
  const hit = text.includes(ctx.config.word.toLowerCase());
  return { port: hit ? 'yes' : 'no', evaluated: { word: ctx.config.word, hit } };
});
`;
  const index = `/** Journeys registers every manifest and runtime this module exports. */
export { ${id} } from './manifest';
export { ${id}Runtime } from './run';
`;
  const test = `import { describe, expect, it } from 'vitest';
import { runNode } from '${nodesDir}/harness';
import { ${id} } from './manifest';
import { ${id}Runtime } from './run';

describe('${type}', () => {
  it('routes to yes when the text has the word', async () => {
    const r = await runNode(${id}, ${id}Runtime, { config: { word: 'refund' }, event: { text: 'I want a REFUND' } });
    expect(r.port).toBe('yes');
  });

  it('routes to no otherwise', async () => {
    const r = await runNode(${id}, ${id}Runtime, { config: { word: 'refund' }, event: { text: 'love it' } });
    expect(r.port).toBe('no');
  });

  it('rejects an invalid config', async () => {
    await expect(runNode(${id}, ${id}Runtime, { config: { word: '' } })).rejects.toThrow(/word/);
  });
});
`;
  fs.mkdirSync(folder, { recursive: true });
  const files = [
    ['manifest.ts', manifest], ['run.ts', run], ['index.ts', index], [`${o.name}.test.ts`, test],
  ].map(([file, text]) => {
    const p = path.join(folder, file);
    fs.writeFileSync(p, text);
    return p;
  });
  return { folder, files, type };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (flag: string) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const dir = opt('--dir');
  const category = opt('--category') as ScaffoldOptions['category'];
  const prefix = opt('--prefix');
  const name = args[0];
  if (!name) {
    console.error('usage: npm run node:new -- <name> [--dir custom-nodes] [--category filter|scoring|response] [--prefix custom]');
    process.exit(1);
  }
  try {
    const r = scaffoldNode({ name, dir, category, prefix });
    console.log(`created ${r.type} in ${path.relative(process.cwd(), r.folder) || r.folder}:`);
    for (const f of r.files) console.log(`  ${path.relative(process.cwd(), f)}`);
    console.log('Restart the API and the worker to load it; run its test with npx vitest run ' + path.relative(process.cwd(), r.files[3]));
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    process.exit(1);
  }
}
