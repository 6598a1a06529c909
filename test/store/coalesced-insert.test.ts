/**
 * Inserts into one collection are coalesced while one is in flight (core/store/coalesced-insert.ts): fewer
 * commands, and each caller still gets its own answer — which of its documents existed, or its own failure.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient, type Collection, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { IN_FLIGHT } from '../../core/store/coalesced-insert';
import { insertManyNew, insertNew } from '../../core/store/errors';

interface Doc { _id: string; n: number }

describe('coalesced inserts', () => {
  let client: MongoClient;
  let db: Db;
  let coll: Collection<Doc>;
  const inserts: number[] = [];

  beforeAll(async () => {
    client = new MongoClient(inject('mongoUri'), { monitorCommands: true });
    await client.connect();
    client.on('commandStarted', (e) => { if (e.commandName === 'insert') inserts.push((e.command.documents as unknown[]).length); });
    db = client.db(`jt_coal_${randomUUID().slice(0, 8)}`);
    coll = db.collection<Doc>('docs');
    await coll.insertOne({ _id: 'old-1', n: 0 });
    await coll.insertOne({ _id: 'old-2', n: 0 });
  });
  afterAll(async () => {
    await db?.dropDatabase().catch(() => undefined);
    await client?.close();
  });

  it('callers that arrive while an insert is in flight share the next one, and each learns which of its own existed', async () => {
    inserts.length = 0;
    const callers = Array.from({ length: 40 }, (_, i) => i);
    const results = await Promise.all(callers.map((i) => insertManyNew(coll, [
      { _id: `new-${i}-a`, n: i },
      // Every tenth caller repeats a document that exists before any of these inserts.
      ...(i % 10 === 0 ? [{ _id: 'old-1', n: i }] : []),
      ...(i % 10 === 5 ? [{ _id: 'old-2', n: i }] : []),
    ])));
    // The first two went alone (IN_FLIGHT at once); the 38 that queued behind them went together. (Which command
    // the driver starts first depends on which pooled connection is ready first.)
    expect(IN_FLIGHT).toBe(2);
    expect([...inserts].sort((a, b) => a - b)).toEqual([1, 2, 45]);
    results.forEach((existed, i) => expect([...existed]).toEqual(i % 10 === 0 && i > 0 ? [1] : i % 10 === 5 ? [1] : i === 0 ? [1] : []));
    expect(await coll.countDocuments({ _id: { $regex: /^new-/ } })).toBe(40);
    // None was overwritten by a caller's duplicate.
    expect((await coll.findOne({ _id: 'new-0-a' }))?.n).toBe(0);
    expect((await coll.findOne({ _id: 'old-1' }))?.n).toBe(0);
    expect((await coll.findOne({ _id: 'old-2' }))?.n).toBe(0);
  });

  it("one caller's bad document fails that caller only", async () => {
    const good = Array.from({ length: 5 }, (_, i) => insertNew(coll, { _id: `good-${i}`, n: i }));
    // An array is no valid `_id`: the server refuses that document alone.
    const bad = insertManyNew(coll, [{ _id: 'with-bad-1', n: 1 }, { _id: ['not', 'an', 'id'] as unknown as string, n: 2 }]);
    const more = Array.from({ length: 5 }, (_, i) => insertNew(coll, { _id: `good-${i + 5}`, n: i }));
    await expect(bad).rejects.toThrow();
    expect(await Promise.all([...good, ...more])).toEqual(Array(10).fill(true));
    expect(await coll.countDocuments({ _id: { $regex: /^good-/ } })).toBe(10);
    expect(await insertNew(coll, { _id: 'good-3', n: 99 })).toBe(false);
  });
});
