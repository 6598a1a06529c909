/**
 * Scheduled broadcasts: for each live journey with a scheduled-broadcast trigger, when its cron (in its time zone)
 * has fired since the last run, every member of the segment is enrolled through ingestion with a `broadcast.due`
 * event whose id names journey, node, fire time and contact (so a re-run or a second API instance enrolls nobody
 * twice). Members are read in `_id` order in batches, and the cursor is saved after each batch, so a crash resumes
 * where it stopped.
 */
import { CronExpressionParser } from 'cron-parser';
import { ingestMany, type EngineDeps } from '../engine/ingest';
import { REAL_CONTACTS } from './contacts';
import type { Store } from './db';

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
      let cursor = state.firing?.at.getTime() === current.getTime() ? state.firing.cursor : undefined;
      let enrolled = state.firing?.at.getTime() === current.getTime() ? state.firing.enrolled : 0;
      const batchSize = cfg.batchSize ?? 500;
      for (;;) {
        const batch = await d.store.contacts
          // A test contact in the segment would resolve, by its handle, to the real contact: never broadcast to it.
          .find({ workspaceId: j.workspaceId, segments: cfg.segment, ...REAL_CONTACTS, ...(cursor ? { _id: { $gt: cursor } } : {}) }, { projection: { _id: 1, identities: 1 } })
          .sort({ _id: 1 }).limit(batchSize).toArray();
        if (!batch.length) break;
        const events = batch.filter((c) => c.identities[0]).map((c) => ({
          id: `broadcast:${j._id}:${nodeId}:${current.getTime()}:${c._id}`, type: 'broadcast.due', channel: c.identities[0].channel, handle: c.identities[0].handle,
          occurredAt: current.toISOString(), data: { journeyId: j._id, nodeId, segment: cfg.segment, fireAt: current.toISOString() },
        }));
        // A page of distinct contacts: enrolled side by side.
        for (const r of await ingestMany(d, j.workspaceId, events)) enrolled += r.enrolled.length;
        cursor = batch[batch.length - 1]._id;
        await broadcastStates(d.store).updateOne({ _id }, { $set: { firing: { at: current, cursor, enrolled } } });
        if (batch.length < batchSize) break;
      }
      await broadcastStates(d.store).updateOne({ _id }, { $set: { lastFireAt: current }, $unset: { firing: '' } });
      out.push({ journeyId: j._id, nodeId, fireAt: current.toISOString(), enrolled });
    }
  }
  return out;
}
