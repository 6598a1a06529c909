/**
 * Crisis detection at ingestion: every negative social event is counted by each live crisis trigger whose topic it
 * matches (rolling windows, see nodes/text/crisis.ts); when a window rises above its baseline by the trigger's
 * factor, one crisis.detected event is ingested for the topic (id = detector + window: exactly once per window).
 */
import { createHash } from 'node:crypto';
import type { ContactEvent } from '../../nodes/contract';
import { crisisDetectorKey, crisisSettings } from '../../nodes/builtin/triggers/match';
import { matchKeywords, type TextAnalysis } from '../../nodes/text/analyze';
import { recordNegativeMention, type CrisisConfig, type CrisisFired, type CrisisState } from '../../nodes/text/crisis';
import type { Store } from './db';
import { liveJourneys } from './journeys';
import { isDuplicateKey } from './errors';

export interface CrisisStateDoc {
  _id: string; // `${workspaceId}|${detector hash}`
  workspaceId: string;
  detector: string;
  topic: string;
  state: CrisisState;
  rev: number;
  updatedAt: Date;
}

export const crisisStates = (s: Store) => s.db.collection<CrisisStateDoc>('crisis_states');

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/**
 * Adds one negative mention to a detector's state. A burst of mentions updates one document concurrently: each
 * writer reads the state, computes the next one and writes it only if nobody wrote in between (`rev`), else tries
 * again, so no mention is lost and a window fires once.
 */
export async function countNegativeMention(s: Store, workspaceId: string, detector: string, topic: string, at: number, cfg: CrisisConfig): Promise<CrisisFired | undefined> {
  const _id = `${workspaceId}|${hash(detector)}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    const doc = await crisisStates(s).findOne({ _id });
    const { state, fired } = recordNegativeMention(doc?.state, at, cfg);
    if (!doc) {
      try {
        await crisisStates(s).insertOne({ _id, workspaceId, detector, topic, state, rev: 1, updatedAt: new Date() });
        return fired;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        continue; // a concurrent first mention created it
      }
    }
    const res = await crisisStates(s).updateOne({ _id, rev: doc.rev }, { $set: { state, updatedAt: new Date() }, $inc: { rev: 1 } });
    if (res.modifiedCount === 1) return fired;
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt)));
  }
  throw new Error(`crisis detector ${_id} stayed contended`);
}

/**
 * Called by ingestion for every newly stored event with its text analysis: counts a negative mention for each crisis
 * detector it matches, and returns the crisis.detected events of those it tipped over (for ingestion to ingest).
 */
export async function observeForCrisis(s: Store, workspaceId: string, event: ContactEvent, analysis: TextAnalysis | undefined): Promise<ContactEvent[]> {
  if (!analysis || analysis.sentiment.label !== 'negative' || !event.type.startsWith('social.')) return [];
  const journeys = (await liveJourneys(s, workspaceId)).filter((j) => j.liveTriggerTypes.includes('crisis.detected'));
  const seen = new Set<string>();
  const emitted: ContactEvent[] = [];
  for (const j of journeys) {
    const v = await s.versions.findOne({ _id: `${j._id}|v${j.liveVersion}`, workspaceId });
    if (!v) continue;
    for (const id of v.compiled.triggers) {
      const n = v.compiled.nodes[id];
      if (n.type !== 'trigger.crisis-detected') continue;
      const cfg = crisisSettings(n.config as Record<string, unknown>);
      const detector = crisisDetectorKey(n.config);
      if (seen.has(detector)) continue; // two journeys on the same topic share one count
      seen.add(detector);
      if (cfg.sourceChannels?.length && !cfg.sourceChannels.includes(event.channel)) continue;
      if (cfg.keywords?.length && !matchKeywords(event.text ?? '', cfg.keywords).matched) continue;
      const windowMs = cfg.windowMinutes * 60_000;
      const at = Date.parse(event.occurredAt);
      const fired = await countNegativeMention(s, workspaceId, detector, cfg.topic, at, {
        windowMs, baselineWindows: cfg.baselineWindows, factor: cfg.factor, minCount: cfg.minCount,
      });
      if (!fired) continue;
      const eventId = `crisis:${hash(detector)}:${fired.windowStart}`;
      emitted.push({
        id: eventId, type: 'crisis.detected', channel: 'system', handle: `crisis:${cfg.topic}`, occurredAt: new Date().toISOString(),
        text: event.text,
        data: {
          detector, topic: cfg.topic, windowStart: new Date(fired.windowStart).toISOString(), windowMinutes: cfg.windowMinutes,
          count: fired.count, baseline: fired.baseline, lastMention: { id: event.id, channel: event.channel, handle: event.handle, text: event.text },
        },
      });
    }
  }
  return emitted;
}
