/**
 * The crisis trigger listens to the detector its settings describe: ingestion counts negative mentions per
 * detector (core/store/crisis.ts) and emits `crisis.detected` with the detector's key.
 */
import { defineTriggerMatcher, type TriggerConfig } from '../triggers/matcher';
import { triggerCrisis } from './manifest';

export interface CrisisSettings { topic: string; keywords?: string[]; sourceChannels?: string[]; windowMinutes: number; baselineWindows: number; factor: number; minCount: number }

/** The defaults of the crisis trigger's settings: its config schema's `default`s, the one place they are written. */
const CRISIS_DEFAULTS = Object.fromEntries(Object.entries(triggerCrisis.configSchema.properties)
  .filter(([, p]) => 'default' in p).map(([k, p]) => [k, (p as { default: unknown }).default])) as Pick<CrisisSettings, 'windowMinutes' | 'baselineWindows' | 'factor' | 'minCount'>;

/** A crisis trigger's config with its defaults filled in. */
export function crisisSettings(cfg: TriggerConfig): CrisisSettings {
  return { ...CRISIS_DEFAULTS, ...(cfg as Partial<CrisisSettings>) } as CrisisSettings;
}

/** Identifies one crisis detector: the same topic settings in two journeys share one rolling count. */
export function crisisDetectorKey(raw: TriggerConfig): string {
  const cfg = crisisSettings(raw);
  const k = cfg.keywords?.slice().sort().join(',') ?? '';
  const c = cfg.sourceChannels?.slice().sort().join(',') ?? '';
  return [cfg.topic, k, c, cfg.windowMinutes, cfg.baselineWindows, cfg.factor, cfg.minCount].join('|');
}

export default defineTriggerMatcher(triggerCrisis, ({ cfg, data }) => data.detector === crisisDetectorKey(cfg));
