import { defineManifest } from '../../contract';
import { segmentNameSchema } from '../filter-segment/manifest';
import { t, zh } from '../i18n';

export const triggerBroadcast = defineManifest({
  type: 'trigger.scheduled-broadcast', version: 1, category: 'trigger',
  title: t('Scheduled broadcast', '定时群发'),
  description: t(
    'Enrolls every member of a segment on a cron schedule in a time zone; large segments are enrolled in batches.',
    '按时区内的 cron 计划，将分群内所有成员加入旅程；大分群分批加入。',
  ),
  icon: '📅', triggerEventTypes: ['broadcast.due'],
  configSchema: {
    type: 'object',
    properties: {
      cron: { type: 'string', minLength: 9, maxLength: 100, format: 'cron', title: 'Schedule (cron)', description: 'e.g. "0 10 * * 1" = Mondays 10:00', ...zh('计划（cron）', '例如 "0 10 * * 1" = 每周一 10:00') },
      timezone: { type: 'string', minLength: 1, maxLength: 64, format: 'time-zone', default: 'Asia/Shanghai', title: 'Time zone', ...zh('时区') },
      segment: { ...segmentNameSchema, title: 'Segment', ...zh('分群'), 'x-widget': 'segment' },
      batchSize: { type: 'integer', minimum: 1, maximum: 5000, default: 500, title: 'Batch size', ...zh('每批人数') },
    },
    required: ['cron', 'segment'], additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['cron', 'segment'], paletteOrder: 100,
});
