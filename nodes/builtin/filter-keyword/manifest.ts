import { defineManifest } from '../../contract';
import { INTENT_NAMES } from '../../text/intents';
import { t, zh } from '../i18n';
import { textSourceSchema } from '../text-source';

export const filterKeyword = defineManifest({
  type: 'filter.keyword',
  version: 1,
  category: 'filter',
  title: t('Keyword / intent', '关键词 / 意图'),
  description: t(
    'Routes when the text mentions keywords (with synonyms) or shows an intent such as refund or complaint. Chinese is segmented into words, English matched on word boundaries.',
    '当文本提到关键词（含同义词）或表现出退款、投诉等意图时分流。中文按分词匹配，英文按单词边界匹配。',
  ),
  icon: '🔎',
  configSchema: {
    type: 'object',
    properties: {
      keywords: {
        type: 'array', uniqueItems: true, maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 100 },
        title: 'Keywords', ...zh('关键词'), 'x-widget': 'tags',
      },
      synonyms: {
        type: 'object', title: 'Synonyms', description: 'keyword → words that count as it, e.g. 退款 → 退钱, refund',
        additionalProperties: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 } },
        ...zh('同义词', '关键词 → 视为同一关键词的词，例如 退款 → 退钱、refund'),
      },
      intents: {
        type: 'array', uniqueItems: true, items: { type: 'string', enum: INTENT_NAMES }, title: 'Intents', ...zh('意图'),
      },
      mode: { type: 'string', enum: ['any', 'all'], default: 'any', title: 'Match', description: 'any: one keyword suffices; all: every keyword', ...zh('匹配方式', 'any：任一关键词；all：全部关键词') },
      source: textSourceSchema,
    },
    anyOf: [{ required: ['keywords'] }, { required: ['intents'] }],
    additionalProperties: false,
  },
  outputs: [
    { id: 'yes', label: t('Matched', '匹配') },
    { id: 'no', label: t('No match', '不匹配') },
  ],
  execution: { pure: true, timeoutMs: 10_000 },
  summaryFields: ['keywords', 'intents'],
  paletteOrder: 30,
});
