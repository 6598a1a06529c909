import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

/**
 * What to send instead when the platform's rules refuse the reply (WeChat's 48-hour window, an unfollowed account):
 * a WeChat template message (模板消息, not bound by the window), or a DM, SMS or email through another connected
 * channel to the contact's identity there. Optional: without it a refused reply takes the `blocked` port.
 */
export const fallbackSchema = {
  type: 'object',
  title: 'If the platform refuses',
  description: 'Sent instead when the platform\'s rules refuse the message (outside WeChat\'s 48-hour window…); without it the node takes "Blocked"',
  ...zh('平台拒绝时改为', '平台规则拒绝发送时（如超出微信 48 小时客服消息时限）改为发送此消息；不设置则走“被平台规则拦截”'),
  properties: {
    mode: {
      type: 'string', enum: ['template', 'dm', 'sms', 'email'], title: 'Send as',
      description: 'A template message (WeChat, WhatsApp) is not bound by the platform\'s 48- or 24-hour window',
      ...zh('发送方式', '模板消息（微信、WhatsApp）不受平台 48 或 24 小时时限约束'),
    },
    channel: {
      type: 'string', pattern: '^[a-z0-9_-]{1,64}$', title: 'Channel',
      description: 'A connected channel. Empty: the channel that refused (template, DM), "email" or "sms"',
      ...zh('渠道', '已连接的渠道。留空：拒绝发送的渠道（模板消息、私信），或 "email"、"sms"'), 'x-widget': 'channel',
    },
    text: {
      type: 'string', minLength: 1, maxLength: 2000, title: 'Message',
      description: 'DM, SMS or email text. Empty: the reply\'s message', ...zh('消息内容', '私信、短信或邮件正文。留空则使用回复的消息'), 'x-widget': 'template',
    },
    subject: { type: 'string', minLength: 1, maxLength: 300, title: 'Email subject', ...zh('邮件主题'), 'x-widget': 'template' },
    templateId: {
      type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$', title: 'Template ID or name',
      description: 'WeChat: the template ID from 广告与服务 › 模板消息; WhatsApp: the approved template\'s name',
      ...zh('模板 ID 或名称', '微信：在公众号后台“广告与服务 › 模板消息”中查看模板 ID；WhatsApp：已审核通过的模板名称'),
    },
    templateLanguage: {
      type: 'string', pattern: '^[a-z]{2,3}(_[A-Za-z]{2,4})?$', title: 'Template language (WhatsApp)',
      description: 'The language the WhatsApp template was approved in, e.g. en_US, zh_CN, pt_BR. Empty: the channel\'s template language',
      ...zh('模板语言（WhatsApp）', 'WhatsApp 模板审核通过时的语言，例如 en_US、zh_CN、pt_BR。留空则使用渠道的模板语言'),
    },
    templateData: {
      type: 'object', title: 'Template fields', description: 'Field → value, e.g. first → "Your order has shipped"; variables allowed',
      ...zh('模板字段', '字段 → 内容，例如 first → “您的订单已发货”；可使用变量'),
      propertyNames: { pattern: '^[A-Za-z0-9_]{1,32}$' }, maxProperties: 20,
      additionalProperties: { type: 'string', maxLength: 200 },
    },
    url: {
      type: 'string', pattern: '^https?://', maxLength: 1000, title: 'Template link',
      description: 'Opened when the user taps the template message', ...zh('模板跳转链接', '用户点击模板消息时打开'), 'x-widget': 'template',
    },
  },
  required: ['mode'],
  additionalProperties: false,
  // A template message names its template; an email has a subject.
  if: { properties: { mode: { const: 'template' } }, required: ['mode'] },
  then: { required: ['templateId'] },
  else: { if: { properties: { mode: { const: 'email' } }, required: ['mode'] }, then: { required: ['subject'] } },
} as const;

export const responseReply = defineManifest({
  type: 'response.reply',
  version: 1,
  category: 'response',
  title: t('Reply on channel', '渠道回复'),
  description: t(
    'Answers the contact on the channel of the latest event: a public reply to the post or a direct message. When the platform\'s rules refuse it, a fallback can send a template message (WeChat, WhatsApp), an SMS or an email instead.',
    '在最新事件所在的渠道回复联系人：公开回复帖子或发送私信。平台规则拒绝发送时，可改为发送模板消息（微信、WhatsApp）、短信或邮件。',
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
      fallback: fallbackSchema,
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
