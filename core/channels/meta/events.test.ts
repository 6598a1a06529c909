import { describe, expect, it } from 'vitest';
import { metaWebhookEvents } from './events';
import { signMetaPayload, verifyMetaSignature, verifyTokenMatches } from './signature';

const now = new Date('2024-06-01T12:00:00Z');
const PAGE = '104812345678901';
const messenger = { channel: 'messenger', platform: 'messenger' as const, pageId: PAGE };

describe('Messenger and Instagram messaging webhooks', () => {
  it('a message, a postback, a delivery and a read become events keyed by Meta\'s ids; echoes are dropped', () => {
    const body = {
      object: 'page',
      entry: [{
        id: PAGE, time: 1717243200000,
        messaging: [
          { sender: { id: '6001' }, recipient: { id: PAGE }, timestamp: 1717243200000, message: { mid: 'm_AAA', text: 'hi', quick_reply: { payload: 'MENU' } } },
          { sender: { id: '6001' }, recipient: { id: PAGE }, timestamp: 1717243201000, postback: { mid: 'm_PB', title: 'Opening hours', payload: 'HOURS' } },
          { sender: { id: '6001' }, recipient: { id: PAGE }, timestamp: 1717243202000, delivery: { mids: ['m_OUT1', 'm_OUT2'], watermark: 1717243202000 } },
          { sender: { id: '6001' }, recipient: { id: PAGE }, timestamp: 1717243203000, read: { watermark: 1717243203000 } },
          { sender: { id: PAGE }, recipient: { id: '6001' }, timestamp: 1717243204000, message: { mid: 'm_ECHO', text: 'our reply', is_echo: true } },
        ],
      }],
    };
    const { events, ignored } = metaWebhookEvents(body, messenger, now);
    expect(events.map((e) => [e.id, e.type, e.handle, e.text ?? null])).toEqual([
      ['meta:m_AAA', 'social.dm', '6001', 'hi'],
      ['meta:postback:m_PB', 'meta.postback', '6001', 'Opening hours'],
      ['meta:delivered:m_OUT1', 'message.delivered', '6001', null],
      ['meta:delivered:m_OUT2', 'message.delivered', '6001', null],
      ['meta:read:6001:1717243203000', 'message.read', '6001', null],
    ]);
    expect(events[0]).toMatchObject({ occurredAt: '2024-06-01T12:00:00.000Z', data: { platform: 'messenger', mid: 'm_AAA', accountId: PAGE, quickReplyPayload: 'MENU' } });
    expect(events[1].data).toMatchObject({ payload: 'HOURS' });
    expect(events[2].data).toMatchObject({ providerId: 'm_OUT1' });
    expect(ignored).toBe(1);
  });

  it('another object or another Page of the same app is not this channel\'s', () => {
    expect(metaWebhookEvents({ object: 'instagram', entry: [] }, messenger, now)).toMatchObject({ events: [], ignored: 1 });
    const other = { object: 'page', entry: [{ id: '999', messaging: [{ sender: { id: '1' }, recipient: { id: '999' }, timestamp: 1, message: { mid: 'm_X', text: 'x' } }] }] };
    expect(metaWebhookEvents(other, messenger, now).events).toEqual([]);
  });

  it('comments become social.comment with the comment id as thread; the account\'s own comments are dropped', () => {
    const ig = { channel: 'instagram', platform: 'instagram' as const, pageId: '1784' };
    const body = {
      object: 'instagram',
      entry: [{ id: '1784', time: 1717243200, changes: [
        { field: 'comments', value: { id: '17900', from: { id: '7001', username: 'ana' }, text: 'nice!', media: { id: '1817', media_product_type: 'FEED' } } },
        { field: 'comments', value: { id: '17901', from: { id: '1784', username: 'brand' }, text: 'thanks!', media: { id: '1817' }, parent_id: '17900' } },
      ] }],
    };
    const { events } = metaWebhookEvents(body, ig, now);
    expect(events).toEqual([{
      id: 'meta:comment:17900', type: 'social.comment', channel: 'instagram', handle: '7001', threadId: '17900', text: 'nice!', occurredAt: '2024-06-01T12:00:00.000Z',
      data: { platform: 'instagram', accountId: '1784', commentId: '17900', mediaId: '1817', mediaProductType: 'FEED', username: 'ana' },
    }]);
    const fb = { object: 'page', entry: [{ id: PAGE, time: 1717243200, changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', comment_id: '111_222', post_id: '111_000', from: { id: '6002', name: 'Bo' }, message: 'hours?', created_time: 1717243200 } }] }] };
    expect(metaWebhookEvents(fb, messenger, now).events[0]).toMatchObject({ id: 'meta:comment:111_222', threadId: '111_222', handle: '6002', data: { postId: '111_000', fromName: 'Bo' } });
  });
});

describe('WhatsApp webhooks', () => {
  const wa = { channel: 'whatsapp', platform: 'whatsapp' as const, phoneNumberId: '1065' };
  const value = (v: object) => ({ object: 'whatsapp_business_account', entry: [{ id: '1022', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1065' }, ...v } }] }] });

  it('text, button and interactive replies are social.dm with the sender\'s name', () => {
    const { events, names } = metaWebhookEvents(value({
      contacts: [{ profile: { name: 'Ana' }, wa_id: '15551234567' }],
      messages: [
        { from: '15551234567', id: 'wamid.A', timestamp: '1717243200', type: 'text', text: { body: 'hello' } },
        { from: '15551234567', id: 'wamid.B', timestamp: '1717243201', type: 'button', button: { text: 'Yes', payload: 'CONFIRM' } },
        { from: '15551234567', id: 'wamid.C', timestamp: '1717243202', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'opt-1', title: 'Track order' } } },
      ],
    }), wa, now);
    expect(names).toEqual({ 15551234567: 'Ana' });
    expect(events.map((e) => [e.id, e.type, e.text])).toEqual([['meta:wamid.A', 'social.dm', 'hello'], ['meta:wamid.B', 'social.dm', 'Yes'], ['meta:wamid.C', 'social.dm', 'Track order']]);
    expect(events[0]).toMatchObject({ occurredAt: '2024-06-01T12:00:00.000Z', data: { waMessageId: 'wamid.A', profileName: 'Ana', phoneNumberId: '1065', businessAccountId: '1022', messageType: 'text' } });
    expect(events[1].data).toMatchObject({ replyPayload: 'CONFIRM' });
    expect(events[2].data).toMatchObject({ interactiveType: 'button_reply', replyId: 'opt-1' });
  });

  it('statuses become message.delivered / read / failed carrying the message id; sent says nothing new', () => {
    const { events } = metaWebhookEvents(value({
      statuses: [
        { id: 'wamid.OUT', status: 'sent', timestamp: '1717243200', recipient_id: '1555' },
        { id: 'wamid.OUT', status: 'delivered', timestamp: '1717243201', recipient_id: '1555' },
        { id: 'wamid.OUT', status: 'read', timestamp: '1717243202', recipient_id: '1555' },
        { id: 'wamid.OUT2', status: 'failed', timestamp: '1717243203', recipient_id: '1555', errors: [{ code: 131026, title: 'Message undeliverable' }] },
      ],
    }), wa, now);
    expect(events.map((e) => [e.id, e.type, e.data?.providerId])).toEqual([
      ['meta:status:wamid.OUT:delivered', 'message.delivered', 'wamid.OUT'],
      ['meta:status:wamid.OUT:read', 'message.read', 'wamid.OUT'],
      ['meta:status:wamid.OUT2:failed', 'message.failed', 'wamid.OUT2'],
    ]);
    expect(events[2].data).toMatchObject({ reason: 'whatsapp_131026', errorCode: 131026, errorTitle: 'Message undeliverable' });
  });

  it('another number of the same business account is not this channel\'s', () => {
    const other = value({ messages: [{ from: '1', id: 'wamid.Z', timestamp: '1', type: 'text', text: { body: 'x' } }] });
    (other.entry[0].changes[0].value as { metadata: { phone_number_id: string } }).metadata.phone_number_id = '9999';
    expect(metaWebhookEvents(other, wa, now).events).toEqual([]);
  });
});

describe('signatures and the verify token', () => {
  const secret = '0123456789abcdef0123456789abcdef';
  it('X-Hub-Signature-256 is the HMAC-SHA256 of the raw bytes with the App Secret', () => {
    const raw = '{"object":"page","entry":[{"id":"1","text":"caf\\u00e9"}]}';
    const header = signMetaPayload(secret, raw);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyMetaSignature(secret, raw, header)).toEqual({ ok: true });
    expect(verifyMetaSignature(secret, raw, header.toUpperCase().replace('SHA256=', 'sha256='))).toEqual({ ok: true });
    expect(verifyMetaSignature(secret, `${raw} `, header)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyMetaSignature('f'.repeat(32), raw, header)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyMetaSignature(undefined, raw, header)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyMetaSignature(secret, raw, undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyMetaSignature(secret, raw, 'sha1=abc')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('the verify token must be equal', () => {
    expect(verifyTokenMatches('journeys-verify', 'journeys-verify')).toBe(true);
    expect(verifyTokenMatches('journeys-verify', 'journeys-verif')).toBe(false);
    expect(verifyTokenMatches('journeys-verify', undefined)).toBe(false);
  });
});
