import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';
import { scoreNameSchema } from '../score-name';

export const scoringEngagement = defineManifest({
  type: 'scoring.engagement',
  version: 1,
  category: 'scoring',
  title: t('Engagement score (decay)', '活跃度评分（衰减）'),
  description: t(
    'Adds points to an engagement score that decays over time: after one half-life an old interaction counts half.',
    '为随时间衰减的活跃度分数加分：经过一个半衰期，旧的互动只算一半。',
  ),
  icon: '📈',
  configSchema: {
    type: 'object',
    properties: {
      score: { ...scoreNameSchema, default: 'engagement' },
      points: { type: 'number', exclusiveMinimum: 0, maximum: 10_000, title: 'Points for this interaction', ...zh('本次互动分值') },
      halfLifeDays: { type: 'number', exclusiveMinimum: 0, maximum: 3650, default: 30, title: 'Half-life (days)', ...zh('半衰期（天）') },
      reason: { type: 'string', minLength: 1, maxLength: 200, title: 'Reason', ...zh('原因') },
    },
    required: ['score', 'points', 'reason'],
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }],
  summaryFields: ['score', 'points', 'halfLifeDays'],
  paletteOrder: 20,
});
