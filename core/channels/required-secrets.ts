/**
 * The secrets a channel of one platform cannot work without, for PUT /api/v1/channels/:channel: given now, or stored
 * by an earlier connection of the channel to the same platform (another platform's token is never taken for it).
 */
import type { FieldError } from '../../nodes/ajv';
import type { LocalizedText } from '../../nodes/contract';
import type { ChannelConfigDoc, ChannelSecrets, ChannelSettings } from '../store/channel-configs';

export interface RequiredSecrets {
  token?: LocalizedText;
  webhookSecret?: LocalizedText;
}

export function missingSecrets(kind: ChannelSettings['kind'], needs: RequiredSecrets, body: { settings: ChannelSettings } & ChannelSecrets, prev: ChannelConfigDoc | null): FieldError[] {
  if (body.settings.kind !== kind) return [];
  const same = prev?.settings.kind === kind;
  const out: FieldError[] = [];
  for (const name of ['token', 'webhookSecret'] as const) {
    const what = needs[name];
    const stored = name === 'token' ? prev?.hasToken : prev?.hasWebhookSecret;
    if (!what || body[name] !== undefined || (same && stored)) continue;
    out.push({ path: `/${name}`, message: `is required: ${what.en}`, code: 'required', i18n: { en: `is required: ${what.en}`, 'zh-CN': `为必填项：${what['zh-CN']}` } });
  }
  return out;
}
