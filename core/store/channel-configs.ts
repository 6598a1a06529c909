/**
 * Per-workspace channel connections: how to reach a platform (generic HTTP API, SMTP, a WeChat Official Account, a
 * WeCom customer-contact connection, a Meta Page, Instagram account or WhatsApp number, an X account) and its webhook secret. Secrets live in the credentials collection
 * (encrypted); this document only names them.
 */
import type { Store } from './db';
import { getCredential, putCredential } from './credentials';

export interface HttpChannelSettings {
  kind: 'http';
  baseUrl: string;
  /** Paths per operation, appended to baseUrl; `{handle}` is replaced (URL-encoded). */
  replyPath?: string;
  dmPath?: string;
  profilePath?: string;
  /** Header carrying the token (default authorization, as "Bearer <token>"). */
  authHeader?: string;
}

export interface SmtpChannelSettings {
  kind: 'smtp';
  host: string;
  port: number;
  secure?: boolean;
  user?: string;
  from: string;
}

/**
 * A WeChat Official Account (公众号). Its secrets: `token` = the AppSecret, `webhookSecret` = the URL-verification
 * Token of the server configuration (3–32 letters or digits), `encodingAesKey` = the EncodingAESKey (43 characters,
 * needed in safe mode). WeChat's compatibility mode (兼容模式) sends both forms: either setting reads it.
 */
export interface WechatChannelSettings {
  kind: 'wechat';
  appId: string;
  /** Default https://api.weixin.qq.com. */
  apiBaseUrl?: string;
  /** The console's message encryption mode: 明文模式 (plain) or 安全模式 (safe, AES). */
  encodingMode: 'plain' | 'safe';
}

/**
 * WeCom customer contact (企业微信 · 客户联系). Its secrets: `token` = the customer-contact Secret (客户联系 Secret),
 * `webhookSecret` = the callback Token (接收事件服务器 Token), `encodingAesKey` = the callback EncodingAESKey (43
 * characters; WeCom callbacks are always encrypted).
 */
export interface WecomChannelSettings {
  kind: 'wecom';
  /** 企业ID (CorpID): also the receiveid every callback is encrypted for. */
  corpId: string;
  /** Default https://qyapi.weixin.qq.com. */
  apiBaseUrl?: string;
}

/** The Meta platforms one Graph API adapter serves; one channel connects one of them. */
export type MetaPlatform = 'messenger' | 'instagram' | 'whatsapp';

/**
 * A Meta channel: a Facebook Page (Messenger and Page comments), an Instagram professional account (Instagram
 * messaging and comments) or a WhatsApp Cloud API phone number. Its secrets: `token` = the Page (or Instagram)
 * access token, or the WhatsApp system-user access token; `webhookSecret` = the App Secret, which signs every
 * webhook (X-Hub-Signature-256). The verify token is kept here in the clear: the admin pastes it into Meta's console
 * and it only answers the subscription handshake; it lets nobody deliver events, which need the App Secret.
 */
export interface MetaChannelSettings {
  kind: 'meta';
  platform: MetaPlatform;
  /** hub.verify_token Meta echoes in the webhook verification GET. */
  verifyToken: string;
  /** Messenger: the Page id; Instagram: the Instagram professional account id (webhooks' entry.id). */
  pageId?: string;
  /** WhatsApp: the business phone number id messages are sent from. */
  phoneNumberId?: string;
  /** WhatsApp Business Account id (webhooks' entry.id). */
  businessAccountId?: string;
  /** WhatsApp: the language of template messages when the template names none, e.g. en_US. */
  templateLanguage?: string;
  /** Messenger / Instagram: the message tag that may answer outside the 24-hour window (HUMAN_AGENT…); none: blocked. */
  messageTag?: string;
  /** Graph API version, e.g. v21.0. */
  apiVersion?: string;
  /** Default https://graph.facebook.com. */
  apiBaseUrl?: string;
}

/** X API plans: what decides the reply rate limits (core/channels/x/policy.ts). */
export type XPlan = 'free' | 'basic' | 'pro' | 'enterprise';

/**
 * An X (Twitter) account through the Account Activity API and X API v2. Its secrets: `token` = the account's
 * OAuth 2.0 user-context access token (tweet.write, dm.write…), sent as a bearer; `webhookSecret` = the app's
 * Consumer Secret (API Key Secret), which answers the CRC and signs every delivery (x-twitter-webhooks-signature).
 */
export interface XChannelSettings {
  kind: 'x';
  /** The subscribed account's user id (deliveries' for_user_id; its own posts and DMs are ignored). */
  userId: string;
  /** The X API plan of the app (default basic): its per-user limit on posts. */
  plan?: XPlan;
  /**
   * The app's API Key (Consumer Key): the account is connected with OAuth 1.0a — `token` is its Access Token and
   * `tokenSecret` the Access Token Secret, which do not expire. Without it `token` is an OAuth 2.0 user token.
   */
  consumerKey?: string;
  /** Default https://api.x.com. */
  apiBaseUrl?: string;
}

/**
 * SMS through Twilio or a gateway speaking Twilio's Messages API. Its secret: `token` = the Auth Token, which is both
 * the API password (basic auth with the Account SID) and the key of X-Twilio-Signature on every webhook.
 */
export interface SmsChannelSettings {
  kind: 'sms';
  /** The Account SID (AC…), the API user and the account the Messages resource belongs to. */
  accountSid: string;
  /** The sender: a number in E.164 (+1555…), or none when a Messaging Service picks it. */
  from?: string;
  /** A Messaging Service (MG…) that picks the sender; either this or `from`. */
  messagingServiceSid?: string;
  /** Default https://api.twilio.com. */
  apiBaseUrl?: string;
}

/**
 * A Telegram bot. Its secrets: `token` = the bot token from @BotFather, `webhookSecret` = the secret_token given to
 * setWebhook, which Telegram sends back in X-Telegram-Bot-Api-Secret-Token.
 */
export interface TelegramChannelSettings {
  kind: 'telegram';
  /** The bot's username without "@": a group message naming it is a mention. */
  botUsername?: string;
  /** Default https://api.telegram.org. */
  apiBaseUrl?: string;
}

/** A Slack app posting team alerts. Its secret: `token` = the bot token (xoxb-…). */
export interface SlackChannelSettings {
  kind: 'slack';
  /** The channel alerts go to (C…), unless an alert names a channel id itself. */
  channelId?: string;
  /** Default https://slack.com/api. */
  apiBaseUrl?: string;
}

export type ChannelSettings = HttpChannelSettings | SmtpChannelSettings | WechatChannelSettings | WecomChannelSettings | MetaChannelSettings
  | XChannelSettings | SmsChannelSettings | TelegramChannelSettings | SlackChannelSettings;

export interface ChannelConfigDoc {
  _id: string; // `${workspaceId}|${channel}`
  workspaceId: string;
  channel: string;
  settings: ChannelSettings;
  hasToken: boolean;
  hasWebhookSecret: boolean;
  /** WeChat and WeCom channels: an EncodingAESKey is stored. */
  hasEncodingAesKey?: boolean;
  /** X channels connected with OAuth 1.0a: the Access Token Secret is stored. */
  hasTokenSecret?: boolean;
  updatedAt: Date;
}

export const channelConfigs = (s: Store) => s.db.collection<ChannelConfigDoc>('channel_configs');

export const tokenName = (channel: string) => `channel.${channel}.token`;
export const webhookSecretName = (channel: string) => `channel.${channel}.webhook`;
export const encodingAesKeyName = (channel: string) => `channel.${channel}.aeskey`;
export const tokenSecretName = (channel: string) => `channel.${channel}.tokensecret`;

export interface ChannelSecrets {
  token?: string;
  webhookSecret?: string;
  /** WeChat's or WeCom's EncodingAESKey. */
  encodingAesKey?: string;
  /** The Access Token Secret of an X account connected with OAuth 1.0a. */
  tokenSecret?: string;
}

export async function putChannelConfig(
  s: Store, workspaceId: string, channel: string, settings: ChannelSettings, secrets: ChannelSecrets, now = new Date(),
): Promise<ChannelConfigDoc> {
  if (secrets.token !== undefined) await putCredential(s, workspaceId, tokenName(channel), secrets.token, now);
  if (secrets.webhookSecret !== undefined) await putCredential(s, workspaceId, webhookSecretName(channel), secrets.webhookSecret, now);
  if (secrets.encodingAesKey !== undefined) await putCredential(s, workspaceId, encodingAesKeyName(channel), secrets.encodingAesKey, now);
  if (secrets.tokenSecret !== undefined) await putCredential(s, workspaceId, tokenSecretName(channel), secrets.tokenSecret, now);
  const prev = await channelConfigs(s).findOne({ _id: `${workspaceId}|${channel}` });
  const doc: ChannelConfigDoc = {
    _id: `${workspaceId}|${channel}`, workspaceId, channel, settings,
    hasToken: secrets.token !== undefined || (prev?.hasToken ?? false),
    hasWebhookSecret: secrets.webhookSecret !== undefined || (prev?.hasWebhookSecret ?? false),
    ...(secrets.encodingAesKey !== undefined || prev?.hasEncodingAesKey ? { hasEncodingAesKey: true } : {}),
    ...(secrets.tokenSecret !== undefined || prev?.hasTokenSecret ? { hasTokenSecret: true } : {}),
    updatedAt: now,
  };
  await channelConfigs(s).replaceOne({ _id: doc._id }, doc, { upsert: true });
  return doc;
}

export function getChannelConfig(s: Store, workspaceId: string, channel: string) {
  return channelConfigs(s).findOne({ _id: `${workspaceId}|${channel}` });
}

export function listChannelConfigs(s: Store, workspaceId: string) {
  return channelConfigs(s).find({ workspaceId }).sort({ channel: 1 }).toArray();
}

export const channelToken = (s: Store, workspaceId: string, channel: string) => getCredential(s, workspaceId, tokenName(channel));
export const channelWebhookSecret = (s: Store, workspaceId: string, channel: string) => getCredential(s, workspaceId, webhookSecretName(channel));
export const channelEncodingAesKey = (s: Store, workspaceId: string, channel: string) => getCredential(s, workspaceId, encodingAesKeyName(channel));
export const channelTokenSecret = (s: Store, workspaceId: string, channel: string) => getCredential(s, workspaceId, tokenSecretName(channel));
