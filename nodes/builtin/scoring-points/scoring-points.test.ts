import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { scoringPoints } from './manifest';
import points from './run';

describe('scoring.points', () => {
  it('adds with a reason', async () => {
    const r = await runNode(scoringPoints, points, { config: { score: 'lead', points: 5, reason: 'clicked' }, contact: { scores: { lead: 10 } } });
    expect(r.effects).toEqual([{ kind: 'score', name: 'lead', delta: 5, reason: 'clicked' }]);
  });
});
