import { describe, expect, it } from 'vitest';
import { dmConversationId, xWebhookEvents } from './events';

const account = '1450000000000000001';
const ctx = { channel: 'x', userId: account };
const now = new Date('2024-06-01T12:00:00Z');
const user = (id: string, o: Record<string, unknown> = {}) => ({ id_str: id, name: 'Mia', screen_name: 'mia', followers_count: 7, verified: true, ...o });

describe('X Account Activity deliveries', () => {
  it('a mention is social.mention with the post as thread; a reply to the account\'s post is social.comment', () => {
    const out = xWebhookEvents({
      for_user_id: account,
      tweet_create_events: [
        { id_str: '100', text: '@journeys hi', user: user('7'), timestamp_ms: '1717243200000' },
        { id_str: '101', text: 'short', extended_tweet: { full_text: 'the full text' }, in_reply_to_status_id_str: '90', in_reply_to_user_id_str: account, user: user('8') },
        { id_str: '102', text: 'RT', retweeted_status: { id_str: '90' }, user: user('9') },
        { id_str: '103', text: 'our own reply', user: user(account) },
      ],
    }, ctx, now);
    expect(out.events).toEqual([
      { id: 'x:tweet:100', type: 'social.mention', channel: 'x', handle: '7', threadId: '100', text: '@journeys hi', occurredAt: '2024-06-01T12:00:00.000Z', data: { platform: 'x', accountId: account, tweetId: '100', screenName: 'mia', user: { name: 'Mia', screenName: 'mia', followers: 7, verified: true } } },
      expect.objectContaining({ id: 'x:tweet:101', type: 'social.comment', threadId: '101', text: 'the full text', data: expect.objectContaining({ inReplyToTweetId: '90', inReplyToUserId: account }) }),
    ]);
    expect(out.ignored).toBe(2);
    expect(out.users['8']).toEqual({ name: 'Mia', screenName: 'mia', followers: 7, verified: true });
  });

  it('a DM is social.dm in its one-to-one conversation, with the sender from the users map; the account\'s own are dropped', () => {
    const out = xWebhookEvents({
      for_user_id: account,
      direct_message_events: [
        { type: 'message_create', id: '200', created_timestamp: '1717243200000', message_create: { sender_id: '7', target: { recipient_id: account }, message_data: { text: 'hello' } } },
        { type: 'message_create', id: '201', message_create: { sender_id: account, target: { recipient_id: '7' }, message_data: { text: 'ours' } } },
        { type: 'something_else', id: '202' },
      ],
      users: { 7: user('7', { name: 'Sender' }) },
    }, ctx, now);
    expect(out.events).toEqual([{
      id: 'x:dm:200', type: 'social.dm', channel: 'x', handle: '7', threadId: `7-${account}`, text: 'hello', occurredAt: '2024-06-01T12:00:00.000Z',
      data: { platform: 'x', accountId: account, dmEventId: '200', dmConversationId: `7-${account}`, screenName: 'mia', user: { name: 'Sender', screenName: 'mia', followers: 7, verified: true } },
    }]);
    expect(out.ignored).toBe(2);
  });

  it('another account\'s delivery, and ids that are not X ids, are ignored', () => {
    expect(xWebhookEvents({ for_user_id: '999', tweet_create_events: [{ id_str: '1', user: user('7') }] }, ctx).events).toEqual([]);
    expect(xWebhookEvents({ for_user_id: account, tweet_create_events: [{ id_str: '1 or 1=1', user: user('7') }] }, ctx).events).toEqual([]);
    expect(xWebhookEvents('nope', ctx).ignored).toBe(1);
  });

  it('names a conversation smaller id first, numerically', () => {
    expect(dmConversationId('99', '100')).toBe('99-100');
    expect(dmConversationId('100', '99')).toBe('99-100');
  });
});
