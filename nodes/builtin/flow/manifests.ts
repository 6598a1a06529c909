/** Flow nodes: the workflow interprets them (timers, signals, deterministic random); they have no runtime. */
import { conditionGroupSchema } from '../../conditions';
import { defineManifest } from '../../contract';
import { durationSchema } from '../../duration';
import { t, zh } from '../i18n';

const next = [{ id: 'next', label: t('Next', '下一步') }];
const flowExecution = { pure: true } as const;

export const flowWait = defineManifest({
  type: 'flow.wait', version: 1, category: 'flow', flow: 'wait',
  title: t('Wait', '等待'),
  description: t('Waits a duration: minutes for a follow-up, weeks for a drip.', '等待一段时间：跟进可等几分钟，培育可等几周。'),
  icon: '⏳',
  configSchema: {
    type: 'object',
    properties: { duration: { ...durationSchema, title: 'Wait for', ...zh('等待时长') } },
    required: ['duration'], additionalProperties: false,
  },
  outputs: next, execution: flowExecution, summaryFields: ['duration'],
});

const hhmm = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;

export const flowWaitUntil = defineManifest({
  type: 'flow.wait-until', version: 1, category: 'flow', flow: 'wait-until',
  title: t('Wait for time window', '等待时间窗口'),
  description: t(
    'Waits until the next allowed window (e.g. weekdays 09:00–18:00) in the contact\'s or a fixed time zone.',
    '等到下一个允许的时间窗口（如工作日 09:00–18:00），按联系人或指定时区计算。',
  ),
  icon: '🕘',
  configSchema: {
    type: 'object',
    properties: {
      days: {
        type: 'array', minItems: 1, uniqueItems: true, title: 'Days (0 = Sunday)', ...zh('星期（0 = 周日）'),
        items: { type: 'integer', minimum: 0, maximum: 6 }, default: [1, 2, 3, 4, 5],
      },
      start: { ...hhmm, title: 'From', ...zh('开始') },
      end: { ...hhmm, title: 'Until', ...zh('结束') },
      timezone: {
        type: 'string', minLength: 1, maxLength: 64, format: 'time-zone-or-contact', default: 'contact', title: 'Time zone',
        description: '"contact" uses the contact\'s profile.timezone, else the journey\'s', ...zh('时区', '"contact" 表示使用联系人的 profile.timezone'),
      },
    },
    required: ['days', 'start', 'end'], additionalProperties: false,
  },
  outputs: next, execution: flowExecution, summaryFields: ['start', 'end'],
});

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
  execution: flowExecution, summaryFields: ['eventTypes', 'timeout'],
});

export const flowSplit = defineManifest({
  type: 'flow.split', version: 1, category: 'flow', flow: 'split',
  title: t('Random split', '随机分流'),
  description: t('Sends contacts down weighted random paths (A/B tests).', '按权重随机分配路径（A/B 测试）。'),
  icon: '🎲',
  configSchema: {
    type: 'object',
    properties: {
      branches: {
        type: 'array', minItems: 2, maxItems: 10, title: 'Paths', ...zh('路径'),
        items: {
          type: 'object',
          properties: {
            id: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$', title: 'Port id', ...zh('端口 ID') },
            label: { type: 'string', minLength: 1, maxLength: 60, title: 'Label', ...zh('名称') },
            weight: { type: 'number', exclusiveMinimum: 0, title: 'Weight', ...zh('权重') },
          },
          required: ['id', 'weight'], additionalProperties: false,
        },
      },
    },
    required: ['branches'], additionalProperties: false,
  },
  outputs: [],
  portsFromConfig: { arrayField: 'branches', idField: 'id', labelField: 'label' },
  execution: flowExecution, summaryFields: ['branches'],
});

export const flowGoal = defineManifest({
  type: 'flow.goal', version: 1, category: 'flow', flow: 'goal',
  title: t('Goal reached', '达成目标'),
  description: t('Counts the contact as converted and ends the journey.', '记为转化并结束旅程。'),
  icon: '🏁',
  configSchema: {
    type: 'object',
    properties: { name: { type: 'string', maxLength: 60, title: 'Goal name', ...zh('目标名称') } },
    additionalProperties: false,
  },
  outputs: [], execution: flowExecution, summaryFields: ['name'],
});

export const flowEnd = defineManifest({
  type: 'flow.end', version: 1, category: 'flow', flow: 'end',
  title: t('End', '结束'),
  description: t('Ends the journey for this contact.', '为该联系人结束旅程。'),
  icon: '⏹️',
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  outputs: [], execution: flowExecution,
});
