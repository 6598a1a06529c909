import { defineManifest } from '../../contract';
import { segmentNameSchema } from '../filter-segment/manifest';
import { t, zh } from '../i18n';

export const triggerSegmentEntered = defineManifest({
  type: 'trigger.segment-entered', version: 1, category: 'trigger',
  title: t('Segment entered', '进入分群'),
  description: t('Starts when a contact enters one of these segments.', '当联系人进入这些分群之一时启动。'),
  icon: '👥', triggerEventTypes: ['segment.entered'],
  configSchema: {
    type: 'object',
    properties: { segments: { type: 'array', minItems: 1, uniqueItems: true, items: segmentNameSchema, title: 'Segments', ...zh('分群'), 'x-widget': 'segment' } },
    required: ['segments'], additionalProperties: false,
  },
  outputs: [{ id: 'next', label: t('Next', '下一步') }], execution: { pure: true }, summaryFields: ['segments'], paletteOrder: 90,
});
