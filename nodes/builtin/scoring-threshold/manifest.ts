import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';
import { scoreNameSchema } from '../score-name';

export const scoringThreshold = defineManifest({
  type: 'scoring.threshold',
  version: 1,
  category: 'scoring',
  title: t('Score threshold', '分数阈值'),
  description: t('Branches on whether a score is at or above a threshold.', '按分数是否达到阈值分支。'),
  icon: '🎯',
  configSchema: {
    type: 'object',
    properties: {
      score: scoreNameSchema,
      threshold: { type: 'number', title: 'Threshold', ...zh('阈值') },
    },
    required: ['score', 'threshold'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'above', label: t('At or above', '达到或超过') },
    { id: 'below', label: t('Below', '低于') },
  ],
  execution: { pure: true, timeoutMs: 10_000 },
  summaryFields: ['score', 'threshold'],
  paletteOrder: 40,
});
