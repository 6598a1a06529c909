import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';
import { textSourceSchema } from '../text-source';

export const filterSentiment = defineManifest({
  type: 'filter.sentiment',
  version: 1,
  category: 'filter',
  title: t('Sentiment', '情感'),
  description: t(
    'Routes by the sentiment of the post or message (Chinese and English): label, optionally with a minimum strength.',
    '按帖子或消息的情感分流（中英文）：情感标签，可设最低强度。',
  ),
  icon: '🙂',
  configSchema: {
    type: 'object',
    properties: {
      label: { type: 'string', enum: ['negative', 'neutral', 'positive'], title: 'Sentiment is', ...zh('情感为') },
      threshold: {
        type: 'number', minimum: 0, maximum: 1, title: 'Minimum strength',
        description: 'Score (0–1) the text must reach in that direction; empty uses the analyzer\'s label',
        ...zh('最低强度', '文本在该方向上需达到的分值（0–1）；留空则按分析器的标签判断'),
      },
      source: textSourceSchema,
    },
    required: ['label'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'yes', label: t('Yes', '是') },
    { id: 'no', label: t('No', '否') },
  ],
  execution: { pure: true, timeoutMs: 10_000 },
  summaryFields: ['label', 'threshold'],
  paletteOrder: 20,
});
