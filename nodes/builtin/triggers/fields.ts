/** Config fields several triggers offer, written once so they read and validate the same on each. */
import { conditionGroupSchema } from '../../conditions';
import { zh } from '../i18n';

export const channelsField = { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' }, title: 'Only these channels', ...zh('仅限这些渠道'), 'x-widget': 'channel' } as const;

export const keywordsField = {
  type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 100 }, title: 'Only when the text mentions',
  description: 'Any of these keywords (Chinese segmented, English on word boundaries)', ...zh('仅当文本提到', '任一关键词（中文分词，英文按单词边界）'), 'x-widget': 'tags',
} as const;

export const conditionsField = { ...conditionGroupSchema, title: 'Only when', ...zh('仅当') };
