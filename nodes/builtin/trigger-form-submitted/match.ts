import { defineTriggerMatcher, strings } from '../triggers/matcher';
import { triggerForm } from './manifest';

export default defineTriggerMatcher(triggerForm, ({ cfg, data }) => {
  const forms = strings(cfg.formIds);
  return !forms.length || forms.includes(String(data.formId ?? ''));
});
