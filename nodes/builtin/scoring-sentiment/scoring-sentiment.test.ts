import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { scoringSentiment } from './manifest';
import sentimentWeighted from './run';

describe('scoring.sentiment-weighted', () => {
  it('follows (or opposes) the sentiment', async () => {
    const praise = await runNode(scoringSentiment, sentimentWeighted, { config: { score: 'loyalty', points: 10 }, event: { text: '太好用了，强烈推荐！' } });
    expect((praise.effects?.[0] as { delta: number }).delta).toBeGreaterThan(3);
    const risk = await runNode(scoringSentiment, sentimentWeighted, { config: { score: 'risk', points: 10, direction: 'against' }, event: { text: 'Worst service ever, total scam' } });
    expect((risk.effects?.[0] as { delta: number }).delta).toBeGreaterThan(3);
    const neutral = await runNode(scoringSentiment, sentimentWeighted, { config: { score: 'risk', points: 10 }, event: { text: '明天几点开门' } });
    expect(neutral.effects).toEqual([]);
  });
});
