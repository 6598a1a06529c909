import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const triggerContactUpdated = defineManifest({
  type: 'trigger.contact-updated', version: 1, category: 'trigger',
  title: t('Contact updated', '联系人更新'),
  description: t('Starts when profile fields of a contact change.', '当联系人资料字段变化时启动。'),
  icon: '✏️', triggerEventTypes: ['contact.updated'],
  configSchema: {
    type: 'object',
    properties: { fields: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 }, title: 'Only when these fields change', ...zh('仅当这些字段变化') } },
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['fields'], paletteOrder: 60,
});
