/**
 * The adapter of every channel a workspace connected through the API (`PUT /api/v1/channels/:channel`): generic
 * HTTP platforms and SMTP email. Channels not connected fall back to JOURNEYS_SMTP_URL for email, else are only
 * recorded in the outbox (so journeys can be built and tested before a platform is connected).
 */
import type { OutboundMessage } from '../../nodes/contract';
import { channelToken, getChannelConfig, type ChannelConfigDoc } from '../store/channel-configs';
import type { Store } from '../store/db';
import { recordingAdapter, workspaceOfKey, type ChannelAdapter } from './channel-adapter';
import { httpFetchProfile, httpSend } from './http-adapter';
import { smtpSend, smtpSettingsFromUrl } from './smtp-adapter';

const CACHE_MS = 2000;

export function workspaceChannelsAdapter(store: Store, opts: { smtpUrl?: string } = {}): ChannelAdapter {
  const cache = new Map<string, { at: number; doc: ChannelConfigDoc | null }>();
  async function config(workspaceId: string, channel: string): Promise<ChannelConfigDoc | null> {
    const key = `${workspaceId}|${channel}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.doc;
    const doc = await getChannelConfig(store, workspaceId, channel);
    if (cache.size > 1000) cache.clear();
    cache.set(key, { at: Date.now(), doc });
    return doc;
  }
  const envSmtp = opts.smtpUrl ? smtpSettingsFromUrl(opts.smtpUrl) : undefined;

  return {
    channels: ['*'],
    async send(message: OutboundMessage, idempotencyKey: string) {
      const ws = workspaceOfKey(idempotencyKey);
      const cfg = await config(ws, message.channel);
      if (cfg?.settings.kind === 'http') return httpSend(cfg.settings, await channelToken(store, ws, message.channel), message, idempotencyKey);
      if (cfg?.settings.kind === 'smtp') return smtpSend(cfg.settings, await channelToken(store, ws, message.channel), message, idempotencyKey);
      if (message.channel === 'email' && envSmtp) return smtpSend(envSmtp.settings, envSmtp.password, message, idempotencyKey);
      return recordingAdapter.send(message, idempotencyKey);
    },
    async fetchProfile(workspaceId, channel, handle) {
      const cfg = await config(workspaceId, channel);
      if (cfg?.settings.kind !== 'http') return undefined;
      return httpFetchProfile(cfg.settings, await channelToken(store, workspaceId, channel), handle);
    },
  };
}
