import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const responseEmail = defineManifest({
  type: 'response.email',
  version: 1,
  category: 'response',
  title: t('Send email', '发送邮件'),
  description: t(
    'Sends an email over SMTP to the contact\'s address. Templates may use {{contact.profile.name}} and {{event.text}}; values are HTML-escaped.',
    '通过 SMTP 向联系人的邮箱发送邮件。模板可使用 {{contact.profile.name}} 和 {{event.text}}；变量值会做 HTML 转义。',
  ),
  icon: '✉️',
  configSchema: {
    type: 'object',
    properties: {
      subject: { type: 'string', minLength: 1, maxLength: 300, title: 'Subject', ...zh('主题'), 'x-widget': 'template' },
      html: { type: 'string', minLength: 1, maxLength: 100_000, title: 'Body (HTML)', ...zh('正文（HTML）'), 'x-widget': 'template' },
      text: { type: 'string', maxLength: 100_000, title: 'Plain-text body', description: 'Defaults to the HTML body without tags', ...zh('纯文本正文', '默认由 HTML 正文去掉标签生成'), 'x-widget': 'template' },
      campaign: { type: 'string', maxLength: 100, title: 'Campaign tag', description: 'Sent along so opens and clicks can be attributed', ...zh('活动标记', '随邮件发送，用于归因打开和点击') },
    },
    required: ['subject', 'html'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'sent', label: t('Sent', '已发送') },
    { id: 'skipped', label: t('Not sent', '未发送') },
  ],
  execution: { timeoutMs: 30_000, idempotency: 'visit' },
  summaryFields: ['subject'],
  paletteOrder: 40,
});
