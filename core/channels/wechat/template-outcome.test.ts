import { describe, expect, it } from 'vitest';
import { eventFromXml } from './inbound';
import { templateOutcome, TEMPLATE_FAILURES } from './template-outcome';

describe('template job outcomes', () => {
  it('reads WeChat\'s documented statuses, whatever their spacing', () => {
    expect(templateOutcome('success')).toEqual({ delivered: true });
    expect(templateOutcome('failed:user block')).toEqual({ delivered: false, reason: 'user_block' });
    expect(templateOutcome('failed: system failed')).toEqual({ delivered: false, reason: 'system_failed' });
    expect(templateOutcome('failed:system failed')).toEqual({ delivered: false, reason: 'system_failed' });
    expect(templateOutcome('failed: quota')).toEqual({ delivered: false, reason: 'failed' });
    expect(templateOutcome('queued')).toBeUndefined();
  });

  it('says why in both languages', () => {
    for (const text of Object.values(TEMPLATE_FAILURES)) {
      expect(text.en).toMatch(/^not delivered: /);
      expect(text['zh-CN']).toMatch(/^未送达：/);
    }
  });

  it('a TEMPLATESENDJOBFINISH push is keyed by its msgid, not by user and time', () => {
    const xml = { ToUserName: 'gh_brand', FromUserName: 'oUser1', CreateTime: '1700000000', MsgType: 'event', Event: 'TEMPLATESENDJOBFINISH', MsgID: '200163836', Status: 'failed:user block' };
    expect(eventFromXml(xml, 'wechat')).toEqual({
      id: 'wechat:template:200163836', type: 'message.failed', channel: 'wechat', handle: 'oUser1', occurredAt: '2023-11-14T22:13:20.000Z',
      data: {
        ToUserName: 'gh_brand', MsgType: 'event', Event: 'TEMPLATESENDJOBFINISH', MsgID: '200163836', Status: 'failed:user block',
        providerId: '200163836', kind: 'template', reason: 'user_block', reasonText: TEMPLATE_FAILURES.user_block,
      },
    });
    expect(eventFromXml({ ...xml, MsgID: '200163837', Status: 'success' }, 'wechat')).toMatchObject({ id: 'wechat:template:200163837', type: 'message.delivered', data: { providerId: '200163837' } });
    expect(eventFromXml({ ...xml, Status: 'success' }, 'wechat').data).not.toHaveProperty('reason');
  });
});
