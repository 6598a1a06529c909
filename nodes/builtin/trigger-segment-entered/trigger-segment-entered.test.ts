import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { triggerAccepts } from '../triggers/match';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger.segment-entered', () => {
  it('matches the entered segment against its segments', () => {
    expect(triggerAccepts(node('trigger.segment-entered', { segments: ['vip'] }), testEvent({ type: 'segment.entered', data: { segment: 'vip' } }))).toBe(true);
  });
});
