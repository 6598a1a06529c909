import { defineManifest } from '../../contract';
import { segmentNameSchema } from '../filter-segment/manifest';
import { t, zh } from '../i18n';

export const responseSegment = defineManifest({
  type: 'response.segment',
  version: 1,
  category: 'response',
  title: t('Add to / remove from segment', '加入 / 移出分群'),
  description: t('Adds the contact to segments or removes it; entering a segment emits segment.entered.', '将联系人加入或移出分群；加入分群会产生 segment.entered 事件。'),
  icon: '🧩',
  configSchema: {
    type: 'object',
    properties: {
      add: { type: 'array', uniqueItems: true, items: segmentNameSchema, title: 'Add to', ...zh('加入'), 'x-widget': 'segment' },
      remove: { type: 'array', uniqueItems: true, items: segmentNameSchema, title: 'Remove from', ...zh('移出'), 'x-widget': 'segment' },
    },
    anyOf: [{ required: ['add'] }, { required: ['remove'] }],
    additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }],
  summaryFields: ['add', 'remove'],
  paletteOrder: 70,
});
