import { defineManifest } from '../../contract';
import { durationSchema } from '../../duration';
import { t, zh } from '../i18n';

/**
 * Experiment paths: unlike the random split (a workflow-interpreted flow node), the choice needs the journey's
 * conversion history, so this node runs as an activity and asks the engine's experiment service.
 */
export const flowExperiment = defineManifest({
  type: 'flow.experiment',
  version: 1,
  category: 'flow',
  title: t('Experiment paths', '实验路径'),
  description: t(
    'Paths compete on the journey\'s goal: entries are split by weight during the evaluation window, then the path with the best conversion rate takes all later entries. The choice is recorded.',
    '多条路径按旅程目标竞争：评估期内按权重分流，之后转化率最高的路径接收所有新进入者。选择结果会被记录。',
  ),
  icon: '🧪',
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
            weight: { type: 'number', exclusiveMinimum: 0, default: 1, title: 'Weight', ...zh('权重') },
          },
          required: ['id'], additionalProperties: false,
        },
      },
      evaluation: { ...durationSchema, title: 'Evaluation window', ...zh('评估期') },
      minPerPath: { type: 'integer', minimum: 1, maximum: 100_000, default: 20, title: 'Minimum entries per path', description: 'Before a winner is declared', ...zh('每条路径最少进入数', '达到后才判定胜出者') },
    },
    required: ['branches', 'evaluation'],
    additionalProperties: false,
  },
  outputs: [],
  portsFromConfig: { arrayField: 'branches', idField: 'id', labelField: 'label' },
  execution: { timeoutMs: 20_000, idempotency: 'enrollment' },
  summaryFields: ['branches', 'evaluation'],
  paletteOrder: 70,
});
