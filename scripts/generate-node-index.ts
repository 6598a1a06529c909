/**
 * `npm run nodes:index [-- --check]`: writes the index of the built-in nodes from their folders, so that a node is
 * added or removed by its folder alone:
 *   nodes/manifests.generated.ts        every manifest (editor, API, workflow code: plain data, no I/O)
 *   nodes/runtimes.generated.ts         every runtime (worker activities only)
 *   nodes/trigger-matchers.generated.ts every trigger's matcher (ingestion)
 * The index is generated rather than discovered at import time because the editor's bundle and Temporal's
 * workflow sandbox cannot read folders. `--check` writes nothing and exits 1 when a file is stale;
 * nodes/node-index.test.ts makes the same check.
 *
 * A folder under nodes/builtin/ is one node, named `<category>-<name>`:
 *   manifest.ts  exports its manifest(s) (`defineManifest`), of the folder's category;
 *   run.ts       exports the runtime of each manifest (`defineRuntime`), unless the engine interprets the node
 *                (a trigger, or a flow node with a `flow` kind), which then has no run.ts;
 *   match.ts     a trigger's own matching (default export, `defineTriggerMatcher`), when it has any;
 *   *.test.ts    its tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CATEGORIES, type NodeManifest, type NodeRuntime } from '../nodes/contract';
import type { TriggerMatcher } from '../nodes/builtin/triggers/matcher';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILTIN_DIR = path.join(ROOT, 'nodes', 'builtin');

/** Folders of code shared by several nodes rather than a node. `triggers/` keeps the path ingestion imports. */
const SHARED_FOLDERS = new Set(['triggers']);
const FOLDER_NAME = new RegExp(`^(${CATEGORIES.join('|')})-[a-z0-9]+(-[a-z0-9]+)*$`);

export interface GeneratedFile {
  path: string;
  text: string;
}

interface Export<T> {
  folder: string;
  file: 'manifest' | 'run' | 'match';
  /** The export's name in its module; `default` is imported under a name made from the folder. */
  name: string;
  value: T;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isManifest = (v: unknown): v is NodeManifest<any> =>
  isObject(v) && typeof v.type === 'string' && typeof v.version === 'number' && typeof v.category === 'string' && isObject(v.configSchema);
const isRuntime = (v: unknown): v is NodeRuntime<any> => isObject(v) && typeof v.type === 'string' && typeof v.version === 'number' && typeof v.run === 'function';
const isMatcher = (v: unknown): v is TriggerMatcher => isObject(v) && typeof v.type === 'string' && typeof v.accepts === 'function';
const key = (x: { type: string; version: number }) => `${x.type}@${x.version}`;
/** The engine runs triggers (ingestion enrolls, the workflow steps past them) and `flow` kinds itself. */
const interpreted = (m: NodeManifest<any>) => m.category === 'trigger' || m.flow !== undefined;
const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const SUFFIX = { manifest: 'Manifest', run: 'Run', match: 'Match' } as const;
const localName = (e: Export<unknown>) => (e.name === 'default' ? `${camel(e.folder)}${SUFFIX[e.file]}` : e.name);
/** Code-unit order, so the output does not depend on the machine's locale. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function exportsOf(file: string): Promise<[string, unknown][]> {
  return Object.entries(await import(pathToFileURL(file).href));
}

/** Reads every node folder and checks it is complete; throws naming the folder and what is wrong. */
export async function readNodeFolders(builtinDir = BUILTIN_DIR) {
  const manifests: Export<NodeManifest<any>>[] = [];
  const runtimes: Export<NodeRuntime<any>>[] = [];
  const matchers: Export<TriggerMatcher>[] = [];
  const where = (folder: string) => path.relative(ROOT, path.join(builtinDir, folder)) || folder;
  const folders = fs.readdirSync(builtinDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !SHARED_FOLDERS.has(d.name)).map((d) => d.name).sort(byCodeUnit);
  for (const folder of folders) {
    const dir = path.join(builtinDir, folder);
    const has = (file: string) => fs.existsSync(path.join(dir, file));
    const category = FOLDER_NAME.exec(folder)?.[1];
    if (!category) throw new Error(`${where(folder)}: a node folder is named <category>-<name>, the category one of ${CATEGORIES.join(', ')}`);
    if (!has('manifest.ts')) throw new Error(`${where(folder)}: no manifest.ts (a node folder declares its node in manifest.ts)`);

    const own = (await exportsOf(path.join(dir, 'manifest.ts'))).filter(([, v]) => isManifest(v)) as [string, NodeManifest<any>][];
    if (!own.length) throw new Error(`${where(folder)}/manifest.ts exports no manifest (defineManifest)`);
    for (const [name, m] of own) {
      if (m.category !== category) throw new Error(`${where(folder)}/manifest.ts: ${key(m)} is a ${m.category} node in a ${category}- folder`);
      manifests.push({ folder, file: 'manifest', name, value: m });
    }

    const needsRun = own.filter(([, m]) => !interpreted(m)).map(([, m]) => key(m));
    if (!has('run.ts')) {
      if (needsRun.length) throw new Error(`${where(folder)}: no run.ts, and ${needsRun.join(', ')} is not interpreted by the engine (only triggers and flow nodes with a \`flow\` kind are)`);
    } else {
      if (!needsRun.length) throw new Error(`${where(folder)}/run.ts: the engine interprets ${own.map(([, m]) => key(m)).join(', ')}, so this runtime would never run`);
      const found = (await exportsOf(path.join(dir, 'run.ts'))).filter(([, v]) => isRuntime(v)) as [string, NodeRuntime<any>][];
      for (const [name, r] of found) {
        if (!needsRun.includes(key(r))) throw new Error(`${where(folder)}/run.ts: the runtime of ${key(r)} has no manifest in this folder that needs one`);
        runtimes.push({ folder, file: 'run', name, value: r });
      }
      const missing = needsRun.filter((k) => !found.some(([, r]) => key(r) === k));
      if (missing.length) throw new Error(`${where(folder)}/run.ts exports no runtime for ${missing.join(', ')} (defineRuntime)`);
    }

    if (has('match.ts')) {
      if (category !== 'trigger') throw new Error(`${where(folder)}/match.ts: only triggers have matching logic`);
      const matcher = (await exportsOf(path.join(dir, 'match.ts'))).find(([name]) => name === 'default')?.[1];
      if (!isMatcher(matcher)) throw new Error(`${where(folder)}/match.ts: the default export is not a trigger matcher (defineTriggerMatcher)`);
      if (!own.some(([, m]) => m.type === matcher.type)) throw new Error(`${where(folder)}/match.ts: matches ${matcher.type}, which this folder does not declare`);
      matchers.push({ folder, file: 'match', name: 'default', value: matcher });
    }
  }
  return { manifests, runtimes, matchers };
}

function moduleText(o: { what: string; typeImport: string; exportName: string; type: string; entries: Export<unknown>[]; importDir: string }): string {
  const names = new Map<string, Export<unknown>>();
  for (const e of o.entries) {
    const other = names.get(localName(e));
    if (other) throw new Error(`${o.what}: "${localName(e)}" is exported by both ${other.folder}/${other.file}.ts and ${e.folder}/${e.file}.ts; rename one`);
    names.set(localName(e), e);
  }
  const imports = [...o.entries].sort((a, b) => byCodeUnit(a.folder, b.folder) || byCodeUnit(a.name, b.name)).map((e) => {
    const from = `./${o.importDir}/${e.folder}/${e.file}`;
    return e.name === 'default' ? `import ${localName(e)} from '${from}';` : `import { ${e.name} } from '${from}';`;
  });
  return [
    `// Generated by \`npm run nodes:index\` (scripts/generate-node-index.ts) from the folders of nodes/${o.importDir}/: do not edit.`,
    o.typeImport,
    ...imports,
    '',
    `export const ${o.exportName}: ${o.type}[] = [`,
    ...o.entries.map((e) => `  ${localName(e)},`),
    '];',
    '',
  ].join('\n');
}

/** The generated files' paths and text, from the folders as they are now. */
export async function buildNodeIndex(builtinDir = BUILTIN_DIR): Promise<GeneratedFile[]> {
  const { manifests, runtimes, matchers } = await readNodeFolders(builtinDir);
  const out = path.dirname(builtinDir);
  const importDir = path.basename(builtinDir);
  const rank = (m: NodeManifest<any>) => m.paletteOrder ?? Number.MAX_SAFE_INTEGER;
  // The catalog lists each category's nodes in this order (the palette's), so it is the manifests' order here.
  const ordered = [...manifests].sort((a, b) => CATEGORIES.indexOf(a.value.category) - CATEGORIES.indexOf(b.value.category)
    || rank(a.value) - rank(b.value) || byCodeUnit(a.value.type, b.value.type) || a.value.version - b.value.version);
  return [
    {
      path: path.join(out, 'manifests.generated.ts'),
      text: moduleText({ what: 'manifests', typeImport: "import type { NodeManifest } from './contract';", exportName: 'BUILTIN_MANIFESTS', type: 'NodeManifest<any>', entries: ordered, importDir }),
    },
    {
      path: path.join(out, 'runtimes.generated.ts'),
      text: moduleText({ what: 'runtimes', typeImport: "import type { NodeRuntime } from './contract';", exportName: 'BUILTIN_RUNTIMES', type: 'NodeRuntime<any>', entries: runtimes, importDir }),
    },
    {
      path: path.join(out, 'trigger-matchers.generated.ts'),
      text: moduleText({ what: 'trigger matchers', typeImport: `import type { TriggerMatcher } from './${importDir}/triggers/matcher';`, exportName: 'TRIGGER_MATCHERS', type: 'TriggerMatcher', entries: matchers, importDir }),
    },
  ];
}

/** The generated files whose committed text differs from what the folders give. */
export function staleFiles(files: GeneratedFile[]): string[] {
  return files.filter((f) => !fs.existsSync(f.path) || fs.readFileSync(f.path, 'utf8') !== f.text).map((f) => path.relative(ROOT, f.path));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  try {
    const files = await buildNodeIndex();
    const stale = staleFiles(files);
    if (check) {
      if (stale.length) {
        console.error(`stale, run npm run nodes:index: ${stale.join(', ')}`);
        process.exit(1);
      }
      console.log('the node index is up to date');
    } else {
      for (const f of files) if (stale.includes(path.relative(ROOT, f.path))) fs.writeFileSync(f.path, f.text);
      console.log(stale.length ? `wrote ${stale.join(', ')}` : 'the node index is up to date');
    }
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    process.exit(1);
  }
}
