import { describe, expect, it } from 'vitest';
import { parseThread, telegramUpdateEvent } from './events';

const ctx = { channel: 'telegram', botUsername: 'JourneysBot' };
const from = { id: 4242, is_bot: false, first_name: 'Ana', username: 'ana_b' };

describe('Telegram updates as events', () => {
  it('a private message is a social.dm from the chat, with the sender kept', () => {
    const e = telegramUpdateEvent({ update_id: 10, message: { message_id: 7, date: 1_700_000_000, chat: { id: 4242, type: 'private' }, from, text: 'hello' } }, ctx);
    expect(e).toEqual({
      id: 'telegram:telegram:10', type: 'social.dm', channel: 'telegram', handle: '4242', threadId: '4242:7', text: 'hello', occurredAt: new Date(1_700_000_000_000).toISOString(),
      data: { updateId: 10, chatId: 4242, messageId: 7, chatType: 'private', userId: 4242, firstName: 'Ana', username: 'ana_b' },
    });
  });
  it('a group message is a mention only when it names the bot or replies to it', () => {
    const group = { id: -1001234, type: 'supergroup', title: 'Fans' };
    const named = telegramUpdateEvent({ update_id: 11, message: { message_id: 8, chat: group, from, text: 'hey @journeysbot help', entities: [{ type: 'mention', offset: 4, length: 12 }] } }, ctx);
    expect(named).toMatchObject({ type: 'social.mention', handle: '4242', threadId: '-1001234:8', data: { chatTitle: 'Fans' } });
    const reply = telegramUpdateEvent({ update_id: 12, message: { message_id: 9, chat: group, from, text: 'thanks', reply_to_message: { from: { username: 'JourneysBot' } } } }, ctx);
    expect(reply?.type).toBe('social.mention');
    expect(telegramUpdateEvent({ update_id: 13, message: { message_id: 10, chat: group, from, text: 'unrelated' } }, ctx)).toBeUndefined();
  });
  it('a button press is a telegram.callback; what is not an update is nothing', () => {
    const e = telegramUpdateEvent({ update_id: 14, callback_query: { id: 'cb1', from, data: 'yes', message: { message_id: 3, chat: { id: 4242 } } } }, ctx);
    expect(e).toMatchObject({ type: 'telegram.callback', handle: '4242', text: 'yes', threadId: '4242:3' });
    expect(telegramUpdateEvent({ message: {} }, ctx)).toBeUndefined();
    expect(parseThread('-1001234:8')).toEqual({ chatId: '-1001234', messageId: 8 });
    expect(parseThread('4242')).toBeUndefined();
  });
});
