import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { triggerAccepts } from '../triggers/match';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger.contact-updated', () => {
  it('matches the changed fields against its fields', () => {
    expect(triggerAccepts(node('trigger.contact-updated', { fields: ['city'] }), testEvent({ type: 'contact.updated', data: { fields: ['city'] } }))).toBe(true);
  });
});
