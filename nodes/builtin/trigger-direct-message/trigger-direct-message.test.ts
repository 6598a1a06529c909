import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { triggerAccepts } from '../triggers/match';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger.direct-message', () => {
  it('accepts a direct message that mentions one of its keywords', () => {
    expect(triggerAccepts(node('trigger.direct-message', { keywords: ['退款'] }), testEvent({ type: 'social.dm', text: '我要退款' }))).toBe(true);
    expect(triggerAccepts(node('trigger.direct-message', { keywords: ['退款'] }), testEvent({ type: 'social.dm', text: 'hello' }))).toBe(false);
  });
});
