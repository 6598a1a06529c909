import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';
import { channelsField, keywordsField } from '../triggers/fields';

export const triggerCrisis = defineManifest({
  type: 'trigger.crisis-detected', version: 1, category: 'trigger',
  title: t('Crisis detected', '检测到危机'),
  description: t(
    'Starts once per window when negative mentions of a topic rise above their recent baseline by a factor.',
    '当某话题的负面提及超过近期基线的指定倍数时启动，每个时间窗口只触发一次。',
  ),
  icon: '🚨', triggerEventTypes: ['crisis.detected'],
  configSchema: {
    type: 'object',
    properties: {
      topic: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^|]+$', title: 'Topic name', ...zh('话题名称') },
      keywords: { ...keywordsField, title: 'Topic keywords', description: 'Mentions counted for the topic; empty counts every negative mention', ...zh('话题关键词', '计入该话题的提及；留空则计入所有负面提及') },
      sourceChannels: { ...channelsField, title: 'Count mentions from', ...zh('统计这些渠道的提及') },
      windowMinutes: { type: 'number', exclusiveMinimum: 0, maximum: 10_080, default: 60, title: 'Window (minutes)', ...zh('时间窗口（分钟）') },
      baselineWindows: { type: 'integer', minimum: 0, maximum: 500, default: 24, title: 'Baseline windows', ...zh('基线窗口数') },
      factor: { type: 'number', exclusiveMinimum: 0, maximum: 1000, default: 3, title: 'Rise factor', ...zh('上升倍数') },
      minCount: { type: 'integer', minimum: 1, maximum: 100_000, default: 5, title: 'Minimum negative mentions', ...zh('最少负面提及数') },
    },
    required: ['topic'], additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['topic', 'factor', 'windowMinutes'], paletteOrder: 110,
});
