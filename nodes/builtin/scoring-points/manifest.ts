import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const scoringPoints = defineManifest({
  type: 'scoring.points',
  version: 1,
  category: 'scoring',
  title: t('Add points', '加减分'),
  description: t('Adds (or subtracts) points to a named score of the contact, with a reason.', '为联系人的指定分数加分或减分，并注明原因。'),
  icon: '➕',
  configSchema: {
    type: 'object',
    properties: {
      score: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', default: 'lead', title: 'Score', ...zh('分数名称') },
      points: { type: 'number', not: { const: 0 }, title: 'Points', description: 'Negative subtracts', ...zh('分值', '负数表示减分') },
      reason: { type: 'string', minLength: 1, maxLength: 200, title: 'Reason', ...zh('原因') },
    },
    required: ['score', 'points', 'reason'],
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }],
  execution: { idempotency: 'visit' },
  summaryFields: ['score', 'points'],
  paletteOrder: 10,
});
