import { describe, expect, it } from 'vitest';
import { NodeError, SendBlockedError, type OutboundMessage, type SendResult } from '../../contract';
import { ConfigInvalidError, runNode } from '../../harness';
import { responseReply } from './manifest';
import reply from './run';

const windowClosed = () => new SendBlockedError('outside_48h_window', 'not sent: outside the 48 h window (未发送：超出 48 小时)', { channel: 'wechat', lastInboundAt: '2024-05-30T08:00:00.000Z' });
/** The platform refuses every customer-service message on WeChat; anything else goes out. */
const wechatWindowClosed = (m: OutboundMessage): SendResult => {
  if (m.channel === 'wechat' && !m.data?.wechatTemplate) throw windowClosed();
  return { status: 'sent', providerId: `p-${m.channel}`, replayed: false };
};
const wechatEvent = { channel: 'wechat', handle: 'oUser1', text: '订单到哪了？' };

describe('response.reply', () => {
  it('answers publicly on the thread, or by DM', async () => {
    const r = await runNode(responseReply, reply, { config: { mode: 'reply', message: '抱歉 {{contact.profile.name | "亲"}}' }, event: { threadId: 'post-1' } });
    expect(r.sent[0]).toMatchObject({ channel: 'weibo', to: '@lily', kind: 'reply', inReplyTo: 'post-1', text: '抱歉 亲' });
    const dm = await runNode(responseReply, reply, { config: { mode: 'dm', message: 'hi' } });
    expect(dm.sent[0]).toMatchObject({ kind: 'dm', inReplyTo: undefined });
  });

  it('a message with a variable that has no value and no fallback is not sent: the step names the variable', async () => {
    const r = await runNode(responseReply, reply, { config: { mode: 'reply', message: 'Sorry to hear that {{contact.profile.firstName}}, {{contact.profile.city | "friend"}}' } });
    expect(r.sent).toEqual([]);
    expect(r.port).toBe('skipped');
    expect(r.output).toMatchObject({ reason: 'unresolved_variables', unresolved: ['contact.profile.firstName'] });
  });

  it('a send the platform refuses takes the blocked port with the reason, when no fallback is set', async () => {
    const r = await runNode(responseReply, reply, { config: { mode: 'dm', message: 'hi' }, event: wechatEvent, send: wechatWindowClosed });
    expect(r.port).toBe('blocked');
    expect(r.output).toEqual({ text: 'hi', status: 'blocked', reason: 'outside_48h_window', message: expect.stringContaining('48'), channel: 'wechat', lastInboundAt: '2024-05-30T08:00:00.000Z' });
    expect(r.sent).toHaveLength(1);
  });
});

describe('response.reply fallback', () => {
  const template = {
    mode: 'template' as const, templateId: 'TPL_ORDER_1',
    templateData: { first: '{{contact.profile.name | "您好"}}，您的订单有更新', keyword1: '{{event.data.orderId | "—"}}' },
    url: 'https://brand.example/o/{{event.data.orderId | "latest"}}',
  };

  it('outside the window, a WeChat template message goes to the same user instead, and the step says why', async () => {
    const r = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'Your order {{event.data.orderId | ""}} has shipped', fallback: template },
      event: { ...wechatEvent, data: { orderId: 'A-42' } }, contact: { profile: { name: '小明' } }, send: wechatWindowClosed,
    });
    expect(r.port).toBe('sent');
    expect(r.sent).toHaveLength(2);
    expect(r.sent[1]).toEqual({
      channel: 'wechat', to: 'oUser1', kind: 'dm', text: '小明，您的订单有更新\nA-42',
      data: { wechatTemplate: { templateId: 'TPL_ORDER_1', data: { first: '小明，您的订单有更新', keyword1: 'A-42' }, url: 'https://brand.example/o/A-42' } },
    });
    expect(r.output).toMatchObject({
      status: 'sent', providerId: 'p-wechat', replayed: false,
      fallback: { channel: 'wechat', mode: 'template', reason: 'outside_48h_window', message: expect.stringContaining('48'), status: 'sent' },
    });
  });

  it('an SMS through another channel goes to the contact\'s identity there', async () => {
    const r = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'Hi {{contact.profile.name | "there"}}', fallback: { mode: 'sms', channel: 'sms-cn' } },
      event: wechatEvent, contact: { identities: [{ channel: 'wechat', handle: 'oUser1' }, { channel: 'sms-cn', handle: '+8613800000000' }] }, send: wechatWindowClosed,
    });
    expect(r.port).toBe('sent');
    // Without a message of its own, the fallback sends the reply's text.
    expect(r.sent[1]).toEqual({ channel: 'sms-cn', to: '+8613800000000', kind: 'sms', text: 'Hi there' });
    expect(r.output).toMatchObject({ text: 'Hi there', fallback: { channel: 'sms-cn', mode: 'sms', reason: 'outside_48h_window' } });
  });

  it('an email fallback goes to the email identity or profile.email, its subject on one line', async () => {
    const r = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'hi', fallback: { mode: 'email', subject: 'About {{event.text}}', text: 'We could not reach you on WeChat: {{event.text}}' } },
      event: { ...wechatEvent, text: 'order\r\nBcc: x@evil.test' }, contact: { profile: { email: 'ann@example.com' } }, send: wechatWindowClosed,
    });
    expect(r.port).toBe('sent');
    expect(r.sent[1]).toMatchObject({ channel: 'email', to: 'ann@example.com', kind: 'email', subject: 'About order Bcc: x@evil.test', text: 'We could not reach you on WeChat: order\r\nBcc: x@evil.test' });
    expect(r.output).toMatchObject({ fallback: { channel: 'email', mode: 'email' } });
  });

  it('no identity on the fallback channel: blocked with both reasons, nothing sent there', async () => {
    const sms = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'hi', fallback: { mode: 'sms' } }, event: wechatEvent, send: wechatWindowClosed,
    });
    expect(sms.port).toBe('blocked');
    expect(sms.sent).toHaveLength(1);
    expect(sms.output).toMatchObject({
      status: 'blocked', reason: 'outside_48h_window', reasons: ['outside_48h_window', 'no_identity'],
      fallback: { channel: 'sms', mode: 'sms', reason: 'outside_48h_window', status: 'skipped', refusal: { reason: 'no_identity', message: expect.stringContaining('no identity on the fallback channel "sms"') } },
    });
    expect((sms.output as any).fallback.refusal.message).toContain('备用渠道“sms”');
    const email = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'hi', fallback: { mode: 'email', subject: 's' } }, event: wechatEvent, contact: { profile: { email: 'not-an-address' } }, send: wechatWindowClosed,
    });
    expect(email).toMatchObject({ port: 'blocked', output: { reasons: ['outside_48h_window', 'no_identity'], fallback: { refusal: { message: expect.stringContaining('no email address') } } } });
  });

  it('the fallback refused too (an unfollowed user): blocked with both reasons', async () => {
    const r = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'hi', fallback: { mode: 'template', templateId: 'T1' } }, event: wechatEvent,
      send: (m) => {
        if (m.data?.wechatTemplate) throw new SendBlockedError('unsubscribed', 'not sent: the user has unfollowed (未发送：该用户已取消关注此公众号)', { channel: 'wechat' });
        throw windowClosed();
      },
    });
    expect(r.port).toBe('blocked');
    expect(r.output).toMatchObject({
      text: 'hi', status: 'blocked', reason: 'outside_48h_window', reasons: ['outside_48h_window', 'unsubscribed'],
      fallback: { channel: 'wechat', mode: 'template', status: 'blocked', refusal: { reason: 'unsubscribed', message: expect.stringContaining('取消关注') } },
    });
  });

  it('a fallback not sent by the ledger (no consent there) is blocked too, never a silent drop', async () => {
    const r = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'hi', fallback: { mode: 'sms', channel: 'sms' } }, event: wechatEvent, contact: { identities: [{ channel: 'sms', handle: '+86138' }] },
      send: (m) => (m.channel === 'sms' ? { status: 'skipped', reason: 'no_consent', replayed: false } : wechatWindowClosed(m)),
    });
    expect(r).toMatchObject({ port: 'blocked', output: { reasons: ['outside_48h_window', 'no_consent'], fallback: { status: 'skipped', refusal: { reason: 'no_consent', message: expect.stringContaining('未发送') } } } });
  });

  it('a fallback variable without a value: not sent, blocked, the variable named', async () => {
    const r = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'hi', fallback: { mode: 'template', templateId: 'T1', templateData: { first: '{{contact.profile.firstName}}' } } }, event: wechatEvent, send: wechatWindowClosed,
    });
    expect(r.sent).toHaveLength(1);
    expect(r).toMatchObject({ port: 'blocked', output: { fallback: { status: 'skipped', refusal: { reason: 'unresolved_variables', unresolved: ['contact.profile.firstName'] } } } });
  });

  it('a failure of the fallback itself is the error port, naming both', async () => {
    const err = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'hi', fallback: { mode: 'template', templateId: 'WRONG' } }, event: wechatEvent,
      send: (m) => {
        if (m.data?.wechatTemplate) throw new NodeError('wechat_refused', 'not sent: WeChat template message: errcode 40037 (invalid template_id)', { errcode: 40037 });
        throw windowClosed();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err).not.toBeInstanceOf(SendBlockedError);
    expect(err).toMatchObject({ code: 'wechat_refused', params: { errcode: 40037, fallback: { channel: 'wechat', reason: 'outside_48h_window' } } });
    expect((err as Error).message).toContain('errcode 40037');
    expect((err as Error).message).toContain('outside_48h_window');
    expect((err as Error).message).toContain('备用渠道');
  });

  it('is used only when the platform refuses: a sent reply or a consent skip sends no fallback', async () => {
    const fallback = { mode: 'sms' as const, channel: 'sms' };
    const sent = await runNode(responseReply, reply, { config: { mode: 'dm', message: 'hi', fallback }, contact: { identities: [{ channel: 'sms', handle: '+86138' }] } });
    expect(sent.port).toBe('sent');
    expect(sent.sent).toHaveLength(1);
    expect(sent.output).not.toHaveProperty('fallback');
    const skipped = await runNode(responseReply, reply, {
      config: { mode: 'dm', message: 'hi', fallback }, contact: { identities: [{ channel: 'sms', handle: '+86138' }] },
      send: () => ({ status: 'skipped', reason: 'no_consent', replayed: false }),
    });
    expect(skipped.port).toBe('skipped');
    expect(skipped.sent).toHaveLength(1);
  });

  it('a template fallback needs a template id, an email one a subject; the channel is a channel name', async () => {
    const invalid = async (fallback: unknown) => {
      const err = await runNode(responseReply, reply, { config: { mode: 'dm', message: 'hi', fallback } as never }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigInvalidError);
      return (err as ConfigInvalidError).errors.map((e) => e.path);
    };
    expect(await invalid({ mode: 'template' })).toEqual(['/fallback/templateId']);
    expect(await invalid({ mode: 'email' })).toEqual(['/fallback/subject']);
    expect(await invalid({})).toEqual(['/fallback/mode']);
    expect(await invalid({ mode: 'sms', channel: 'Not A Channel' })).toEqual(['/fallback/channel']);
    expect(await invalid({ mode: 'template', templateId: 'T', templateData: { 'a.b': 'x' } })).toContain('/fallback/templateData');
    expect(await invalid({ mode: 'template', templateId: 'T', url: 'javascript:alert(1)' })).toEqual(['/fallback/url']);
  });
});
