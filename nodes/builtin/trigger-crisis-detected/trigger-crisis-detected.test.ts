import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { NodeRegistry } from '../../registry';
import { triggerAccepts } from '../triggers/match';
import { triggerCrisis } from './manifest';
import { crisisDetectorKey, crisisSettings } from './match';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('crisis trigger settings', () => {
  it("fill in the config schema's defaults, so an omitted setting and its default are one detector", () => {
    const p = triggerCrisis.configSchema.properties;
    expect(crisisSettings({ topic: 'refunds' })).toEqual({ topic: 'refunds', windowMinutes: p.windowMinutes.default, baselineWindows: p.baselineWindows.default, factor: p.factor.default, minCount: p.minCount.default });
    expect(crisisDetectorKey({ topic: 'refunds' })).toBe(crisisDetectorKey({ topic: 'refunds', windowMinutes: 60, baselineWindows: 24, factor: 3, minCount: 5 }));
    expect(crisisDetectorKey({ topic: 'refunds', factor: 4 })).not.toBe(crisisDetectorKey({ topic: 'refunds' }));
  });
});

describe('trigger.crisis-detected', () => {
  it('accepts the events of the detector its settings describe', () => {
    const crisis = { topic: 'battery', keywords: ['电池'] };
    expect(triggerAccepts(node('trigger.crisis-detected', crisis), testEvent({ type: 'crisis.detected', channel: 'system', data: { detector: crisisDetectorKey(crisis) } }))).toBe(true);
    expect(triggerAccepts(node('trigger.crisis-detected', { topic: 'other' }), testEvent({ type: 'crisis.detected', channel: 'system', data: { detector: crisisDetectorKey(crisis) } }))).toBe(false);
  });

  it('validates its documented example config', () => {
    const r = new NodeRegistry([triggerCrisis]);
    expect(r.validateConfig('trigger.crisis-detected', 1, { topic: 'battery', factor: 3, windowMinutes: 15 })).toEqual([]);
  });
});
