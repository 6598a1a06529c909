import { defineTriggerMatcher, strings } from '../triggers/matcher';
import { triggerTagAdded } from './manifest';

export default defineTriggerMatcher(triggerTagAdded, ({ cfg, data }) => strings(cfg.tags).includes(String(data.tag)));
