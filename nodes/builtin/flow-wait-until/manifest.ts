import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

const hhmm = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;

/** Interpreted by the workflow (a timer to the next window): no runtime. */
export const flowWaitUntil = defineManifest({
  type: 'flow.wait-until', version: 1, category: 'flow', flow: 'wait-until',
  title: t('Wait for time window', '等待时间窗口'),
  description: t(
    'Waits until the next allowed window (e.g. weekdays 09:00–18:00) in the contact\'s or a fixed time zone.',
    '等到下一个允许的时间窗口（如工作日 09:00–18:00），按联系人或指定时区计算。',
  ),
  icon: '🕘',
  configSchema: {
    type: 'object',
    properties: {
      days: {
        type: 'array', minItems: 1, uniqueItems: true, title: 'Days (0 = Sunday)', ...zh('星期（0 = 周日）'),
        items: { type: 'integer', minimum: 0, maximum: 6 }, default: [1, 2, 3, 4, 5],
      },
      start: { ...hhmm, title: 'From', ...zh('开始') },
      end: { ...hhmm, title: 'Until', ...zh('结束') },
      timezone: {
        type: 'string', minLength: 1, maxLength: 64, format: 'time-zone-or-contact', default: 'contact', title: 'Time zone',
        description: '"contact" uses the contact\'s profile.timezone, else the journey\'s', ...zh('时区', '"contact" 表示使用联系人的 profile.timezone'),
      },
    },
    required: ['days', 'start', 'end'], additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['start', 'end'], paletteOrder: 20,
});
