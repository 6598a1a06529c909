import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { filterCondition } from './manifest';
import condition from './run';

describe('filter.condition (rule builder)', () => {
  it('evaluates nested any/all groups over contact and event fields', async () => {
    const config = {
      conditions: {
        match: 'all' as const,
        groups: [
          { match: 'any' as const, rules: [{ field: 'contact.scores.lead', op: 'gte' as const, value: 50 }, { field: 'contact.tags', op: 'includes' as const, value: ['vip'] }] },
          { rules: [{ field: 'event.data.orderId', op: 'exists' as const }] },
        ],
      },
    };
    const yes = await runNode(filterCondition, condition, { config, contact: { tags: ['vip'] }, event: { data: { orderId: 'o-1' } } });
    expect(yes.port).toBe('yes');
    const no = await runNode(filterCondition, condition, { config, contact: { scores: { lead: 10 } }, event: { data: { orderId: 'o-1' } } });
    expect(no.port).toBe('no');
  });
});
