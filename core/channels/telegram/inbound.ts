/**
 * Telegram's webhook at /api/v1/hooks/:workspaceId/:channel (setWebhook's url). Telegram signs nothing: it sends back
 * the secret_token given to setWebhook in X-Telegram-Bot-Api-Secret-Token, compared here in constant time with the
 * channel's webhook secret; missing or wrong → 401, nothing stored. Each update is ingested by its update_id, so a
 * redelivery (Telegram retries an update not answered 2xx) is ingested once; an update older than Telegram keeps one
 * (24 hours) is a replay: 401, nothing stored (redelivery-window.ts). The answer is 200 at once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ingestEvent, type EngineDeps } from '../../engine/ingest';
import { AppError } from '../../errors';
import { channelWebhookSecret, type TelegramChannelSettings } from '../../store/channel-configs';
import { parseJsonBody, text, type InboundHook } from '../inbound-hooks';
import { refuseReplay } from '../redelivery-window';
import { telegramUpdateEvent } from './events';

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export function secretTokenMatches(configured: string | undefined, given: string | undefined): boolean {
  const digest = (v: string) => createHmac('sha256', 'telegram-secret').update(v).digest();
  return !!configured && given !== undefined && timingSafeEqual(digest(configured), digest(given));
}

const PROBLEMS = {
  missing: { en: 'is missing', 'zh-CN': '缺失' },
  mismatch: { en: 'does not match this channel\'s secret_token', 'zh-CN': '与此渠道的 secret_token 不符' },
} as const;

export function telegramHook(deps: EngineDeps): InboundHook {
  return {
    async receive(req) {
      const given = req.headers[TELEGRAM_SECRET_HEADER];
      const secret = await channelWebhookSecret(deps.store, req.workspaceId, req.channel);
      if (!secretTokenMatches(secret, given)) {
        const reason = given ? 'mismatch' : 'missing';
        throw new AppError('bad_signature', { field: `headers/${TELEGRAM_SECRET_HEADER}`, problem: PROBLEMS[reason], channel: { en: `Telegram channel "${req.channel}"`, 'zh-CN': `Telegram 渠道“${req.channel}”` } }, { reason });
      }
      const body = parseJsonBody(req.raw);
      const event = telegramUpdateEvent(body, { channel: req.channel, botUsername: (req.config.settings as TelegramChannelSettings).botUsername });
      if (event) {
        refuseReplay([event], 'telegram', 'body/message/date', { en: `Telegram channel "${req.channel}"`, 'zh-CN': `Telegram 渠道“${req.channel}”` });
        await ingestEvent(deps, req.workspaceId, event);
      }
      return text(200, 'ok');
    },
  };
}
