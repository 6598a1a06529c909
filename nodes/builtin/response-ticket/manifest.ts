import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const responseTicket = defineManifest({
  type: 'response.ticket',
  version: 1,
  category: 'response',
  title: t('Create ticket', '创建工单'),
  description: t(
    'Opens a ticket for a human agent with an assignee and a response-time SLA. A breached SLA emits ticket.sla_breached, which can start a journey.',
    '为人工客服创建工单，指定处理人和响应时限（SLA）。超出时限会产生 ticket.sla_breached 事件，可启动旅程。',
  ),
  icon: '🎫',
  configSchema: {
    type: 'object',
    properties: {
      title: { type: 'string', minLength: 1, maxLength: 300, title: 'Title', ...zh('标题'), 'x-widget': 'template' },
      description: { type: 'string', maxLength: 10_000, title: 'Description', default: '{{event.text}}', ...zh('描述'), 'x-widget': 'template' },
      assignee: { type: 'string', minLength: 1, maxLength: 200, title: 'Assignee', description: 'Agent or queue', ...zh('处理人', '客服或队列') },
      priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'], default: 'normal', title: 'Priority', ...zh('优先级') },
      slaMinutes: { type: 'number', exclusiveMinimum: 0, maximum: 43_200, title: 'First response within (minutes)', ...zh('首次响应时限（分钟）') },
    },
    required: ['title', 'assignee', 'slaMinutes'],
    additionalProperties: false,
  },
  outputs: [{ id: 'created', label: t('Created', '已创建') }],
  execution: { timeoutMs: 20_000, idempotency: 'visit' },
  summaryFields: ['assignee', 'slaMinutes'],
  paletteOrder: 50,
});
