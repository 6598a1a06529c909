import { describe, expect, it } from 'vitest';
import { evaluateConditions, evaluateRule } from './conditions';

const now = new Date('2026-11-22T00:00:00Z');
const scope = {
  contact: { tags: ['vip', 'beta'], scores: { lead: 42 }, profile: { city: 'Shanghai', signedUpAt: '2026-11-20T00:00:00Z' } },
  event: { text: 'The Battery died', channel: 'weibo' },
};

describe('conditions', () => {
  it('compares by type and reports the actual value', () => {
    expect(evaluateRule({ field: 'contact.scores.lead', op: 'gte', value: 40 }, scope, now)).toMatchObject({ actual: 42, result: true });
    expect(evaluateRule({ field: 'contact.scores.missing', op: 'lt', value: 40 }, scope, now)).toMatchObject({ actual: null, result: false });
    expect(evaluateRule({ field: 'event.text', op: 'contains', value: 'battery' }, scope, now).result).toBe(true);
    expect(evaluateRule({ field: 'contact.tags', op: 'includes', value: ['VIP'] }, scope, now).result).toBe(true);
    expect(evaluateRule({ field: 'contact.tags', op: 'not_includes', value: 'churned' }, scope, now).result).toBe(true);
    expect(evaluateRule({ field: 'event.channel', op: 'in', value: ['x', 'weibo'] }, scope, now).result).toBe(true);
    expect(evaluateRule({ field: 'contact.profile.signedUpAt', op: 'within_last_days', value: 7 }, scope, now).result).toBe(true);
    expect(evaluateRule({ field: 'contact.profile.signedUpAt', op: 'before', value: '2026-11-01' }, scope, now).result).toBe(false);
    expect(evaluateRule({ field: 'contact.profile.phone', op: 'not_exists' }, scope, now).result).toBe(true);
  });

  it('combines rules in any/all groups', () => {
    const vipOrHot = { match: 'any' as const, groups: [
      { match: 'all' as const, rules: [{ field: 'contact.tags', op: 'includes' as const, value: 'vip' }, { field: 'event.channel', op: 'eq' as const, value: 'x' }] },
      { rules: [{ field: 'contact.scores.lead', op: 'gt' as const, value: 40 }] },
    ] };
    const r = evaluateConditions(vipOrHot, scope, now);
    expect(r.result).toBe(true);
    expect(r.rules.map((x) => x.result)).toEqual([true, false, true]);
    expect(evaluateConditions({ ...vipOrHot, match: 'all' }, scope, now).result).toBe(false);
  });
});
