import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

/** Interpreted by the workflow (its deterministic random): no runtime. */
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
  execution: { pure: true }, summaryFields: ['branches'], paletteOrder: 40,
});
