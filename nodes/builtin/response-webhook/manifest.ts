import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const responseWebhook = defineManifest({
  type: 'response.webhook',
  version: 1,
  category: 'response',
  title: t('Call webhook', '调用 Webhook'),
  description: t(
    'Sends an HTTP request (with an Idempotency-Key header) to any endpoint: SMS gateways, helpdesks, your backend.',
    '向任意端点发送 HTTP 请求（带 Idempotency-Key 头）：短信网关、工单系统、你的后端。',
  ),
  icon: '🌐',
  configSchema: {
    type: 'object',
    properties: {
      url: { type: 'string', format: 'uri', pattern: '^https?://', title: 'URL', ...zh('地址') },
      method: { type: 'string', enum: ['POST', 'PUT', 'PATCH'], default: 'POST', title: 'Method', ...zh('方法') },
      headers: { type: 'object', additionalProperties: { type: 'string' }, title: 'Headers', ...zh('请求头') },
      body: { type: 'string', maxLength: 20_000, title: 'Body template', ...zh('请求体模板'), 'x-widget': 'template' },
      timeoutSeconds: { type: 'number', minimum: 1, maximum: 60, default: 10, title: 'Timeout (s)', ...zh('超时（秒）') },
    },
    required: ['url', 'method'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'success', label: t('2xx', '成功') },
    { id: 'failed', label: t('Failed', '失败') },
  ],
  execution: { timeoutMs: 70_000, isolated: true, idempotency: 'visit' },
  summaryFields: ['method', 'url'],
  paletteOrder: 20,
});
