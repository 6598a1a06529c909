/**
 * The store must keep MongoDB's single-document atomicity: concurrent updates of one document never lose each
 * other's changes, and an update whose filter no longer matches (because a concurrent one changed the document)
 * does not apply. FerretDB 1.24 updated by read → compute in Go → overwrite, so 200 parallel `$inc` kept 19–154
 * of them and two guarded updates both "won"; our FerretDB build writes with a compare-and-swap and retries (see
 * scripts/binaries.ts, FERRETDB_CAS_PATCHES). Runs against whatever store the tests use (MONGODB_URI or the
 * embedded one), so it also checks a real MongoDB.
 */
import { randomUUID } from 'node:crypto';
import { Binary, Double, Long, MongoClient, ObjectId, Timestamp, type Collection, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

interface Doc {
  _id: string;
  n?: number;
  items?: number[];
  status?: string;
  group?: string;
}

describe('store single-document atomicity', () => {
  let client: MongoClient;
  let db: Db;
  let coll: Collection<Doc>;

  beforeAll(async () => {
    client = new MongoClient(inject('mongoUri'), { maxPoolSize: 100 });
    await client.connect();
    db = client.db(`jt_atom_${randomUUID().slice(0, 8)}`);
    coll = db.collection<Doc>('docs');
    await coll.insertOne({ _id: 'warmup' }); // creates the collection, so the races below are on updates only
  });
  afterAll(async () => {
    await db?.dropDatabase().catch(() => undefined);
    await client?.close();
  });

  const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

  it('200 parallel $inc of one field sum up', async () => {
    await coll.insertOne({ _id: 'inc', n: 0 });
    const results = await times(200, () => coll.updateOne({ _id: 'inc' }, { $inc: { n: 1 } }));
    expect(results.every((r) => r.matchedCount === 1 && r.modifiedCount === 1)).toBe(true);
    expect((await coll.findOne({ _id: 'inc' }))?.n).toBe(200);
  });

  it('200 parallel $push keep every element', async () => {
    await coll.insertOne({ _id: 'push', items: [] });
    await times(200, (i) => coll.updateOne({ _id: 'push' }, { $push: { items: i } }));
    const items = (await coll.findOne({ _id: 'push' }))?.items ?? [];
    expect(items).toHaveLength(200);
    expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it.each([2, 20])('%i concurrent guarded updates have exactly one winner', async (n) => {
    const _id = `guard-${n}`;
    await coll.insertOne({ _id, status: 'active' });
    const results = await times(n, (i) => coll.updateOne({ _id, status: 'active' }, { $set: { status: `x${i}` } }));
    const winners = results.flatMap((r, i) => (r.modifiedCount === 1 ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.matchedCount === 1)).toHaveLength(1);
    expect((await coll.findOne({ _id }))?.status).toBe(`x${winners[0]}`);
  });

  it('50 concurrent guarded findOneAndUpdate: exactly 10 succeed, with consistent pre and post images', async () => {
    await coll.insertMany([{ _id: 'fam-after', n: 0 }, { _id: 'fam-before', n: 0 }]);
    const after = await times(50, () => coll.findOneAndUpdate({ _id: 'fam-after', n: { $lt: 10 } }, { $inc: { n: 1 } }, { returnDocument: 'after' }));
    const before = await times(50, () => coll.findOneAndUpdate({ _id: 'fam-before', n: { $lt: 10 } }, { $inc: { n: 1 } }, { returnDocument: 'before' }));
    const range = (from: number) => Array.from({ length: 10 }, (_, i) => from + i);
    // Each winner saw its own state: the post-images are 1..10 and the pre-images 0..9, each exactly once.
    expect(after.filter(Boolean).map((d) => d!.n!).sort((a, b) => a - b)).toEqual(range(1));
    expect(before.filter(Boolean).map((d) => d!.n!).sort((a, b) => a - b)).toEqual(range(0));
    expect((await coll.findOne({ _id: 'fam-after' }))?.n).toBe(10);
    expect((await coll.findOne({ _id: 'fam-before' }))?.n).toBe(10);
  });

  it('concurrent upserts of a new _id: one inserts, the others update it', async () => {
    const results = await times(20, () => coll.updateOne({ _id: 'upsert' }, { $inc: { n: 1 } }, { upsert: true }));
    expect((await coll.findOne({ _id: 'upsert' }))?.n).toBe(20);
    expect(results.filter((r) => r.upsertedCount === 1)).toHaveLength(1);
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(19);

    const upserted = await times(20, () => coll.findOneAndUpdate({ _id: 'upsert-fam' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' }));
    expect(upserted.map((d) => d!.n!).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('concurrent updateMany apply to every matched document once each', async () => {
    await coll.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: `many-${i}`, group: 'many', n: 0 })));
    await times(20, () => coll.updateMany({ group: 'many' }, { $inc: { n: 1 } }));
    const docs = await coll.find({ group: 'many' }).toArray();
    expect(docs.map((d) => d.n)).toEqual(Array(10).fill(20));
  });

  it('concurrent findOneAndDelete of one document: exactly one gets it', async () => {
    await coll.insertOne({ _id: 'claim', status: 'queued' });
    const results = await times(20, () => coll.findOneAndDelete({ _id: 'claim' }));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('still updates documents of every BSON type, and an upsert on an existing non-matching _id is a duplicate key', async () => {
    // The compare-and-swap compares the stored document with the one read: every type must round-trip exactly.
    await db.collection<{ _id: string; [field: string]: unknown }>('docs').insertOne({
      _id: 'types', n: 0, d: new Date('2024-01-02T03:04:05.678Z'), oid: new ObjectId(), bin: new Binary(Buffer.from([0, 1, 255])),
      dbl: new Double(1.5), whole: new Double(2), big: Long.fromString('9007199254740993'), neg0: -0, tiny: 1e-300, huge: 1.7976931348623157e308,
      nul: null, t: true, re: /a.b/i, ts: new Timestamp({ t: 1, i: 2 }), s: 'ünïcödé "quoted" \\ \n', nested: { a: [1, { b: ['c'] }], e: {} }, arr: [],
    });
    const r = await coll.updateOne({ _id: 'types' }, { $inc: { n: 1 } });
    expect(r.modifiedCount).toBe(1);
    await coll.insertOne({ _id: 'dup', status: 'done' });
    const started = Date.now();
    await expect(coll.updateOne({ _id: 'dup', status: 'active' }, { $set: { status: 'x' } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
