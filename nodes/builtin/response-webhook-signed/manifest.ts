import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

/** Version 2 of response.webhook: adds an HMAC signature and a bounded retry with exponential backoff. */
export const responseWebhookV2 = defineManifest({
  type: 'response.webhook',
  version: 2,
  category: 'response',
  title: t('Call webhook / SMS gateway', '调用 Webhook / 短信网关'),
  description: t(
    'Sends an HTTP request to any endpoint (SMS gateway, helpdesk, your backend) with an Idempotency-Key, an optional HMAC-SHA256 signature, a timeout and retries with exponential backoff on 5xx/429/network errors.',
    '向任意端点（短信网关、工单系统、你的后端）发送 HTTP 请求，带 Idempotency-Key、可选 HMAC-SHA256 签名、超时，以及遇 5xx/429/网络错误时指数退避重试。',
  ),
  icon: '🌐',
  configSchema: {
    type: 'object',
    properties: {
      url: { type: 'string', format: 'uri', pattern: '^https?://', title: 'URL', ...zh('地址'), 'x-widget': 'template' },
      method: { type: 'string', enum: ['POST', 'PUT', 'PATCH'], default: 'POST', title: 'Method', ...zh('方法') },
      headers: { type: 'object', additionalProperties: { type: 'string' }, title: 'Headers', ...zh('请求头') },
      body: { type: 'string', maxLength: 20_000, title: 'Body template (JSON)', description: 'Variables are JSON-escaped', ...zh('请求体模板（JSON）', '变量会做 JSON 转义'), 'x-widget': 'template' },
      timeoutSeconds: { type: 'number', minimum: 1, maximum: 60, default: 10, title: 'Timeout (s)', ...zh('超时（秒）') },
      signingSecret: {
        type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', title: 'Signing secret (credential name)',
        description: 'Name of a stored credential; the request carries X-Journeys-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">',
        ...zh('签名密钥（凭据名）', '已保存凭据的名称；请求带 X-Journeys-Signature: t=<unix>,v1=<对 "t.body" 的 HMAC-SHA256 十六进制>'),
      },
      maxAttempts: { type: 'integer', minimum: 1, maximum: 8, default: 4, title: 'Attempts', ...zh('最多尝试次数') },
      consentChannel: {
        type: 'string', pattern: '^[a-z0-9_-]{1,64}$', title: 'Consent channel',
        description: 'When set (e.g. "sms"), contacts who opted out of this channel are not called: the node takes "Not sent"',
        ...zh('同意渠道', '设置后（如 "sms"），已退订该渠道的联系人不会被调用：节点走“未发送”'),
      },
    },
    required: ['url', 'method'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'success', label: t('2xx', '成功') },
    { id: 'failed', label: t('Failed', '失败') },
    { id: 'skipped', label: t('Not sent (no consent)', '未发送（未同意）') },
  ],
  // Retries happen inside the node (bounded by maxAttempts); the activity itself retries only on worker loss.
  execution: { timeoutMs: 300_000, isolated: true, idempotency: 'visit', retry: { maximumAttempts: 3 } },
  summaryFields: ['method', 'url'],
  paletteOrder: 80,
});
