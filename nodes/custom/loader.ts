/**
 * Custom nodes: node modules a developer adds without touching Journeys' code, loaded when the API and the worker
 * start, from a folder (JOURNEYS_CUSTOM_NODES_DIR, default `custom-nodes/`) and from npm packages
 * (JOURNEYS_CUSTOM_NODE_PACKAGES). A module exports manifests built with `defineManifest` and runtimes built with
 * `defineRuntime` (as named exports, arrays of them, or a default export holding either).
 *
 * A broken module never stops the others: its problem is collected as a `NodeLoadError` naming the file and the
 * problem, logged, and served by `GET /api/v1/nodes` as `loadErrors`. A module is all or nothing: when one of its
 * definitions is broken, none of them is registered.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CATEGORIES, type NodeManifest, type NodeRuntime } from '../contract';
import { NodeRegistry, nodeKey } from '../registry';

export interface NodeLoadError {
  /** The file (or package name, when it cannot be resolved) the problem is in. */
  source: string;
  message: string;
}

export interface LoadedNode {
  type: string;
  version: number;
  source: string;
}

export interface CustomNodesResult {
  loaded: LoadedNode[];
  errors: NodeLoadError[];
}

export interface CustomNodeOptions {
  /** Folder of node modules: each `<name>/index.{ts,js,mjs}` or a top-level `<name>.{ts,js,mjs}` (tests excluded). */
  dir?: string;
  /** npm package names (or paths), resolved from `resolveFrom`. */
  packages?: string[];
  /** Where package names are resolved from (default: the current working directory). */
  resolveFrom?: string;
  log?: (message: string) => void;
}

const MODULE_EXT = ['.ts', '.mts', '.js', '.mjs'];
const TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/** The module files of a custom-nodes folder, in a stable order. A missing folder holds none. */
export function nodeModuleFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const index = MODULE_EXT.map((ext) => path.join(full, `index${ext}`)).find((f) => fs.existsSync(f));
      if (index) files.push(index);
    } else if (MODULE_EXT.some((ext) => entry.name.endsWith(ext)) && !/\.(test|spec)\.[mc]?[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(full);
    }
  }
  return files;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const looksLikeRuntime = (v: unknown): v is NodeRuntime<any> => isObject(v) && typeof v.run === 'function' && 'type' in v;
const looksLikeManifest = (v: unknown): v is NodeManifest<any> => isObject(v) && 'configSchema' in v && 'type' in v && typeof v.run !== 'function';

/** Manifests and runtimes a module exports, wherever it puts them (named, arrays, a default object). */
export function collectDefinitions(mod: Record<string, unknown>): { manifests: NodeManifest<any>[]; runtimes: NodeRuntime<any>[] } {
  const manifests = new Set<NodeManifest<any>>();
  const runtimes = new Set<NodeRuntime<any>>();
  const visit = (v: unknown, depth: number) => {
    if (looksLikeRuntime(v)) runtimes.add(v);
    else if (looksLikeManifest(v)) manifests.add(v);
    else if (Array.isArray(v)) v.forEach((x) => visit(x, depth));
    else if (isObject(v) && depth === 0) Object.values(v).forEach((x) => visit(x, depth + 1));
  };
  for (const [name, value] of Object.entries(mod)) visit(value, name === 'default' ? 0 : 1);
  return { manifests: [...manifests], runtimes: [...runtimes] };
}

const isText = (v: unknown) => isObject(v) && typeof v.en === 'string' && typeof v['zh-CN'] === 'string';

/** What is wrong with one manifest's shape, as messages naming the node and the field. */
export function manifestProblems(m: NodeManifest<any>): string[] {
  const id = typeof m.type === 'string' ? `${m.type}@${String(m.version)}` : 'a manifest';
  const p: string[] = [];
  if (typeof m.type !== 'string' || !TYPE_PATTERN.test(m.type)) p.push(`${id}: "type" must be dotted lowercase like "acme.loyalty-tier" (got ${JSON.stringify(m.type)})`);
  if (!Number.isInteger(m.version) || m.version < 1) p.push(`${id}: "version" must be an integer ≥ 1 (got ${JSON.stringify(m.version)})`);
  if (!CATEGORIES.includes(m.category)) p.push(`${id}: "category" must be one of ${CATEGORIES.join(', ')} (got ${JSON.stringify(m.category)})`);
  if (m.category === 'flow' || m.flow) p.push(`${id}: flow nodes are implemented by the workflow itself and cannot be custom`);
  if (!isText(m.title)) p.push(`${id}: "title" must be { en, 'zh-CN' }`);
  if (!isText(m.description)) p.push(`${id}: "description" must be { en, 'zh-CN' }`);
  if (typeof m.icon !== 'string' || !m.icon) p.push(`${id}: "icon" must be a non-empty string`);
  if (!isObject(m.configSchema) || m.configSchema.type !== 'object') p.push(`${id}: "configSchema" must be a JSON Schema of type "object"`);
  if (!Array.isArray(m.outputs) || m.outputs.some((o) => !isObject(o) || typeof o.id !== 'string' || !isText(o.label))) {
    p.push(`${id}: "outputs" must be an array of { id, label: { en, 'zh-CN' } }`);
  }
  if (!isObject(m.execution) || typeof m.execution.timeoutMs !== 'number') p.push(`${id}: "execution" is missing: build the manifest with defineManifest()`);
  if (m.migrations !== undefined) {
    if (!isObject(m.migrations)) p.push(`${id}: "migrations" must map a version number to a function`);
    else for (const [from, fn] of Object.entries(m.migrations)) {
      if (!/^[1-9][0-9]*$/.test(from) || typeof fn !== 'function') p.push(`${id}: migrations["${from}"] must be a function keyed by the version it migrates from`);
    }
  }
  return p;
}

/**
 * Checks one module's definitions against the registry and registers them all, or none with the reasons.
 * Non-trigger nodes need a runtime; a runtime needs its manifest; `type@version` must be new.
 */
export function registerModule(registry: NodeRegistry, source: string, defs: { manifests: NodeManifest<any>[]; runtimes: NodeRuntime<any>[] }): { loaded: LoadedNode[]; errors: NodeLoadError[] } {
  const problems: string[] = [];
  if (defs.manifests.length === 0 && defs.runtimes.length === 0) problems.push('exports no node manifest or runtime (build them with defineManifest / defineRuntime and export them)');
  const keys = new Set<string>();
  for (const m of defs.manifests) {
    const shape = manifestProblems(m);
    problems.push(...shape);
    if (shape.length) continue;
    const key = nodeKey(m.type, m.version);
    if (keys.has(key)) problems.push(`${key} is defined twice in this module`);
    if (registry.get(m.type, m.version)) problems.push(`${key} is already registered (by a built-in node or another module)`);
    keys.add(key);
    if (m.category !== 'trigger' && !defs.runtimes.some((r) => r.type === m.type && r.version === m.version)) {
      problems.push(`${key} has no runtime: export one built with defineRuntime(manifest, run)`);
    }
    try {
      new NodeRegistry([m]);
    } catch (err) {
      problems.push(`${key}: configSchema is not a valid JSON Schema: ${(err as Error).message}`);
    }
  }
  for (const r of defs.runtimes) {
    if (!defs.manifests.some((m) => m.type === r.type && m.version === r.version) && !registry.get(r.type, r.version)) {
      problems.push(`runtime for ${nodeKey(String(r.type), Number(r.version))} has no manifest`);
    }
  }
  if (problems.length) return { loaded: [], errors: problems.map((message) => ({ source, message })) };
  for (const m of defs.manifests) registry.register(m);
  for (const r of defs.runtimes) registry.registerRuntime(r);
  return { loaded: defs.manifests.map((m) => ({ type: m.type, version: m.version, source })), errors: [] };
}

function describe(err: unknown): string {
  const e = err as Error;
  const first = String(e?.message ?? err).split('\n')[0];
  return `cannot be imported: ${first}`;
}

/** Loads every custom node module into `registry`, collecting (and logging) what failed instead of throwing. */
export async function loadCustomNodes(registry: NodeRegistry, o: CustomNodeOptions): Promise<CustomNodesResult> {
  const result: CustomNodesResult = { loaded: [], errors: [] };
  const sources: { source: string; url: string }[] = [];
  if (o.dir) for (const f of nodeModuleFiles(o.dir)) sources.push({ source: f, url: pathToFileURL(f).href });
  const req = createRequire(path.join(o.resolveFrom ?? process.cwd(), 'noop.js'));
  for (const name of o.packages ?? []) {
    try {
      const resolved = req.resolve(name);
      sources.push({ source: resolved, url: pathToFileURL(resolved).href });
    } catch (err) {
      result.errors.push({ source: name, message: `package cannot be resolved: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  for (const { source, url } of sources) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (err) {
      result.errors.push({ source, message: describe(err) });
      continue;
    }
    const r = registerModule(registry, source, collectDefinitions(mod));
    result.loaded.push(...r.loaded);
    result.errors.push(...r.errors);
  }
  for (const e of result.errors) (o.log ?? console.error)(`[journeys] custom node ${e.source}: ${e.message}`);
  return result;
}
