/** What a Telegram bot channel's settings look like, and the secrets it needs (PUT /api/v1/channels/:channel). */
import type { FieldError } from '../../../nodes/ajv';
import type { ChannelSecrets, ChannelSettings } from '../../store/channel-configs';
import type { RequiredSecrets } from '../required-secrets';

export const TELEGRAM_USERNAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]{3,31}$';
/** setWebhook's secret_token: 1–256 characters of A–Z, a–z, 0–9, _ and - (Telegram refuses others). */
export const TELEGRAM_SECRET_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;

export const TELEGRAM_SECRETS: RequiredSecrets = {
  token: { en: 'the bot token @BotFather gave (123456:ABC…)', 'zh-CN': '@BotFather 提供的机器人令牌（123456:ABC…）' },
  webhookSecret: { en: 'the secret_token passed to setWebhook, which Telegram sends in X-Telegram-Bot-Api-Secret-Token', 'zh-CN': '调用 setWebhook 时设置的 secret_token，Telegram 会在 X-Telegram-Bot-Api-Secret-Token 中带回' },
};

export function telegramSecretProblems(body: { settings: ChannelSettings } & ChannelSecrets): FieldError[] {
  if (body.settings.kind !== 'telegram' || body.webhookSecret === undefined || TELEGRAM_SECRET_PATTERN.test(body.webhookSecret)) return [];
  const en = 'must be 16–256 letters, digits, "_" or "-" (what Telegram accepts as secret_token)';
  return [{ path: '/webhookSecret', message: en, code: 'pattern', i18n: { en, 'zh-CN': '须为 16–256 个字母、数字、“_”或“-”（Telegram 接受的 secret_token 格式）' } }];
}
