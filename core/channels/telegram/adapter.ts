/**
 * Sending through a connected Telegram bot (settings.kind 'telegram', wired in workspace-adapter.ts): a reply goes to
 * the chat of the message it answers, quoting it (the event's thread "<chat>:<message>"); a DM to the person's chat
 * (their user id, once they have started the bot). Telegram's 403 (the user blocked the bot, or it was removed from
 * the group) is a refusal: the node's `blocked` port or its fallback; 401 (a revoked token) a clear error no retry
 * fixes; 429 waits as Telegram says (client.ts), then the activity retries.
 * Telegram has no profile API for users: the profile is what updates carried (first_name, username), with getChat
 * adding what a private chat shows when the bot may read it.
 */
import { NodeError, SendBlockedError, type LocalizedText, type OutboundMessage } from '../../../nodes/contract';
import { inBothLanguages } from '../../../nodes/field-messages';
import type { TelegramChannelSettings } from '../../store/channel-configs';
import type { Store } from '../../store/db';
import type { PlatformProfile } from '../channel-adapter';
import { recordRefusal } from '../refusal-ledger';
import { getChat, sendMessage, TelegramApiError, type TelegramBot } from './client';
import { parseThread } from './events';

export interface TelegramConnection {
  store: Store;
  workspaceId: string;
  channel: string;
  settings: TelegramChannelSettings;
  /** The bot token, decrypted. */
  token: string | undefined;
}

const NOT_CONNECTED: LocalizedText = { en: 'not sent: this Telegram channel has no bot token', 'zh-CN': '未发送：此 Telegram 渠道未配置机器人令牌' };
const UNSUPPORTED: LocalizedText = { en: 'not sent: a Telegram channel sends replies and direct messages only', 'zh-CN': '未发送：Telegram 渠道只能发送回复和私信' };
const BLOCKED: LocalizedText = {
  en: 'not sent: the user blocked the bot (or it is no longer in the chat); it can write again only after they unblock it',
  'zh-CN': '未发送：用户已屏蔽该机器人（或机器人已不在该聊天中）；对方解除屏蔽后才能再次发送',
};
const UNAUTHORIZED: LocalizedText = {
  en: 'not sent: Telegram refused the bot token (401 Unauthorized): create a new one with @BotFather and save it here',
  'zh-CN': '未发送：Telegram 拒绝了机器人令牌（401 Unauthorized）：请通过 @BotFather 生成新令牌并在此保存',
};

function botOf(c: TelegramConnection): TelegramBot {
  if (!c.token) throw new NodeError('channel_not_connected', inBothLanguages(NOT_CONNECTED), { channel: c.channel });
  return { token: c.token, apiBaseUrl: c.settings.apiBaseUrl };
}

function asNodeError(err: unknown, c: TelegramConnection): unknown {
  if (!(err instanceof TelegramApiError) || err.transient) return err;
  if (err.blocked) return new SendBlockedError('bot_blocked', inBothLanguages(BLOCKED), { channel: c.channel, errorCode: err.errorCode, description: err.description });
  if (err.errorCode === 401 || err.errorCode === 404) return new NodeError('telegram_unauthorized', inBothLanguages(UNAUTHORIZED), { channel: c.channel, errorCode: err.errorCode });
  return new NodeError('telegram_refused', inBothLanguages({
    en: `not sent: Telegram refused the message (${err.errorCode}: ${err.description})`, 'zh-CN': `未发送：Telegram 拒绝了该消息（${err.errorCode}：${err.description}）`,
  }), { channel: c.channel, errorCode: err.errorCode, description: err.description });
}

export async function telegramSend(c: TelegramConnection, message: OutboundMessage, idempotencyKey: string): Promise<{ providerId: string }> {
  try {
    if (message.kind !== 'reply' && message.kind !== 'dm') throw new NodeError('unsupported_message_kind', inBothLanguages(UNSUPPORTED), { channel: c.channel, kind: message.kind });
    const thread = message.kind === 'reply' ? parseThread(message.inReplyTo) : undefined;
    const chatId = thread?.chatId ?? message.to;
    const id = await sendMessage(botOf(c), { chatId, text: message.text, replyTo: thread?.messageId });
    return { providerId: id !== undefined ? `${chatId}:${id}` : `${c.channel}:${idempotencyKey}` };
  } catch (err) {
    const out = asNodeError(err, c);
    if (out instanceof NodeError) await recordRefusal(c.store, idempotencyKey, out);
    throw out;
  }
}

const nonEmpty = <K extends string>(key: K, v: unknown) => (typeof v === 'string' && v ? { [key]: v } as Record<K, string> : {});

export async function telegramFetchProfile(c: TelegramConnection, handle: string): Promise<PlatformProfile | undefined> {
  const [last] = await c.store.interactions.find(
    { workspaceId: c.workspaceId, kind: 'event', channel: c.channel, handle, 'data.userId': { $exists: true } },
    { projection: { data: 1 } },
  ).sort({ occurredAt: -1 }).limit(1).toArray();
  const d = last?.data ?? {};
  let chat: Record<string, unknown> | undefined;
  if (c.token && /^\d{1,20}$/.test(handle)) chat = await getChat(botOf(c), handle).catch(() => undefined);
  const first = chat?.first_name ?? d.firstName;
  const lastName = chat?.last_name ?? d.lastName;
  const name = [first, lastName].filter((x) => typeof x === 'string' && x).join(' ');
  return { handle, ...nonEmpty('name', name), ...nonEmpty('username', chat?.username ?? d.username), ...nonEmpty('bio', chat?.bio) };
}
