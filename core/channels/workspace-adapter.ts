/**
 * The adapter of every channel a workspace connected through the API (`PUT /api/v1/channels/:channel`): generic
 * HTTP platforms, SMTP email, WeChat Official Accounts, WeCom customer contact, Meta (Messenger, Instagram,
 * WhatsApp) and X. Channels not connected fall back
 * to JOURNEYS_SMTP_URL for email, else are only recorded in the outbox (so journeys can be built and tested before
 * a platform is connected).
 */
import type { OutboundMessage } from '../../nodes/contract';
import { channelToken, channelWebhookSecret, getChannelConfig, type ChannelConfigDoc } from '../store/channel-configs';
import type { Store } from '../store/db';
import { recordingAdapter, workspaceOfKey, type ChannelAdapter } from './channel-adapter';
import { httpFetchProfile, httpSend } from './http-adapter';
import { metaFetchProfile, metaSend } from './meta/adapter';
import { xFetchProfile, xOAuth1Secrets, xSend, type XConnection } from './x/adapter';
import { smsSend } from './sms/adapter';
import { telegramFetchProfile, telegramSend } from './telegram/adapter';
import { slackSend } from './slack/adapter';
import { smtpSend, smtpSettingsFromUrl } from './smtp-adapter';
import type { EmailTracking } from './email-tracking';
import { wechatFetchProfile, wechatSend } from './wechat/adapter';
import { wecomFetchProfile, wecomSend, wecomSyncTags } from './wecom/adapter';
import type { TagSync } from './wecom/tags';

const CACHE_MS = 2000;

export interface ChannelOptions {
  /** SMTP for email when a workspace connected none (JOURNEYS_SMTP_URL). */
  smtpUrl?: string;
  /** Open/click tracking and List-Unsubscribe links in journeys' emails (core/channels/email-tracking.ts). */
  emailTracking?: EmailTracking;
  /** Where platforms reach the API (JOURNEYS_PUBLIC_URL): SMS status callbacks go there. */
  publicUrl?: string;
}

/**
 * The workspace adapter also carries a platform's contact tags where the platform has them (WeCom's corp tags):
 * `syncTags` marks tag names on the contact's handle of a connected channel; undefined when the channel keeps no
 * tags of its own.
 */
export interface WorkspaceChannelsAdapter extends ChannelAdapter {
  syncTags(workspaceId: string, channel: string, handle: string, change: { add?: string[]; remove?: string[] }): Promise<TagSync | undefined>;
}

export function workspaceChannelsAdapter(store: Store, opts: ChannelOptions = {}): WorkspaceChannelsAdapter {
  // A connected channel's settings and decrypted token, for a couple of seconds: every send needs both.
  const cache = new Map<string, { at: number; connected: Promise<Connected> }>();
  interface Connected { doc: ChannelConfigDoc | null; token?: string; appSecret?: string; oauth1?: XConnection['oauth1'] }
  function connected(workspaceId: string, channel: string): Promise<Connected> {
    const key = `${workspaceId}|${channel}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.connected;
    const loading = (async () => {
      const doc = await getChannelConfig(store, workspaceId, channel);
      // Meta signs each Graph call with the App Secret (appsecret_proof), which is the channel's webhook secret.
      const appSecret = doc?.settings.kind === 'meta' ? await channelWebhookSecret(store, workspaceId, channel) : undefined;
      const oauth1 = doc?.settings.kind === 'x' ? await xOAuth1Secrets(store, workspaceId, channel, doc.settings) : undefined;
      return { doc, token: doc ? await channelToken(store, workspaceId, channel) : undefined, appSecret, oauth1 };
    })();
    loading.catch(() => cache.delete(key));
    if (cache.size > 1000) cache.clear();
    cache.set(key, { at: Date.now(), connected: loading });
    return loading;
  }
  const envSmtp = opts.smtpUrl ? smtpSettingsFromUrl(opts.smtpUrl) : undefined;

  return {
    channels: ['*'],
    async send(message: OutboundMessage, idempotencyKey: string) {
      const workspaceId = workspaceOfKey(idempotencyKey);
      const { doc: cfg, token, appSecret, oauth1 } = await connected(workspaceId, message.channel);
      if (cfg?.settings.kind === 'http') return httpSend(cfg.settings, token, message, idempotencyKey);
      if (cfg?.settings.kind === 'wechat') return wechatSend({ store, workspaceId, channel: message.channel, settings: cfg.settings, appSecret: token }, message, idempotencyKey);
      if (cfg?.settings.kind === 'wecom') return wecomSend({ store, workspaceId, channel: message.channel, settings: cfg.settings, secret: token }, message, idempotencyKey);
      if (cfg?.settings.kind === 'meta') return metaSend({ store, workspaceId, channel: message.channel, settings: cfg.settings, accessToken: token, appSecret }, message, idempotencyKey);
      if (cfg?.settings.kind === 'x') return xSend({ store, workspaceId, channel: message.channel, settings: cfg.settings, accessToken: token, oauth1 }, message, idempotencyKey);
      if (cfg?.settings.kind === 'telegram') return telegramSend({ store, workspaceId, channel: message.channel, settings: cfg.settings, token }, message, idempotencyKey);
      if (cfg?.settings.kind === 'slack') return slackSend({ store, workspaceId, channel: message.channel, settings: cfg.settings, token }, message, idempotencyKey);
      if (cfg?.settings.kind === 'sms') return smsSend({ store, workspaceId, channel: message.channel, settings: cfg.settings, authToken: token, publicUrl: opts.publicUrl }, message, idempotencyKey);
      if (cfg?.settings.kind === 'smtp') return smtpSend(cfg.settings, token, message, idempotencyKey, opts.emailTracking);
      if (message.channel === 'email' && envSmtp) return smtpSend(envSmtp.settings, envSmtp.password, message, idempotencyKey, opts.emailTracking);
      return recordingAdapter.send(message, idempotencyKey);
    },
    async fetchProfile(workspaceId, channel, handle) {
      const { doc: cfg, token, appSecret, oauth1 } = await connected(workspaceId, channel);
      if (cfg?.settings.kind === 'wechat') return wechatFetchProfile({ store, workspaceId, channel, settings: cfg.settings, appSecret: token }, handle);
      if (cfg?.settings.kind === 'wecom') return wecomFetchProfile({ store, workspaceId, channel, settings: cfg.settings, secret: token }, handle);
      if (cfg?.settings.kind === 'meta') return metaFetchProfile({ store, workspaceId, channel, settings: cfg.settings, accessToken: token, appSecret }, handle);
      if (cfg?.settings.kind === 'x') return xFetchProfile({ store, workspaceId, channel, settings: cfg.settings, accessToken: token, oauth1 }, handle);
      if (cfg?.settings.kind === 'telegram') return telegramFetchProfile({ store, workspaceId, channel, settings: cfg.settings, token }, handle);
      if (cfg?.settings.kind !== 'http') return undefined;
      return httpFetchProfile(cfg.settings, token, handle);
    },
    async syncTags(workspaceId, channel, handle, change) {
      const { doc: cfg, token } = await connected(workspaceId, channel);
      if (cfg?.settings.kind !== 'wecom') return undefined;
      return wecomSyncTags({ store, workspaceId, channel, settings: cfg.settings, secret: token }, handle, change);
    },
  };
}
