import { defineTriggerMatcher, strings } from '../triggers/matcher';
import { triggerContactCreated } from './manifest';

/** The channel the contact was first seen on is `data.channel` when the event was made on another one. */
export default defineTriggerMatcher(triggerContactCreated, ({ cfg, data, event }) => {
  const chans = strings(cfg.channels);
  return !chans.length || chans.includes(String(data.channel ?? event.channel));
});
