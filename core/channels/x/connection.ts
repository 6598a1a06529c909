/** The connection test's one X call, and what it says the credentials are (connection-test.ts words it). */
import type { XChannelSettings } from '../../store/channel-configs';
import { xAccount, type XConnection } from './adapter';
import { whoAmI } from './client';

export { XApiError } from './client';

/** "@username (Name, id)", and whether the token is the configured account's. */
export async function xWhoAmI(c: { workspaceId: string; channel: string; settings: XChannelSettings; accessToken: string; oauth1?: XConnection['oauth1'] }): Promise<{ account: string; sameAccount: boolean }> {
  const me = await whoAmI(xAccount(c));
  const s = (v: unknown) => (typeof v === 'string' ? v.slice(0, 120) : '');
  return { account: `@${s(me.username) || '?'} (${s(me.name) || '?'}, ${s(me.id)})`, sameAccount: s(me.id) === c.settings.userId };
}
