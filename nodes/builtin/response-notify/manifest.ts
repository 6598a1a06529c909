import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const responseNotify = defineManifest({
  type: 'response.notify-team',
  version: 1,
  category: 'response',
  title: t('Notify team', '通知团队'),
  description: t(
    'Alerts your team (a chat webhook, an email list or the in-app inbox) about this contact and event.',
    '就该联系人和事件提醒你的团队（聊天群 Webhook、邮件组或应用内收件箱）。',
  ),
  icon: '📣',
  configSchema: {
    type: 'object',
    properties: {
      channel: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$', default: 'team', title: 'Team channel', description: 'A configured channel; "team" is the in-app inbox', ...zh('团队渠道', '已配置的渠道；"team" 为应用内收件箱'), 'x-widget': 'channel' },
      to: { type: 'string', minLength: 1, maxLength: 200, title: 'Recipient', description: 'e.g. #social-care or care@brand.com', ...zh('接收人', '例如 #social-care 或 care@brand.com') },
      message: { type: 'string', minLength: 1, maxLength: 4000, title: 'Message', ...zh('消息'), 'x-widget': 'template' },
    },
    required: ['to', 'message'],
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }],
  execution: { timeoutMs: 20_000, idempotency: 'visit' },
  summaryFields: ['to'],
  paletteOrder: 60,
});
