/**
 * Inserts into one collection coalesced while the store is busy: up to IN_FLIGHT inserts go out at once (the
 * store works on two at a time as well as on one), and callers that arrive while they are in flight are sent
 * together as one unordered insert when one returns. Nothing waits on a timer, so a quiet process pays no
 * latency; a busy one sends one command for many runs (on the embedded FerretDB an insert of ten documents costs
 * about what two single inserts do).
 *
 * Each caller gets exactly what its own insert would have given: the indexes of its documents whose `_id` existed,
 * or the failure of its own documents (another caller's bad document fails only that caller).
 */
import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';

interface Waiting<T extends Document> {
  docs: OptionalUnlessRequiredId<T>[];
  resolve(existed: Set<number>): void;
  reject(err: unknown): void;
}

interface Lane<T extends Document> { inFlight: number; queue: Waiting<T>[] }

/** Inserts of one collection in flight at once from one process. */
export const IN_FLIGHT = 2;

/** Documents one coalesced insert takes at most (a broadcast page is one caller, and is never split). */
const MAX_DOCS = 1000;

const lanes = new WeakMap<object, Lane<Document>>();

export function coalescedInsert<T extends Document>(c: Collection<T>, docs: OptionalUnlessRequiredId<T>[]): Promise<Set<number>> {
  if (!docs.length) return Promise.resolve(new Set());
  let lane = lanes.get(c) as Lane<T> | undefined;
  if (!lane) lanes.set(c, (lane = { inFlight: 0, queue: [] }) as unknown as Lane<Document>);
  const l = lane;
  return new Promise((resolve, reject) => {
    l.queue.push({ docs, resolve, reject });
    if (l.inFlight < IN_FLIGHT) void drain(c, l);
  });
}

async function drain<T extends Document>(c: Collection<T>, lane: Lane<T>): Promise<void> {
  lane.inFlight++;
  try {
    while (lane.queue.length) {
      const batch: Waiting<T>[] = [];
      let n = 0;
      while (lane.queue.length && (!batch.length || n + lane.queue[0].docs.length <= MAX_DOCS)) {
        const w = lane.queue.shift()!;
        batch.push(w);
        n += w.docs.length;
      }
      await send(c, batch);
    }
  } finally {
    lane.inFlight--;
  }
}

async function send<T extends Document>(c: Collection<T>, batch: Waiting<T>[]): Promise<void> {
  try {
    await c.insertMany(batch.flatMap((w) => w.docs), { ordered: false });
  } catch (err) {
    const raw = (err as { writeErrors?: unknown }).writeErrors;
    const errors = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { index: number; code?: number }[];
    // No per-document errors (the connection, the server): nobody's documents are known to be in.
    if (!errors.length || (err as { writeConcernError?: unknown }).writeConcernError) {
      for (const w of batch) w.reject(err);
      return;
    }
    let start = 0;
    for (const w of batch) {
      const end = start + w.docs.length;
      const own = errors.filter((e) => e.index >= start && e.index < end);
      if (own.some((e) => e.code !== 11000)) w.reject(err);
      else w.resolve(new Set(own.map((e) => e.index - start)));
      start = end;
    }
    return;
  }
  for (const w of batch) w.resolve(new Set());
}
