/**
 * The node registry of a catalog, built once per catalog. Only the lazily loaded pages import this module, so the
 * registry's validators (ajv, formats, cron, luxon) stay out of the first script the browser loads.
 */
import { NodeRegistry } from '../../nodes/registry';
import type { Catalog } from './api/types';

const built = new WeakMap<Catalog, NodeRegistry>();

export function registryOf(catalog: Catalog): NodeRegistry {
  let r = built.get(catalog);
  if (!r) {
    r = new NodeRegistry(catalog.categories.flatMap((c) => c.nodes), [], { lazyValidators: true });
    built.set(catalog, r);
  }
  return r;
}
