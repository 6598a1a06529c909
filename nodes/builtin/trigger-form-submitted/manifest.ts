import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';
import { conditionsField } from '../triggers/fields';

export const triggerForm = defineManifest({
  type: 'trigger.form-submitted', version: 1, category: 'trigger',
  title: t('Form submitted', '表单提交'),
  description: t('Starts when a web form is submitted (event data.formId).', '当网页表单提交时启动（事件 data.formId）。'),
  icon: '📝', triggerEventTypes: ['form.submitted'],
  configSchema: {
    type: 'object',
    properties: { formIds: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 100 }, title: 'Only these forms', ...zh('仅限这些表单') }, conditions: conditionsField },
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['formIds'], paletteOrder: 40,
});
