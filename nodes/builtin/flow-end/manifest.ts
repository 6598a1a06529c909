import { defineManifest } from '../../contract';
import { t } from '../i18n';

/** Interpreted by the workflow: no runtime. */
export const flowEnd = defineManifest({
  type: 'flow.end', version: 1, category: 'flow', flow: 'end',
  title: t('End', '结束'),
  description: t('Ends the journey for this contact.', '为该联系人结束旅程。'),
  icon: '⏹️',
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  outputs: [], execution: { pure: true }, paletteOrder: 60,
});
