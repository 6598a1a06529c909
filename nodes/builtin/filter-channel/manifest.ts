import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';
import { textSourceSchema } from '../text-source';

export const filterChannel = defineManifest({
  type: 'filter.channel',
  version: 1,
  category: 'filter',
  title: t('Channel', '渠道'),
  description: t('Routes by the channel the event came from (weibo, wechat, x, email…).', '按事件来源渠道分流（微博、微信、X、邮件…）。'),
  icon: '📡',
  configSchema: {
    type: 'object',
    properties: {
      channels: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' }, title: 'Channels', ...zh('渠道'), 'x-widget': 'channel' },
      source: { ...textSourceSchema, title: 'Event', ...zh('事件') },
    },
    required: ['channels'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'yes', label: t('Yes', '是') },
    { id: 'no', label: t('No', '否') },
  ],
  execution: { pure: true, timeoutMs: 10_000 },
  summaryFields: ['channels'],
  paletteOrder: 40,
});
