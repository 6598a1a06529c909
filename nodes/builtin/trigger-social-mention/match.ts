import { defineTriggerMatcher, textHasKeywords } from '../triggers/matcher';
import { triggerMention } from './manifest';

export default defineTriggerMatcher(triggerMention, ({ cfg, event }) => textHasKeywords(cfg, event));
