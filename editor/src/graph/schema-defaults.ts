/** Defaults of a node's config, from its JSON Schema. */
import type { NodeManifest } from '../../../nodes/contract';

type Schema = Record<string, any>;

/**
 * The values the engine uses when a field is left out: the schema's `default`s (the one source; the runtimes fall
 * back to the same values). A new node starts with them, and the form shows them for a node saved without them.
 * Optional objects are not invented; a required object gets its own fields' defaults.
 */
export function schemaDefaults(schema: Schema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!schema || schema.type !== 'object' || !schema.properties) return out;
  const required = new Set<string>(schema.required ?? []);
  for (const [k, p] of Object.entries(schema.properties as Record<string, Schema>)) {
    if (p && 'default' in p) out[k] = structuredClone(p.default);
    else if (p?.type === 'object' && required.has(k)) {
      const inner = schemaDefaults(p);
      if (Object.keys(inner).length) out[k] = inner;
    }
  }
  return out;
}

/** A node's config as the engine reads it: its values over the schema's top-level defaults. */
export function withDefaults(schema: Schema | undefined, config: Record<string, unknown>): Record<string, unknown> {
  const d = schemaDefaults(schema);
  return Object.keys(d).every((k) => k in config) ? config : { ...d, ...config };
}

/** The config a new node of this type starts with. */
export function defaultsFor(manifest: NodeManifest<any>): Record<string, unknown> {
  return schemaDefaults(manifest.configSchema as Schema);
}
