import { defineManifest } from '../../contract';
import { t } from '../i18n';
import { channelsField, conditionsField, keywordsField } from '../triggers/fields';

export const triggerDirectMessage = defineManifest({
  type: 'trigger.direct-message', version: 1, category: 'trigger',
  title: t('Direct message', '私信'),
  description: t('Starts when a contact sends the brand a direct message.', '当联系人给品牌发送私信时启动。'),
  icon: '✉️', triggerEventTypes: ['social.dm'],
  configSchema: { type: 'object', properties: { channels: channelsField, keywords: keywordsField, conditions: conditionsField }, additionalProperties: false },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['channels', 'keywords'], paletteOrder: 30,
});
