import { MongoServerError, type Collection, type Document, type OptionalUnlessRequiredId } from 'mongodb';

export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}

/**
 * Inserts every document whose `_id` is new (unordered) and returns the indexes of those that already existed: a
 * retried write of keyed records. Any other failure is thrown.
 */
export async function insertManyNew<T extends Document>(c: Collection<T>, docs: OptionalUnlessRequiredId<T>[]): Promise<Set<number>> {
  try {
    await c.insertMany(docs, { ordered: false });
    return new Set();
  } catch (err) {
    const raw = (err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }).writeErrors;
    const writeErrors = Array.isArray(raw) ? raw : raw ? [raw] : [];
    if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) throw err;
    return new Set(writeErrors.map((w) => w.index));
  }
}
