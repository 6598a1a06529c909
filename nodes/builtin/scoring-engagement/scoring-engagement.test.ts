import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { scoringEngagement } from './manifest';
import engagement from './run';

describe('scoring.engagement', () => {
  it('decays the old value by its half-life before adding', async () => {
    const now = new Date('2024-06-30T00:00:00Z');
    const r = await runNode(scoringEngagement, engagement, {
      config: { score: 'engagement', points: 10, halfLifeDays: 30, reason: 'comment' }, now,
      contact: { scores: { engagement: 40 }, profile: { scoreUpdatedAt: { engagement: '2024-05-31T00:00:00Z' } } },
    });
    // 40 halves to 20 after 30 days, +10 = 30: delta -10
    expect(r.output).toMatchObject({ before: 40, after: 30, decay: -20 });
    expect(r.effects?.[0]).toMatchObject({ kind: 'score', name: 'engagement', delta: -10 });
    expect(r.effects?.[1]).toEqual({ kind: 'contact.set', fields: { scoreUpdatedAt: { engagement: now.toISOString() } } });
  });

  it('starts fresh without history', async () => {
    const r = await runNode(scoringEngagement, engagement, { config: { score: 'engagement', points: 3, reason: 'like' } });
    expect(r.output).toMatchObject({ before: 0, after: 3 });
  });
});
