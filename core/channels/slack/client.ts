/**
 * Slack's Web API (https://api.slack.com/web): POST {base}/<method> with the bot token as a Bearer token. Slack
 * answers HTTP 200 with `{"ok":false,"error":"channel_not_found"|"invalid_auth"|…}` for most failures, and 429 with
 * Retry-After (seconds) when rate-limited (`ratelimited` in the body on some methods): a throttled call is repeated
 * after that wait, a bounded number of times; past that the activity's retries take over.
 */
import type { LocalizedText } from '../../../nodes/contract';
import { outboundHttp } from '../../outbound/destination-policy';
import { ChannelSendError } from '../http-adapter';

export const SLACK_API_BASE = 'https://slack.com/api';

export interface SlackBot {
  token: string;
  apiBaseUrl?: string;
}

const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope']);
const TRANSIENT_ERRORS = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

const ERROR_TEXT: Record<string, LocalizedText> = {
  channel_not_found: { en: 'the channel does not exist, or the app cannot see it', 'zh-CN': '频道不存在，或应用无权访问' },
  not_in_channel: { en: 'the app is not a member of the channel: invite it (/invite @app)', 'zh-CN': '应用不在该频道中：请邀请它（/invite @应用）' },
  is_archived: { en: 'the channel is archived', 'zh-CN': '该频道已归档' },
  invalid_auth: { en: 'the bot token is not valid', 'zh-CN': '机器人令牌无效' },
  not_authed: { en: 'no bot token was sent', 'zh-CN': '未发送机器人令牌' },
  token_revoked: { en: 'the bot token was revoked', 'zh-CN': '机器人令牌已被吊销' },
  missing_scope: { en: 'the app lacks the chat:write scope', 'zh-CN': '应用缺少 chat:write 权限' },
  msg_too_long: { en: 'the message is too long', 'zh-CN': '消息过长' },
  ratelimited: { en: 'rate limited', 'zh-CN': '请求频率受限' },
};

export const slackErrorText = (error: string): LocalizedText | undefined => ERROR_TEXT[error];

export class SlackApiError extends ChannelSendError {
  override name = 'SlackApiError';
  constructor(readonly method: string, readonly error: string, status: number, readonly retryAfterS?: number) {
    super(`Slack ${method}: ${error}`, status);
  }

  get authFailed(): boolean {
    return AUTH_ERRORS.has(this.error);
  }

  get throttled(): boolean {
    return this.status === 429 || this.error === 'ratelimited' || this.error === 'rate_limited';
  }

  get transient(): boolean {
    return this.throttled || TRANSIENT_ERRORS.has(this.error) || this.status >= 500;
  }
}

export const slackClientOptions = { maxRetries: 3, maxRetryAfterMs: 30_000, timeoutMs: 10_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function callOnce(bot: SlackBot, method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await outboundHttp(`${(bot.apiBaseUrl ?? SLACK_API_BASE).replace(/\/+$/, '')}/${method}`, {
    method: 'POST', headers: { authorization: `Bearer ${bot.token}`, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body),
    timeoutMs: slackClientOptions.timeoutMs, maxBodyChars: 64_000, maxErrorBodyChars: 2_000, keepHeaders: ['retry-after'],
  });
  const retryAfter = res.headers?.['retry-after'];
  const retryAfterS = retryAfter && /^\d{1,5}$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (res.status === 429) throw new SlackApiError(method, 'ratelimited', 429, retryAfterS);
  let parsed: Record<string, unknown> | undefined;
  try {
    const v = JSON.parse(res.body) as unknown;
    parsed = v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.ok && parsed?.ok === true) return parsed;
  const error = typeof parsed?.error === 'string' ? parsed.error.replace(/[^a-z0-9_]/g, '').slice(0, 64) : `http_${res.status}`;
  throw new SlackApiError(method, error, res.status, retryAfterS);
}

export async function slackCall(bot: SlackBot, method: string, body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  for (let n = 0; ; n++) {
    try {
      return await callOnce(bot, method, body);
    } catch (err) {
      if (!(err instanceof SlackApiError) || !err.throttled || n >= slackClientOptions.maxRetries) throw err;
      const waitMs = (err.retryAfterS ?? 1) * 1000;
      if (waitMs > slackClientOptions.maxRetryAfterMs) throw err;
      await sleep(waitMs);
    }
  }
}

/** One message in a channel; its ts (Slack's message id within the channel). */
export async function postMessage(bot: SlackBot, channel: string, text: string): Promise<string | undefined> {
  const r = await slackCall(bot, 'chat.postMessage', { channel, text, unfurl_links: false });
  return typeof r.ts === 'string' ? r.ts : undefined;
}

export async function authTest(bot: SlackBot): Promise<{ team: string; user: string }> {
  const r = await slackCall(bot, 'auth.test');
  const s = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : '');
  return { team: s(r.team), user: s(r.user) };
}
