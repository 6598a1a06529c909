import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';
import { scoreNameSchema } from '../score-name';

export const triggerScoreThreshold = defineManifest({
  type: 'trigger.score-threshold', version: 1, category: 'trigger',
  title: t('Score crossed a threshold', '分数越过阈值'),
  description: t('Starts when a score rises to (or falls below) a threshold.', '当分数升至（或跌破）阈值时启动。'),
  icon: '🎯', triggerEventTypes: ['score.changed'],
  configSchema: {
    type: 'object',
    properties: {
      score: scoreNameSchema,
      threshold: { type: 'number', title: 'Threshold', ...zh('阈值') },
      direction: { type: 'string', enum: ['up', 'down'], default: 'up', title: 'Direction', description: 'up: rises to or above; down: falls below', ...zh('方向', 'up：升至或超过；down：跌破') },
    },
    required: ['score', 'threshold'], additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['score', 'threshold', 'direction'], paletteOrder: 80,
});
