import { MongoServerError, type Collection, type Document, type OptionalUnlessRequiredId } from 'mongodb';
import { coalescedInsert } from './coalesced-insert';

export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}

/**
 * Inserts every document whose `_id` is new (unordered) and returns the indexes of those that already existed: a
 * retried write of keyed records. Any other failure is thrown. Concurrent callers share one insert command
 * (coalesced-insert.ts); each gets its own answer.
 */
export function insertManyNew<T extends Document>(c: Collection<T>, docs: OptionalUnlessRequiredId<T>[]): Promise<Set<number>> {
  return coalescedInsert(c, docs);
}

/** One keyed document: true when this call inserted it, false when its `_id` existed. */
export async function insertNew<T extends Document>(c: Collection<T>, doc: OptionalUnlessRequiredId<T>): Promise<boolean> {
  return !(await coalescedInsert(c, [doc])).size;
}
