import { describe, expect, it } from 'vitest';
import { crisisDetectorKey, crisisSettings } from './match';
import { triggerCrisis } from './manifests';

describe('crisis trigger settings', () => {
  it("fill in the config schema's defaults, so an omitted setting and its default are one detector", () => {
    const p = triggerCrisis.configSchema.properties;
    expect(crisisSettings({ topic: 'refunds' })).toEqual({ topic: 'refunds', windowMinutes: p.windowMinutes.default, baselineWindows: p.baselineWindows.default, factor: p.factor.default, minCount: p.minCount.default });
    expect(crisisDetectorKey({ topic: 'refunds' })).toBe(crisisDetectorKey({ topic: 'refunds', windowMinutes: 60, baselineWindows: 24, factor: 3, minCount: 5 }));
    expect(crisisDetectorKey({ topic: 'refunds', factor: 4 })).not.toBe(crisisDetectorKey({ topic: 'refunds' }));
  });
});
