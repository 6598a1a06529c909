/** Opens what the API and the worker share: the store, the Temporal client and the node registry. */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { BUILTIN_MANIFESTS } from '../nodes/manifests';
import { NodeRegistry } from '../nodes/registry';
import { BUILTIN_RUNTIMES } from '../nodes/runtimes';
import { temporalHealthy } from '../scripts/services';
import type { AppDeps } from './app-deps';
import { openStore, type Store } from './store/db';

export function createRegistry(): NodeRegistry {
  return new NodeRegistry(BUILTIN_MANIFESTS, BUILTIN_RUNTIMES);
}

export interface ApiRuntime extends AppDeps {
  close(): Promise<void>;
}

export async function openApiRuntime(o: { temporalAddress: string; namespace: string; mongoUri: string; mongoDb: string; taskQueue: string; store?: Store }): Promise<ApiRuntime> {
  const store = o.store ?? (await openStore(o.mongoUri, o.mongoDb));
  const connection = await Connection.connect({ address: o.temporalAddress });
  const temporal = new Client({ connection, namespace: o.namespace });
  return {
    store,
    temporal,
    registry: createRegistry(),
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
