/**
 * Node type schema evolution. A manifest may declare `migrations[N]`: a pure function turning a version-N config
 * into a version-(N+1) one. Published journeys keep the version they pinned (it stays registered); drafts are
 * upgraded by chaining the migrations up to the newest version and validating the result.
 */
import type { NodeRegistry } from '../registry';

export type Migration = (config: any) => unknown;

/** Every migration of a type, from whichever of its manifests declares it. */
export function migrationsOf(registry: NodeRegistry, type: string): Map<number, Migration> {
  const out = new Map<number, Migration>();
  for (const m of registry.all()) {
    if (m.type !== type || !m.migrations) continue;
    for (const [from, fn] of Object.entries(m.migrations)) out.set(Number(from), fn as Migration);
  }
  return out;
}

export type UpgradeResult =
  | { ok: true; version: number; config: unknown; steps: number[] }
  | { ok: false; version: number; message: string };

/** Migrates a config from `fromVersion` to `toVersion` (default: the newest registered), checking the result. */
export function upgradeConfig(registry: NodeRegistry, type: string, fromVersion: number, config: unknown, toVersion?: number): UpgradeResult {
  const target = toVersion ?? registry.latest(type)?.version;
  if (target === undefined) return { ok: false, version: fromVersion, message: `unknown node type "${type}"` };
  if (target <= fromVersion) return { ok: true, version: fromVersion, config, steps: [] };
  const migrations = migrationsOf(registry, type);
  let current: unknown = structuredClone(config);
  const steps: number[] = [];
  for (let v = fromVersion; v < target; v++) {
    const fn = migrations.get(v);
    if (!fn) return { ok: false, version: v, message: `${type} has no migration from version ${v} to ${v + 1}` };
    try {
      current = fn(structuredClone(current));
    } catch (err) {
      return { ok: false, version: v, message: `${type} migration ${v} → ${v + 1} failed: ${(err as Error).message}` };
    }
    steps.push(v);
  }
  const errors = registry.validateConfig(type, target, current);
  if (errors.length) {
    return { ok: false, version: target, message: `${type} migrated to version ${target} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}` };
  }
  return { ok: true, version: target, config: current, steps };
}
