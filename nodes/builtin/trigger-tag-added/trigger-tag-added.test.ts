import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { triggerAccepts } from '../triggers/match';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger.tag-added', () => {
  it('matches the added tag against its tags', () => {
    expect(triggerAccepts(node('trigger.tag-added', { tags: ['vip'] }), testEvent({ type: 'tag.added', data: { tag: 'vip' } }))).toBe(true);
    expect(triggerAccepts(node('trigger.tag-added', { tags: ['vip'] }), testEvent({ type: 'tag.added', data: { tag: 'fan' } }))).toBe(false);
  });
});
