import { defineTriggerMatcher, strings } from '../triggers/matcher';
import { triggerSlaBreached } from './manifest';

export default defineTriggerMatcher(triggerSlaBreached, ({ cfg, data }) => {
  const p = strings(cfg.priorities);
  return !p.length || p.includes(String(data.priority));
});
