import { defineTriggerMatcher, strings } from '../triggers/matcher';
import { triggerSegmentEntered } from './manifest';

export default defineTriggerMatcher(triggerSegmentEntered, ({ cfg, data }) => strings(cfg.segments).includes(String(data.segment)));
