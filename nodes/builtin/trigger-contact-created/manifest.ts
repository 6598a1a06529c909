import { defineManifest } from '../../contract';
import { t } from '../i18n';
import { channelsField } from '../triggers/fields';

export const triggerContactCreated = defineManifest({
  type: 'trigger.contact-created', version: 1, category: 'trigger',
  title: t('Contact created', '新建联系人'),
  description: t('Starts when a new contact is first seen on any channel.', '当首次在任一渠道见到新联系人时启动。'),
  icon: '🆕', triggerEventTypes: ['contact.created'],
  configSchema: { type: 'object', properties: { channels: channelsField }, additionalProperties: false },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['channels'], paletteOrder: 50,
});
