import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { triggerAccepts } from '../triggers/match';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger.social-mention', () => {
  it('listens to its default event types', () => {
    expect(triggerAccepts(node('trigger.social-mention', {}), testEvent({ type: 'social.comment' }))).toBe(true);
    expect(triggerAccepts(node('trigger.social-mention', {}), testEvent({ type: 'social.dm' }))).toBe(false);
  });
});
