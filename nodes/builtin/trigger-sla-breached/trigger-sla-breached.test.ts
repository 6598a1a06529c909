import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { triggerAccepts } from '../triggers/match';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger.sla-breached', () => {
  it("matches the ticket's priority against its priorities", () => {
    expect(triggerAccepts(node('trigger.sla-breached', { priorities: ['urgent'] }), testEvent({ type: 'ticket.sla_breached', data: { priority: 'low' } }))).toBe(false);
  });
});
