/** The connection test's one Graph call, and what it says the credentials are (connection-test.ts words it). */
import type { MetaChannelSettings } from '../../store/channel-configs';
import { metaAccount } from './adapter';
import { whoAmI } from './client';

export { MetaApiError, metaCodeText } from './client';

/** "Page name (id)" or "+1 555… (verified name)"; throws as every Graph call does. */
export async function whoAmIFor(c: { workspaceId: string; channel: string; settings: MetaChannelSettings; accessToken: string; appSecret: string | undefined }): Promise<string> {
  const body = await whoAmI(metaAccount(c), c.settings.phoneNumberId);
  const s = (v: unknown) => (typeof v === 'string' ? v.slice(0, 120) : '');
  return c.settings.platform === 'whatsapp'
    ? `${s(body.display_phone_number) || s(body.id)}${body.verified_name ? ` (${s(body.verified_name)})` : ''}`
    : `${s(body.name) || '?'} (${s(body.id)})`;
}
