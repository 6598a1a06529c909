import { conditionGroupSchema } from '../../conditions';
import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const triggerEvent = defineManifest({
  type: 'trigger.event',
  version: 1,
  category: 'trigger',
  title: t('Contact event', '联系人事件'),
  description: t(
    'Starts the journey when a contact event of the chosen types arrives (mention, DM, form, custom…).',
    '当选定类型的联系人事件到达时（提及、私信、表单、自定义…）启动旅程。',
  ),
  icon: '⚡',
  configSchema: {
    type: 'object',
    properties: {
      eventTypes: {
        type: 'array', minItems: 1, uniqueItems: true, title: 'Event types',
        description: 'e.g. social.mention, social.dm, form.submitted',
        items: { type: 'string', minLength: 1, pattern: '^[a-z0-9_.-]+$' },
        ...zh('事件类型', '例如 social.mention、social.dm、form.submitted'),
      },
      channels: {
        type: 'array', uniqueItems: true, title: 'Only these channels', items: { type: 'string', minLength: 1 },
        ...zh('仅限这些渠道'), 'x-widget': 'channel',
      },
      conditions: { ...conditionGroupSchema, title: 'Only when', ...zh('仅当') },
    },
    required: ['eventTypes'],
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }],
  execution: { pure: true },
  summaryFields: ['eventTypes', 'channels'],
  paletteOrder: 10,
});
