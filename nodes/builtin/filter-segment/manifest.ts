import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const segmentNameSchema = { type: 'string', pattern: '^[A-Za-z0-9_\\-\\p{L}]{1,64}$' } as const;

export const filterSegment = defineManifest({
  type: 'filter.segment',
  version: 1,
  category: 'filter',
  title: t('Segment membership', '分群成员'),
  description: t('Routes by whether the contact belongs to segments.', '按联系人是否属于指定分群分流。'),
  icon: '👥',
  configSchema: {
    type: 'object',
    properties: {
      segments: { type: 'array', minItems: 1, uniqueItems: true, items: segmentNameSchema, title: 'Segments', ...zh('分群'), 'x-widget': 'segment' },
      match: { type: 'string', enum: ['any', 'all', 'none'], default: 'any', title: 'Member of', ...zh('成员条件') },
    },
    required: ['segments'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'yes', label: t('Yes', '是') },
    { id: 'no', label: t('No', '否') },
  ],
  execution: { pure: true, timeoutMs: 10_000 },
  summaryFields: ['match', 'segments'],
  paletteOrder: 60,
});
