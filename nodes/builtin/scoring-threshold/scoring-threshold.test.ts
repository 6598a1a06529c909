import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { scoringThreshold } from './manifest';
import threshold from './run';

describe('scoring.threshold', () => {
  it('branches at or above', async () => {
    expect((await runNode(scoringThreshold, threshold, { config: { score: 'lead', threshold: 50 }, contact: { scores: { lead: 50 } } })).port).toBe('above');
    expect((await runNode(scoringThreshold, threshold, { config: { score: 'lead', threshold: 50 } })).port).toBe('below');
  });
});
