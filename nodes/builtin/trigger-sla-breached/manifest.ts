import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const triggerSlaBreached = defineManifest({
  type: 'trigger.sla-breached', version: 1, category: 'trigger',
  title: t('Ticket SLA breached', '工单超时'),
  description: t('Starts when a ticket got no first response within its SLA.', '当工单在时限内未得到首次响应时启动。'),
  icon: '⏰', triggerEventTypes: ['ticket.sla_breached'],
  configSchema: {
    type: 'object',
    properties: { priorities: { type: 'array', uniqueItems: true, items: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] }, title: 'Only these priorities', ...zh('仅限这些优先级') } },
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['priorities'], paletteOrder: 120,
});
