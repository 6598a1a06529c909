import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { NodeRegistry } from '../../registry';
import { triggerAccepts } from '../triggers/match';
import { triggerScoreThreshold } from './manifest';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger.score-threshold', () => {
  it('fires only when the threshold is crossed in its direction', () => {
    const up = node('trigger.score-threshold', { score: 'lead', threshold: 50 });
    const ev = (before: number, after: number) => testEvent({ type: 'score.changed', data: { score: 'lead', before, after } });
    expect(triggerAccepts(up, ev(45, 55))).toBe(true);
    expect(triggerAccepts(up, ev(55, 60))).toBe(false);
    expect(triggerAccepts(up, ev(10, 20))).toBe(false);
    expect(triggerAccepts(node('trigger.score-threshold', { score: 'lead', threshold: 50, direction: 'down' }), ev(55, 40))).toBe(true);
  });

  it('needs a threshold', () => {
    const r = new NodeRegistry([triggerScoreThreshold]);
    expect(r.validateConfig('trigger.score-threshold', 1, { score: 'lead' })[0].path).toBe('/threshold');
  });
});
