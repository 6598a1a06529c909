import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

const hhmm = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;

export const filterBusinessHours = defineManifest({
  type: 'filter.business-hours',
  version: 1,
  category: 'filter',
  title: t('Business hours', '工作时间'),
  description: t(
    'Routes by whether now falls in a weekly time window, in the contact\'s time zone or the workspace\'s.',
    '按当前时间是否在每周时间窗口内分流，可用联系人时区或工作区时区。',
  ),
  icon: '🕘',
  configSchema: {
    type: 'object',
    properties: {
      days: {
        type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 0, maximum: 6 }, default: [1, 2, 3, 4, 5],
        title: 'Days (0 = Sunday)', ...zh('星期（0 = 周日）'),
      },
      start: { ...hhmm, title: 'From', ...zh('开始') },
      end: { ...hhmm, title: 'Until', ...zh('结束') },
      timezone: {
        type: 'string', minLength: 1, maxLength: 64, format: 'time-zone-or-contact', default: 'contact', title: 'Time zone',
        description: '"contact" uses profile.timezone, falling back to the workspace time zone', ...zh('时区', '"contact" 使用联系人的 profile.timezone，没有时使用工作区时区'),
      },
      workspaceTimezone: { type: 'string', minLength: 1, maxLength: 64, format: 'time-zone', default: 'Asia/Shanghai', title: 'Workspace time zone', ...zh('工作区时区') },
    },
    required: ['days', 'start', 'end'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'inside', label: t('Inside hours', '工作时间内') },
    { id: 'outside', label: t('Outside hours', '工作时间外') },
  ],
  execution: { pure: true, timeoutMs: 10_000 },
  summaryFields: ['start', 'end', 'timezone'],
  paletteOrder: 70,
});
