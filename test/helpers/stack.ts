/**
 * A full Journeys stack for one test file, on the real services: its own database and task queue (so files run
 * in parallel without seeing each other), the API app for `inject()`, and a real worker.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { buildApp } from '../../server/app';
import { ChannelRegistry, type ChannelAdapter } from '../../core/channels/channel-adapter';
import { openAppDeps, type OpenAppDeps } from '../../server/open-app-deps';
import { openStore, type Store } from '../../core/store/db';
import { createApiToken, createUser, ensureWorkspace } from '../../core/store/users';
import { setDefaultHeaders } from './api';
import { createJourneyWorker } from '../../workflows/worker';

export interface TestStack {
  app: FastifyInstance;
  rt: OpenAppDeps;
  store: Store;
  dbName: string;
  taskQueue: string;
  temporalAddress: string;
  mongoUri: string;
  /** The workspace every default call uses ('default'), its admin user and an admin API token `call()` sends. */
  workspaceId: string;
  admin: { email: string; password: string; token: string };
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(opts: { worker?: boolean; adapters?: ChannelAdapter[]; services?: { temporalAddress: string; mongoUri: string } } = {}): Promise<TestStack> {
  const temporalAddress = opts.services?.temporalAddress ?? inject('temporalAddress');
  const mongoUri = opts.services?.mongoUri ?? inject('mongoUri');
  const dbName = `jt_${randomUUID().slice(0, 8)}`;
  const taskQueue = `test-${dbName}`;
  const store = await openStore(mongoUri, dbName);
  const rt = await openAppDeps({ temporalAddress, namespace: 'default', mongoUri, mongoDb: dbName, taskQueue, store });
  const app = await buildApp(rt);
  // Every route needs credentials: an admin of workspace "default", whose token call() sends unless told otherwise.
  const admin = { email: 'admin@test.local', password: 'test-password-1', token: '' };
  await ensureWorkspace(store, 'default');
  const adminUser = await createUser(store, 'default', { email: admin.email, name: 'Test admin', role: 'admin', password: admin.password });
  admin.token = (await createApiToken(store, 'default', { name: 'test stack', role: 'admin', createdBy: adminUser })).secret;
  setDefaultHeaders(app, { authorization: `Bearer ${admin.token}` });
  // Direct app.inject({...}) calls in tests carry the admin token too, unless they set their own authorization.
  const rawInject = app.inject.bind(app) as (o?: unknown) => unknown;
  (app as { inject: unknown }).inject = (o?: unknown) => rawInject(o && typeof o === 'object'
    ? { ...o, headers: { authorization: `Bearer ${admin.token}`, ...((o as { headers?: object }).headers ?? {}) } }
    : o);
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let closeConnection: (() => Promise<void>) | undefined;

  const stack: TestStack = {
    app, rt, store, dbName, workspaceId: 'default', admin, taskQueue, temporalAddress, mongoUri,
    async startWorker() {
      const w = await createJourneyWorker({
        temporalAddress, namespace: 'default', taskQueue, store, registry: rt.registry, channels: new ChannelRegistry(opts.adapters ?? []),
        workflowBundle: { codePath: inject('workflowBundlePath') },
      });
      worker = w.worker;
      closeConnection = () => w.connection.close();
      running = worker.run();
    },
    async stopWorker() {
      if (!worker) return;
      worker.shutdown();
      await running;
      await closeConnection?.();
      worker = undefined;
    },
    async close() {
      await stack.stopWorker();
      await app.close();
      await store.db.dropDatabase().catch(() => undefined);
      await rt.close();
      await store.close();
    },
  };
  if (opts.worker !== false) await stack.startWorker();
  return stack;
}

/** Polls until `fn` returns a truthy value (real asynchronous work: workflows, timers). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, { timeoutMs = 30_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs}ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
