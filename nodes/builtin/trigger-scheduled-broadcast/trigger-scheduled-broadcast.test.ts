import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { NodeRegistry } from '../../registry';
import { triggerAccepts } from '../triggers/match';
import { triggerBroadcast } from './manifest';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger.scheduled-broadcast', () => {
  it('accepts only the due event addressed to its journey and node', () => {
    expect(triggerAccepts(node('trigger.scheduled-broadcast', { cron: '0 10 * * 1', segment: 'vip' }), testEvent({ type: 'broadcast.due', data: { journeyId: 'j', nodeId: 't' } }), 'j')).toBe(true);
    expect(triggerAccepts(node('trigger.scheduled-broadcast', { cron: '0 10 * * 1', segment: 'vip' }), testEvent({ type: 'broadcast.due', data: { journeyId: 'other', nodeId: 't' } }), 'j')).toBe(false);
  });

  it('validates its documented example config', () => {
    const r = new NodeRegistry([triggerBroadcast]);
    expect(r.validateConfig('trigger.scheduled-broadcast', 1, { cron: '0 10 * * 1', timezone: 'Asia/Shanghai', segment: 'vip', batchSize: 200 })).toEqual([]);
  });
});
