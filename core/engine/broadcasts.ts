/**
 * Scheduled broadcasts: for each live journey with a scheduled-broadcast trigger, when its cron (in its time zone)
 * has fired since the last run, every member of the segment is enrolled with a `broadcast.due` event whose id names
 * journey, node, fire time and contact (so a re-run or a second API instance enrolls nobody twice), through
 * ingestion's bulk path for known contacts. Members are read in `_id` order in batches, and the cursor is saved
 * after each batch, so a crash resumes where it stopped.
 */
import { CronExpressionParser } from 'cron-parser';
import { ingestForContacts, type EngineDeps } from './ingest';
import { REAL_CONTACTS } from '../store/contacts';
import type { Store } from '../store/db';
import type { ContactDoc } from '../store/documents';

export interface BroadcastStateDoc {
  _id: string; // `${workspaceId}|${journeyId}|${nodeId}`
  workspaceId: string;
  journeyId: string;
  nodeId: string;
  /** The last fire time fully enrolled. */
  lastFireAt: Date;
  /** A fire in progress: its time and the last contact id enrolled. */
  firing?: { at: Date; cursor?: string; enrolled: number };
}

export const broadcastStates = (s: Store) => s.db.collection<BroadcastStateDoc>('broadcast_states');

interface BroadcastConfig { cron: string; timezone?: string; segment: string; batchSize?: number }

/** Runs started at once while a broadcast enrolls a page of members (Temporal's start latency is the bound otherwise). */
export const BROADCAST_START_CONCURRENCY = 64;

export function previousFire(cron: string, tz: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: now, tz }).prev().toDate();
}

export async function runDueBroadcasts(d: EngineDeps, now = new Date(), workspaceId?: string): Promise<{ journeyId: string; nodeId: string; fireAt: string; enrolled: number }[]> {
  const out: { journeyId: string; nodeId: string; fireAt: string; enrolled: number }[] = [];
  const journeys = await d.store.journeys.find({ ...(workspaceId ? { workspaceId } : {}), status: 'live', liveTriggerTypes: 'broadcast.due' }, { projection: { draft: 0 } }).toArray();
  for (const j of journeys) {
    const v = await d.store.versions.findOne({ _id: `${j._id}|v${j.liveVersion}`, workspaceId: j.workspaceId });
    if (!v) continue;
    for (const nodeId of v.compiled.triggers) {
      const n = v.compiled.nodes[nodeId];
      if (n.type !== 'trigger.scheduled-broadcast') continue;
      const cfg = n.config as unknown as BroadcastConfig;
      const _id = `${j.workspaceId}|${j._id}|${nodeId}`;
      let fireAt: Date;
      try {
        fireAt = previousFire(cfg.cron, cfg.timezone ?? 'Asia/Shanghai', now);
      } catch {
        continue; // publish-time validation reports bad cron; never crash the scheduler
      }
      // First sight: fires since the version was published count, older ones do not.
      await broadcastStates(d.store).updateOne(
        { _id }, { $setOnInsert: { workspaceId: j.workspaceId, journeyId: j._id, nodeId, lastFireAt: new Date(v.publishedAt.getTime() - 1) } }, { upsert: true },
      );
      const state = (await broadcastStates(d.store).findOne({ _id }))!;
      const current = state.firing?.at ?? (fireAt > state.lastFireAt ? fireAt : undefined);
      if (!current) continue;
      const resumed = state.firing?.at.getTime() === current.getTime();
      const fire = { at: current, cursor: resumed ? state.firing!.cursor : undefined, enrolled: resumed ? state.firing!.enrolled : 0 };
      const enrolled = await enrollSegment(d, j.workspaceId, j._id, nodeId, cfg, fire, async (cursor, enrolled) => {
        // Only while the fire is not finished: a second runner that finished it first must not see it reopened.
        const saved = await broadcastStates(d.store).updateOne({ _id, lastFireAt: { $lt: current } }, { $set: { firing: { at: current, cursor, enrolled } } });
        return saved.matchedCount === 1;
      });
      await broadcastStates(d.store).updateOne({ _id, lastFireAt: { $lt: current } }, { $set: { lastFireAt: current }, $unset: { firing: '' } });
      out.push({ journeyId: j._id, nodeId, fireAt: current.toISOString(), enrolled });
    }
  }
  return out;
}

/**
 * Enrolls the segment's members from `fire.cursor` on, in `_id` order, a page of `batchSize` at a time: each page
 * in bulk (ingestForContacts: one insert of its events, one of its enrollments, its runs started
 * BROADCAST_START_CONCURRENCY at a time), then `save(cursor, enrolled)` records the page as done (false: another
 * runner finished this fire, stop). The members are read by one cursor over the whole fire, not one query per
 * page: FerretDB 1.x filters ranges and sorts after reading every member, so paging by `_id > cursor` read the
 * segment once per page. A crash loses at most the page in progress, which the next run enrolls again, its keyed
 * writes making every member's enrollment, run and steps exactly once. Returns the fire's enrolled count.
 */
async function enrollSegment(
  d: EngineDeps, workspaceId: string, journeyId: string, nodeId: string, cfg: BroadcastConfig,
  fire: { at: Date; cursor?: string; enrolled: number }, save: (cursor: string, enrolled: number) => Promise<boolean>,
): Promise<number> {
  const batchSize = cfg.batchSize ?? 500;
  let { enrolled } = fire;
  const members = d.store.contacts
    // A test contact in the segment would resolve, by its handle, to the real contact: never broadcast to it.
    .find({ workspaceId, segments: cfg.segment, ...REAL_CONTACTS, ...(fire.cursor ? { _id: { $gt: fire.cursor } } : {}) }, { projection: { appliedEffects: 0 } })
    .sort({ _id: 1 }).batchSize(batchSize);
  try {
    const page: ContactDoc[] = [];
    const flush = async () => {
      const items = page.filter((c) => c.identities?.[0]).map((contact) => ({
        contact: { ...contact, appliedEffects: [] },
        event: {
          id: `broadcast:${journeyId}:${nodeId}:${fire.at.getTime()}:${contact._id}`, type: 'broadcast.due', channel: contact.identities[0].channel, handle: contact.identities[0].handle,
          occurredAt: fire.at.toISOString(), data: { journeyId, nodeId, segment: cfg.segment, fireAt: fire.at.toISOString() },
        },
      }));
      for (const r of items.length ? await ingestForContacts(d, workspaceId, items, BROADCAST_START_CONCURRENCY) : []) enrolled += r.enrolled.length;
      const cursor = page[page.length - 1]._id;
      page.length = 0;
      return save(cursor, enrolled);
    };
    for await (const c of members) {
      page.push(c as ContactDoc);
      if (page.length >= batchSize && !(await flush())) return enrolled;
    }
    if (page.length) await flush();
  } finally {
    await members.close();
  }
  return enrolled;
}
