/** The node registry a process runs with: built-in nodes plus the configured custom ones (API and worker alike). */
import { BUILTIN_MANIFESTS } from '../nodes/manifests';
import { NodeRegistry } from '../nodes/registry';
import { BUILTIN_RUNTIMES } from '../nodes/runtimes';
import { loadConfig } from './config';
import { loadCustomNodes, type CustomNodeOptions, type CustomNodesResult } from '../nodes/custom/loader';

export function createRegistry(): NodeRegistry {
  return new NodeRegistry(BUILTIN_MANIFESTS, BUILTIN_RUNTIMES);
}

/**
 * The built-in nodes plus the custom node modules of the configured folder and packages (JOURNEYS_CUSTOM_NODES_DIR,
 * JOURNEYS_CUSTOM_NODE_PACKAGES). A broken module is reported in `errors` and skipped; the others load.
 */
export async function loadRegistry(o: CustomNodeOptions = customNodeOptions()): Promise<{ registry: NodeRegistry } & CustomNodesResult> {
  const registry = createRegistry();
  const result = await loadCustomNodes(registry, o);
  return { registry, ...result };
}

export function customNodeOptions(cfg = loadConfig()): CustomNodeOptions {
  return { dir: cfg.customNodesDir, packages: cfg.customNodePackages };
}

