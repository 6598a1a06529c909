import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const triggerTagAdded = defineManifest({
  type: 'trigger.tag-added', version: 1, category: 'trigger',
  title: t('Tag added', '添加标签'),
  description: t('Starts when one of these tags is added to a contact.', '当联系人被添加这些标签之一时启动。'),
  icon: '🏷️', triggerEventTypes: ['tag.added'],
  configSchema: {
    type: 'object',
    properties: { tags: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 }, title: 'Tags', ...zh('标签'), 'x-widget': 'tags' } },
    required: ['tags'], additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['tags'], paletteOrder: 70,
});
