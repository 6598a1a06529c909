/** Opens what the API and the worker share: the store, the Temporal client and the node registry. */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporalHealthy } from '../scripts/services';
import type { AppDeps } from './app-deps';
import { loadConfig } from '../core/config';
import type { CustomNodeOptions } from '../nodes/custom/loader';
import { loadRegistry } from '../core/node-registry';
import { openStore, type Store } from '../core/store/db';

export interface OpenAppDeps extends AppDeps {
  close(): Promise<void>;
}

export async function openAppDeps(o: { temporalAddress: string; namespace: string; mongoUri: string; mongoDb: string; taskQueue: string; store?: Store; customNodes?: CustomNodeOptions }): Promise<OpenAppDeps> {
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
    publicUrl: loadConfig().publicUrl,
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
