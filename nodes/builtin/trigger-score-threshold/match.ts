import { defineTriggerMatcher } from '../triggers/matcher';
import { triggerScoreThreshold } from './manifest';

/** Fires on the change that crosses the threshold, not on every change on the far side of it. */
export default defineTriggerMatcher(triggerScoreThreshold, ({ cfg, data }) => {
  if (data.score !== cfg.score) return false;
  const before = Number(data.before), after = Number(data.after), th = Number(cfg.threshold);
  return cfg.direction === 'down' ? before >= th && after < th : before < th && after >= th;
});
