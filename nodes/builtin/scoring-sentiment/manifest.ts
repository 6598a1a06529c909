import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';
import { scoreNameSchema } from '../score-name';
import { textSourceSchema } from '../text-source';

export const scoringSentiment = defineManifest({
  type: 'scoring.sentiment-weighted',
  version: 1,
  category: 'scoring',
  title: t('Sentiment-weighted score', '情感加权评分'),
  description: t(
    'Changes a score by points × the text\'s sentiment (−1…1): praise raises a loyalty score, or complaints raise a risk score.',
    '按 分值 × 文本情感（−1…1）改变分数：好评提升忠诚度，或投诉提升风险分。',
  ),
  icon: '⚖️',
  configSchema: {
    type: 'object',
    properties: {
      score: { ...scoreNameSchema, default: 'sentiment' },
      points: { type: 'number', exclusiveMinimum: 0, maximum: 10_000, title: 'Points at full strength', ...zh('满强度分值') },
      direction: {
        type: 'string', enum: ['with', 'against'], default: 'with', title: 'Direction',
        description: 'with: positive text adds; against: negative text adds (risk scores)', ...zh('方向', 'with：正面加分；against：负面加分（风险分）'),
      },
      source: textSourceSchema,
    },
    required: ['score', 'points'],
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }],
  summaryFields: ['score', 'points', 'direction'],
  paletteOrder: 30,
});
