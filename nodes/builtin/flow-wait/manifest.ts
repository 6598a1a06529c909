import { defineManifest } from '../../contract';
import { durationSchema } from '../../duration';
import { t, zh } from '../i18n';

/** Interpreted by the workflow (a durable timer): no runtime. */
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
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['duration'], paletteOrder: 10,
});
