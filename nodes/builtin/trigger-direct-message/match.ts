import { defineTriggerMatcher, textHasKeywords } from '../triggers/matcher';
import { triggerDirectMessage } from './manifest';

export default defineTriggerMatcher(triggerDirectMessage, ({ cfg, event }) => textHasKeywords(cfg, event));
