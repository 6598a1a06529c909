/**
 * The embedded store (FerretDB on our private PostgreSQL cluster) must serve the application's equality filters
 * from an index: FerretDB's own btree indexes cannot answer the `@>` filters it sends, so without the GIN indexes
 * our FerretDB build adds, every find scans its collection (see README "The embedded store").
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { resolveStoreBackend } from '../../scripts/services';
import { startStack, type TestStack } from '../helpers/stack';

const run = promisify(execFile);
const cfg = loadConfig();
const backend = resolveStoreBackend(cfg);
// Only when the tests run on the store `npm run services` starts (not on a MONGODB_URI given from outside).
const onEmbeddedPostgres = backend.handler === 'postgresql' && !cfg.mongoUri;

async function sql(query: string): Promise<string> {
  if (backend.handler !== 'postgresql') throw new Error('not on PostgreSQL');
  const { stdout } = await run(path.join(backend.binDir, 'psql'), ['-h', '127.0.0.1', '-p', String(cfg.postgresPort), '-U', 'postgres', '-d', 'postgres', '-At', '-c', query]);
  return stdout.trim();
}

describe.runIf(onEmbeddedPostgres)('embedded store on PostgreSQL', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ worker: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers an equality filter on a declared field and on _id from an index, not a scan', async () => {
    await stack.store.enrollments.insertOne({
      _id: 'e1', workspaceId: 'default', journeyId: 'j1', version: 1, contactId: 'c1', triggerEventId: 'ev1', entryKey: 'k', status: 'active', startedAt: new Date(),
    });
    const found = await stack.store.enrollments.find({ workspaceId: 'default', contactId: 'c1', status: 'active' }).toArray();
    expect(found.map((e) => e._id)).toEqual(['e1']);

    // FerretDB keeps one schema per database and one table per collection.
    const table = await sql(`SELECT tablename FROM pg_tables WHERE schemaname = '${stack.dbName}' AND tablename LIKE 'enrollments%'`);
    expect(table).toMatch(/^enrollments/);
    const indexes = await sql(`SELECT indexdef FROM pg_indexes WHERE schemaname = '${stack.dbName}' AND tablename = '${table}'`);
    expect(indexes).toMatch(/USING gin \(\(\(_jsonb -> 'contactId'::text\)\) jsonb_path_ops\)/);
    expect(indexes).toMatch(/USING gin \(\(\(_jsonb -> '_id'::text\)\) jsonb_path_ops\)/);

    // The filter exactly as FerretDB sends it; with scans disabled, a plan without an index means none can serve it.
    for (const [field, value] of [['contactId', 'c1'], ['_id', 'e1']]) {
      const plan = await sql(`SET enable_seqscan = off; EXPLAIN SELECT _jsonb FROM "${stack.dbName}"."${table}" WHERE _jsonb->'${field}' @> '"${value}"'`);
      expect(plan, `plan for ${field}`).toMatch(/Index Scan/);
    }
  });
});
