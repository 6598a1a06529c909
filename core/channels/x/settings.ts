/**
 * What PUT /api/v1/channels/:channel checks beyond its schema for X: the two secrets an X channel cannot work without
 * (given now, or stored by an earlier X connection of the channel), and no X secret carried over to another kind of
 * channel (the account's access token must not become another platform's token, nor the Consumer Secret another
 * platform's webhook secret), nor another kind's secret taken for an X one.
 */
import type { FieldError } from '../../../nodes/ajv';
import type { ChannelConfigDoc, ChannelSecrets, ChannelSettings } from '../../store/channel-configs';

/** X user ids: digits (snowflakes). */
export const X_USER_ID_PATTERN = '^[0-9]{1,20}$';
/** The Consumer Secret (API Key Secret): 50 letters and digits today; a little leeway for other app types. */
export const X_CONSUMER_SECRET_PATTERN = '^[A-Za-z0-9_-]{32,128}$';
export const X_PLANS = ['free', 'basic', 'pro', 'enterprise'] as const;
/** The API Key (Consumer Key): 25 letters and digits today. */
export const X_CONSUMER_KEY_PATTERN = '^[A-Za-z0-9]{10,64}$';
/** An OAuth 1.0a Access Token Secret: 45 letters and digits today. */
export const X_TOKEN_SECRET_PATTERN = '^[A-Za-z0-9_-]{20,128}$';

const problem = (path: string, en: string, zh: string): FieldError => ({ path, message: en, code: 'required', i18n: { en, 'zh-CN': zh } });

export function xSecretProblems(body: { settings: ChannelSettings } & ChannelSecrets, prev: ChannelConfigDoc | null): FieldError[] {
  const wasX = prev?.settings.kind === 'x';
  const out: FieldError[] = [];
  if (body.settings.kind !== 'x' && body.tokenSecret !== undefined) {
    out.push(problem('/tokenSecret', 'is only for X channels connected with OAuth 1.0a (settings.kind "x" with settings.consumerKey)', '仅适用于使用 OAuth 1.0a 的 X 渠道（settings.kind 为 "x" 且设置了 settings.consumerKey）'));
  }
  if (body.settings.kind !== 'x') {
    if (!wasX) return out;
    if (prev?.hasToken && body.token === undefined) out.push(problem('/token', 'is required: the stored one is an X access token, which is not given to another platform', '为必填项：已保存的是 X 访问令牌，不能用于其他平台'));
    if (prev?.hasWebhookSecret && body.webhookSecret === undefined) out.push(problem('/webhookSecret', 'is required: the stored one is an X Consumer Secret', '为必填项：已保存的是 X Consumer Secret'));
    return out;
  }
  const oauth1 = !!body.settings.consumerKey;
  if (body.token === undefined && !(wasX && prev?.hasToken)) {
    out.push(oauth1
      ? problem('/token', 'is required: the account\'s OAuth 1.0a Access Token (Keys and tokens › Access Token and Secret, read and write and Direct Messages)', '为必填项：账号的 OAuth 1.0a Access Token（Keys and tokens › Access Token and Secret，需读写和私信权限）')
      : problem('/token', 'is required: the account\'s OAuth 2.0 user access token (scopes tweet.read, tweet.write, users.read, dm.read, dm.write)', '为必填项：账号的 OAuth 2.0 用户访问令牌（权限 tweet.read、tweet.write、users.read、dm.read、dm.write）'));
  }
  if (oauth1 && body.tokenSecret === undefined && !(wasX && prev?.hasTokenSecret)) {
    out.push(problem('/tokenSecret', 'is required with settings.consumerKey: the Access Token Secret shown with the Access Token', '设置了 settings.consumerKey 时为必填项：与 Access Token 一起显示的 Access Token Secret'));
  }
  if (!oauth1 && body.tokenSecret !== undefined) {
    out.push(problem('/tokenSecret', 'needs settings.consumerKey: an Access Token Secret signs OAuth 1.0a requests with the app\'s API Key', '需要 settings.consumerKey：Access Token Secret 与应用的 API Key 一起用于签名 OAuth 1.0a 请求'));
  }
  if (body.webhookSecret === undefined && !(wasX && prev?.hasWebhookSecret)) {
    out.push(problem('/webhookSecret', 'is required: the app\'s Consumer Secret (API Key Secret), which answers X\'s CRC and signs every webhook', '为必填项：应用的 Consumer Secret（API Key Secret），用于响应 X 的 CRC 校验并校验每个 Webhook 的签名'));
  }
  return out;
}
