/**
 * The Telegram Bot API (https://core.telegram.org/bots/api): POST {base}/bot<token>/<method> with a JSON body.
 * Every answer is `{"ok":true,"result":…}` or `{"ok":false,"error_code","description","parameters":{"retry_after"}}`
 * (with the HTTP status of error_code). A 429 says how many seconds to wait: the call is repeated after that, a
 * bounded number of times and never longer than the client allows; past that the activity's retries take over.
 * The token is part of the URL (Telegram's only way): errors and logs name the method, never the URL.
 */
import { outboundHttp } from '../../outbound/destination-policy';
import { ChannelSendError } from '../http-adapter';

export const TELEGRAM_API_BASE = 'https://api.telegram.org';

export interface TelegramBot {
  token: string;
  apiBaseUrl?: string;
}

export class TelegramApiError extends ChannelSendError {
  override name = 'TelegramApiError';
  constructor(readonly method: string, readonly errorCode: number, readonly description: string, readonly retryAfterS: number | undefined) {
    super(`Telegram ${method}: ${errorCode}${description ? ` ${description}` : ''}`, errorCode);
  }

  /** 403 "Forbidden: bot was blocked by the user" (or the user is deactivated, or the bot was kicked from the group). */
  get blocked(): boolean {
    return this.errorCode === 403;
  }

  get transient(): boolean {
    return this.errorCode === 429 || this.errorCode >= 500;
  }
}

export const telegramClientOptions = { maxRetries: 3, maxRetryAfterMs: 30_000, timeoutMs: 10_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bot tokens are digits, a colon and a secret: anything else would change the URL's path. */
const TOKEN = /^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/;

async function callOnce(bot: TelegramBot, method: string, body: Record<string, unknown>): Promise<unknown> {
  if (!TOKEN.test(bot.token)) throw new TelegramApiError(method, 401, 'Unauthorized (not a bot token)', undefined);
  const res = await outboundHttp(`${(bot.apiBaseUrl ?? TELEGRAM_API_BASE).replace(/\/+$/, '')}/bot${bot.token}/${method}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    timeoutMs: telegramClientOptions.timeoutMs, maxBodyChars: 64_000, maxErrorBodyChars: 4_000,
  });
  let parsed: Record<string, unknown> | undefined;
  try {
    const v = JSON.parse(res.body) as unknown;
    parsed = v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed?.ok === true) return parsed.result;
  const retryAfter = (parsed?.parameters as { retry_after?: unknown } | undefined)?.retry_after;
  const code = typeof parsed?.error_code === 'number' ? parsed.error_code : res.status;
  const description = typeof parsed?.description === 'string' ? parsed.description.slice(0, 300) : res.statusText;
  throw new TelegramApiError(method, code, description, typeof retryAfter === 'number' ? retryAfter : undefined);
}

export async function telegramCall(bot: TelegramBot, method: string, body: Record<string, unknown> = {}): Promise<unknown> {
  for (let n = 0; ; n++) {
    try {
      return await callOnce(bot, method, body);
    } catch (err) {
      if (!(err instanceof TelegramApiError) || err.errorCode !== 429 || n >= telegramClientOptions.maxRetries) throw err;
      const waitMs = (err.retryAfterS ?? 1) * 1000;
      if (waitMs > telegramClientOptions.maxRetryAfterMs) throw err;
      await sleep(waitMs);
    }
  }
}

/** One text message; its message_id in that chat. */
export async function sendMessage(bot: TelegramBot, m: { chatId: string; text: string; replyTo?: number }): Promise<number | undefined> {
  const result = await telegramCall(bot, 'sendMessage', {
    chat_id: m.chatId, text: m.text,
    // A reply quotes the message it answers; gone since (deleted), it is sent as a plain message.
    ...(m.replyTo !== undefined ? { reply_to_message_id: m.replyTo, allow_sending_without_reply: true } : {}),
  }) as { message_id?: unknown } | undefined;
  return typeof result?.message_id === 'number' ? result.message_id : undefined;
}

export async function getMe(bot: TelegramBot): Promise<{ id: number; username: string; firstName: string }> {
  const r = (await telegramCall(bot, 'getMe')) as Record<string, unknown> | undefined;
  const s = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : '');
  return { id: typeof r?.id === 'number' ? r.id : 0, username: s(r?.username), firstName: s(r?.first_name) };
}

export async function getChat(bot: TelegramBot, chatId: string): Promise<Record<string, unknown> | undefined> {
  const r = await telegramCall(bot, 'getChat', { chat_id: chatId });
  return r && typeof r === 'object' ? (r as Record<string, unknown>) : undefined;
}
