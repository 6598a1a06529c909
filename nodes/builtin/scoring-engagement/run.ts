import { defineRuntime, type Effect } from '../../contract';
import { round2 } from '../score-name';
import { scoringEngagement } from './manifest';

const DAY_MS = 86_400_000;

/** The decayed value of `value` last updated at `since`, seen at `now`. */
export function decayed(value: number, since: Date | undefined, now: Date, halfLifeDays: number): number {
  if (!since || Number.isNaN(since.getTime())) return value;
  const days = Math.max(0, now.getTime() - since.getTime()) / DAY_MS;
  return value * 0.5 ** (days / halfLifeDays);
}

export default defineRuntime(scoringEngagement, (ctx) => {
  const { score, points, halfLifeDays = 30, reason } = ctx.config;
  const before = ctx.contact.scores[score] ?? 0;
  const times = (ctx.contact.profile.scoreUpdatedAt ?? {}) as Record<string, string>;
  const since = times[score] ? new Date(times[score]) : undefined;
  const after = round2(decayed(before, since, ctx.now, halfLifeDays) + points);
  const decay = round2(after - points - before);
  const effects: Effect[] = [
    { kind: 'score', name: score, delta: round2(after - before), reason: decay ? `${reason} (+${points}, decay ${decay})` : reason },
    // The whole map: field names with dots cannot be stored as document keys (the timeline keeps the fields set).
    { kind: 'contact.set', fields: { scoreUpdatedAt: { ...times, [score]: ctx.now.toISOString() } } },
  ];
  return { port: 'next', effects, output: { score, before, decay, points, after } };
});
