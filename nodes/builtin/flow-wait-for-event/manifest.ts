import { conditionGroupSchema } from '../../conditions';
import { defineManifest } from '../../contract';
import { durationSchema } from '../../duration';
import { t, zh } from '../i18n';

/** Interpreted by the workflow (a signal raced against a timer): no runtime. */
export const flowWaitForEvent = defineManifest({
  type: 'flow.wait-for-event', version: 1, category: 'flow', flow: 'wait-for-event',
  title: t('Wait for event', '等待事件'),
  description: t(
    'Waits for the contact to do something (reply, open, submit) until a timeout; branches on which came first.',
    '等待联系人的行为（回复、打开、提交）直到超时；按先发生者分支。',
  ),
  icon: '📨',
  configSchema: {
    type: 'object',
    properties: {
      eventTypes: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 }, title: 'Event types', ...zh('事件类型') },
      sameThread: { type: 'boolean', default: false, title: 'Only on the same thread', description: 'A reply in the conversation or post the journey answered', ...zh('仅限同一会话') },
      conditions: { ...conditionGroupSchema, title: 'Only when', ...zh('仅当') },
      timeout: { ...durationSchema, title: 'Give up after', ...zh('超时时间') },
    },
    required: ['eventTypes', 'timeout'], additionalProperties: false,
  },
  outputs: [
    { id: 'received', label: t('Received', '已收到') },
    { id: 'timed_out', label: t('Timed out', '已超时') },
  ],
  execution: { pure: true }, summaryFields: ['eventTypes', 'timeout'], paletteOrder: 30,
});
