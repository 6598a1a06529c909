import type { ValidateFunction } from 'ajv';
import type { Category, NodeManifest, NodeRuntime } from './contract';
import { createAjv, toFieldErrors, type FieldError } from './ajv';
import { CATEGORIES } from './contract';

export function nodeKey(type: string, version: number): string {
  return `${type}@${version}`;
}

/**
 * Every node type the platform knows, by `type@version`, with one compiled config validator each.
 * Old versions stay registered so published journeys that pinned them keep loading.
 */
export class NodeRegistry {
  private readonly manifests = new Map<string, NodeManifest<any>>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly runtimes = new Map<string, NodeRuntime<any>>();
  private readonly ajv = createAjv();
  private readonly lazy: boolean;

  /**
   * `lazyValidators`: compile a type's validator when a config of it is first validated, not at registration (the
   * editor, which opens a journey using a few of the ~40 types and must not spend its first second compiling all).
   * Servers keep the default: a broken schema is refused when its module loads.
   */
  constructor(manifests: NodeManifest<any>[] = [], runtimes: NodeRuntime<any>[] = [], opts: { lazyValidators?: boolean } = {}) {
    this.lazy = opts.lazyValidators ?? false;
    for (const m of manifests) this.register(m);
    for (const r of runtimes) this.registerRuntime(r);
  }

  register(manifest: NodeManifest<any>): void {
    const key = nodeKey(manifest.type, manifest.version);
    if (this.manifests.has(key)) throw new Error(`node ${key} is registered twice`);
    if (!CATEGORIES.includes(manifest.category)) throw new Error(`node ${key}: unknown category "${manifest.category}"`);
    // Compiled before anything is registered: a schema ajv refuses leaves no half-registered node behind.
    const validate = this.lazy ? undefined : this.ajv.compile(manifest.configSchema as object);
    this.manifests.set(key, manifest);
    if (validate) this.validators.set(key, validate);
  }

  registerRuntime(runtime: NodeRuntime<any>): void {
    const key = nodeKey(runtime.type, runtime.version);
    if (!this.manifests.has(key)) throw new Error(`runtime for ${key} has no manifest`);
    this.runtimes.set(key, runtime);
  }

  get(type: string, version: number): NodeManifest<any> | undefined {
    return this.manifests.get(nodeKey(type, version));
  }

  runtime(type: string, version: number): NodeRuntime<any> | undefined {
    return this.runtimes.get(nodeKey(type, version));
  }

  /** The newest version of a type: what the palette offers for new nodes. */
  latest(type: string): NodeManifest<any> | undefined {
    let best: NodeManifest<any> | undefined;
    for (const m of this.manifests.values()) if (m.type === type && (!best || m.version > best.version)) best = m;
    return best;
  }

  all(): NodeManifest<any>[] {
    return [...this.manifests.values()];
  }

  byCategory(): Record<Category, NodeManifest<any>[]> {
    const out = Object.fromEntries(CATEGORIES.map((c) => [c, [] as NodeManifest<any>[]])) as Record<Category, NodeManifest<any>[]>;
    for (const m of this.manifests.values()) out[m.category].push(m);
    return out;
  }

  validateConfig(type: string, version: number, config: unknown): FieldError[] {
    const key = nodeKey(type, version);
    let validate = this.validators.get(key);
    if (!validate) {
      const manifest = this.manifests.get(key);
      if (!manifest) return [{ path: '/', message: `unknown node type ${key}` }];
      validate = this.ajv.compile(manifest.configSchema as object);
      this.validators.set(key, validate);
    }
    return validate(config) ? [] : toFieldErrors(validate.errors);
  }
}
