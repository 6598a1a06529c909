import { defineManifest } from '../../contract';
import { t } from '../i18n';
import { channelsField, conditionsField, keywordsField } from '../triggers/fields';

export const triggerMention = defineManifest({
  type: 'trigger.social-mention', version: 1, category: 'trigger',
  title: t('Social mention / comment', '社交提及 / 评论'),
  description: t('Starts when someone mentions the brand or comments on its posts.', '当有人提及品牌或评论品牌帖子时启动。'),
  icon: '📢', triggerEventTypes: ['social.mention', 'social.comment'],
  configSchema: { type: 'object', properties: { channels: channelsField, keywords: keywordsField, conditions: conditionsField }, additionalProperties: false },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['channels', 'keywords'], paletteOrder: 20,
});
