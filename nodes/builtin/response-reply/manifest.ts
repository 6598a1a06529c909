import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const responseReply = defineManifest({
  type: 'response.reply',
  version: 1,
  category: 'response',
  title: t('Reply on channel', '渠道回复'),
  description: t(
    'Answers the contact on the channel of the latest event: a public reply to the post or a direct message.',
    '在最新事件所在的渠道回复联系人：公开回复帖子或发送私信。',
  ),
  icon: '💬',
  configSchema: {
    type: 'object',
    properties: {
      mode: { type: 'string', enum: ['reply', 'dm'], default: 'reply', title: 'Send as', ...zh('发送方式') },
      message: {
        type: 'string', minLength: 1, maxLength: 2000, title: 'Message',
        description: 'Use {{contact.profile.name}} or {{event.text}}', ...zh('消息内容', '可使用 {{contact.profile.name}} 或 {{event.text}}'),
        'x-widget': 'template',
      },
    },
    required: ['mode', 'message'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'sent', label: t('Sent', '已发送') },
    { id: 'skipped', label: t('Not sent', '未发送') },
    { id: 'blocked', label: t('Blocked by platform rules', '被平台规则拦截') },
  ],
  execution: { timeoutMs: 20_000, idempotency: 'visit' },
  summaryFields: ['mode', 'message'],
  paletteOrder: 10,
});
