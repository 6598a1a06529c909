/**
 * What a Telegram update means, as contact events (no I/O; inbound.ts verifies and ingests them), per
 * https://core.telegram.org/bots/api#update:
 * - `message` in a private chat → `social.dm` from the chat (its id is the person's, and where a DM goes);
 * - `message` in a group or supergroup that mentions the bot (@username, or a reply to the bot) → `social.mention`
 *   from the sender; other group chatter is not for the bot and is skipped;
 * - `callback_query` (an inline button pressed) → `telegram.callback` with the button's data as text.
 * The thread is "<chat id>:<message id>", so a reply lands in the same chat, quoting the message. The sender's
 * first_name and username are kept in `data`. Ids are the update_id, so a redelivery is the same event.
 */
import type { ContactEvent } from '../../../nodes/contract';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
const str = (v: unknown, max = 4096): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);
const compact = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const threadOf = (chatId: number, messageId: number) => `${chatId}:${messageId}`;

/** A reply's thread back into its chat and message; undefined for anything that is not one. */
export function parseThread(thread: string | undefined): { chatId: string; messageId: number } | undefined {
  const m = /^(-?\d{1,20}):(\d{1,12})$/.exec(thread ?? '');
  return m ? { chatId: m[1], messageId: Number(m[2]) } : undefined;
}

function sender(from: Obj | undefined) {
  return compact({ userId: int(from?.id), firstName: str(from?.first_name, 200), lastName: str(from?.last_name, 200), username: str(from?.username, 64), languageCode: str(from?.language_code, 16) });
}

function mentionsBot(message: Obj, text: string, bot: string | undefined): boolean {
  if (!bot) return false;
  const name = `@${bot}`.toLowerCase();
  const entities = Array.isArray(message.entities) ? message.entities.map(obj) : [];
  for (const e of entities) {
    const offset = int(e?.offset);
    const length = int(e?.length);
    if ((e?.type === 'mention' || e?.type === 'bot_command') && offset !== undefined && length !== undefined) {
      const part = text.slice(offset, offset + length).toLowerCase();
      if (part === name || part.endsWith(name)) return true;
    }
  }
  const repliedTo = obj(obj(message.reply_to_message)?.from);
  return str(repliedTo?.username, 64)?.toLowerCase() === bot.toLowerCase();
}

export function telegramUpdateEvent(body: unknown, ctx: { channel: string; botUsername?: string }, now = new Date()): ContactEvent | undefined {
  const update = obj(body);
  const updateId = int(update?.update_id);
  if (!update || updateId === undefined) return undefined;
  const id = `telegram:${ctx.channel}:${updateId}`;
  const message = obj(update.message);
  if (message) {
    const chat = obj(message.chat);
    const chatId = int(chat?.id);
    const messageId = int(message.message_id);
    const from = obj(message.from);
    if (chatId === undefined || messageId === undefined || from?.is_bot === true) return undefined;
    const text = str(message.text) ?? str(message.caption) ?? '';
    const date = int(message.date);
    const base = {
      channel: ctx.channel, occurredAt: date ? new Date(date * 1000).toISOString() : now.toISOString(), threadId: threadOf(chatId, messageId), ...(text ? { text } : {}),
    };
    const data = compact({ updateId, chatId, messageId, chatType: str(chat?.type, 32), chatTitle: str(chat?.title, 200), ...sender(from) });
    if (chat?.type === 'private') return { id, type: 'social.dm', handle: String(chatId), ...base, data };
    const userId = int(from?.id);
    if ((chat?.type === 'group' || chat?.type === 'supergroup') && userId !== undefined && mentionsBot(message, text, ctx.botUsername)) {
      return { id, type: 'social.mention', handle: String(userId), ...base, data };
    }
    return undefined;
  }
  const callback = obj(update.callback_query);
  const from = obj(callback?.from);
  const userId = int(from?.id);
  if (callback && userId !== undefined) {
    const m = obj(callback.message);
    const chatId = int(obj(m?.chat)?.id);
    const messageId = int(m?.message_id);
    const data = str(callback.data, 256);
    return {
      id, type: 'telegram.callback', channel: ctx.channel, handle: String(userId), occurredAt: now.toISOString(), ...(data ? { text: data } : {}),
      ...(chatId !== undefined && messageId !== undefined ? { threadId: threadOf(chatId, messageId) } : {}),
      data: compact({ updateId, callbackQueryId: str(callback.id, 128), data, chatId, messageId, ...sender(from) }),
    };
  }
  return undefined;
}
