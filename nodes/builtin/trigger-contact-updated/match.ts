import { defineTriggerMatcher, strings } from '../triggers/matcher';
import { triggerContactUpdated } from './manifest';

export default defineTriggerMatcher(triggerContactUpdated, ({ cfg, data }) => {
  const fields = strings(cfg.fields);
  return !fields.length || strings(data.fields).some((f) => fields.includes(f));
});
