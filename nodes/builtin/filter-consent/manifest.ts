import { defineManifest } from '../../contract';
import { t, zh } from '../i18n';

export const filterConsent = defineManifest({
  type: 'filter.consent',
  version: 1,
  category: 'filter',
  title: t('Consent', '授权同意'),
  description: t(
    'Routes by the contact\'s consent on a channel: opted out, or (strict) explicitly opted in.',
    '按联系人在某渠道的授权状态分流：已退订，或（严格模式）明确同意。',
  ),
  icon: '✅',
  configSchema: {
    type: 'object',
    properties: {
      channel: {
        type: 'string', minLength: 1, maxLength: 64, default: 'event', title: 'Channel',
        description: '"event" = the channel of the latest event', ...zh('渠道', '"event" 表示最新事件所在渠道'), 'x-widget': 'channel',
      },
      require: {
        type: 'string', enum: ['not_opted_out', 'opted_in'], default: 'not_opted_out', title: 'Requires',
        description: 'not_opted_out: anyone who has not unsubscribed; opted_in: only explicit consent',
        ...zh('要求', 'not_opted_out：未退订即可；opted_in：必须明确同意'),
      },
    },
    additionalProperties: false,
  },
  outputs: [
    { id: 'yes', label: t('Allowed', '允许') },
    { id: 'no', label: t('Not allowed', '不允许') },
  ],
  execution: { pure: true, timeoutMs: 10_000 },
  summaryFields: ['channel', 'require'],
  paletteOrder: 50,
});
