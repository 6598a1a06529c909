import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

/** Interpreted by the workflow (it records the conversion and ends the run): no runtime. */
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
  outputs: [], execution: { pure: true }, summaryFields: ['name'], paletteOrder: 50,
});
