import { conditionGroupSchema } from '../../conditions';
import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const filterCondition = defineManifest({
  type: 'filter.condition',
  version: 1,
  category: 'filter',
  title: t('Condition', '条件'),
  description: t('Routes the contact by rules on contact and event fields.', '根据联系人和事件字段的规则分流。'),
  icon: '🔀',
  configSchema: {
    type: 'object',
    properties: { conditions: { ...conditionGroupSchema, ...zh('条件') } },
    required: ['conditions'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'yes', label: t('Yes', '是') },
    { id: 'no', label: t('No', '否') },
  ],
  execution: { pure: true, timeoutMs: 10_000 },
  summaryFields: ['conditions'],
  paletteOrder: 10,
});
