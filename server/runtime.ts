/** Opens what the API and the worker share: the store, the Temporal client and the node registry. */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { BUILTIN_MANIFESTS } from '../nodes/manifests';
import { NodeRegistry } from '../nodes/registry';
import { BUILTIN_RUNTIMES } from '../nodes/runtimes';
import { temporalHealthy } from '../scripts/services';
import type { AppDeps } from './app-deps';
import { loadConfig } from './config';
import { loadCustomNodes, type CustomNodeOptions, type CustomNodesResult } from '../nodes/custom/loader';
import { openStore, type Store } from './store/db';

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

export interface ApiRuntime extends AppDeps {
  close(): Promise<void>;
}

export async function openApiRuntime(o: { temporalAddress: string; namespace: string; mongoUri: string; mongoDb: string; taskQueue: string; store?: Store; customNodes?: CustomNodeOptions }): Promise<ApiRuntime> {
  const { registry, errors: nodeLoadErrors } = await loadRegistry(o.customNodes);
  const store = o.store ?? (await openStore(o.mongoUri, o.mongoDb));
  const connection = await Connection.connect({ address: o.temporalAddress });
  const temporal = new Client({ connection, namespace: o.namespace });
  return {
    store,
    temporal,
    registry,
    nodeLoadErrors,
    sessionTtlMs: loadConfig().sessionTtlHours * 3_600_000,
    taskQueue: o.taskQueue,
    editorDir: path.resolve(import.meta.dirname, '../editor/dist'),
    async health() {
      const [t, m] = await Promise.all([
        temporalHealthy(o.temporalAddress, o.namespace, 1500),
        store.db.command({ ping: 1 }, { timeoutMS: 1500 }).then(() => true, () => false),
      ]);
      return { temporal: t ? 'ok' : 'down', store: m ? 'ok' : 'down' };
    },
    async close() {
      await connection.close();
      if (!o.store) await store.close();
    },
  };
}
