import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const responseUpdateContact = defineManifest({
  type: 'response.update-contact',
  version: 1,
  category: 'response',
  title: t('Update contact', '更新联系人'),
  description: t('Sets profile fields and adds or removes tags.', '设置资料字段，添加或移除标签。'),
  icon: '🏷️',
  configSchema: {
    type: 'object',
    properties: {
      set: {
        type: 'object', title: 'Set fields', ...zh('设置字段'),
        propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' },
        additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
        // profile.timezone is what wait-until and business hours read: it must be a zone they can use.
        dependencies: { timezone: { properties: { timezone: { type: 'string', format: 'time-zone' } } } },
      },
      addTags: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 }, title: 'Add tags', ...zh('添加标签'), 'x-widget': 'tags' },
      removeTags: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 }, title: 'Remove tags', ...zh('移除标签'), 'x-widget': 'tags' },
    },
    anyOf: [{ required: ['set'] }, { required: ['addTags'] }, { required: ['removeTags'] }],
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }],
  summaryFields: ['addTags', 'set'],
  paletteOrder: 30,
});
