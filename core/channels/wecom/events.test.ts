import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { parseWechatXml } from '../wechat/xml';
import { callbackMeaning } from './events';

const xml = (fields: Record<string, string | number>) =>
  parseWechatXml(`<xml>${Object.entries(fields).map(([k, v]) => `<${k}>${typeof v === 'number' ? v : `<![CDATA[${v}]]>`}</${k}>`).join('')}</xml>`);
const change = (changeType: string, extra: Record<string, string | number> = {}) => xml({
  ToUserName: 'ww0123456789abcdef', FromUserName: 'sys', CreateTime: 1_700_000_000, MsgType: 'event', Event: 'change_external_contact',
  ChangeType: changeType, UserID: 'zhangsan', ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA', ...extra,
});
const fieldOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).details;
  }
  throw new Error('no error');
};

describe('WeCom customer-contact callbacks', () => {
  it('an add is wecom.contact_added on the customer, with the staff member, state and welcome code', () => {
    expect(callbackMeaning(change('add_external_contact', { State: 'spring-fair', WelcomeCode: 'CODE123' }), 'wecom')).toEqual({
      kind: 'contact',
      event: {
        id: 'wecom:woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA:zhangsan:1700000000:add_external_contact', type: 'wecom.contact_added', channel: 'wecom',
        handle: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA', occurredAt: '2023-11-14T22:13:20.000Z',
        data: { changeType: 'add_external_contact', staff: 'zhangsan', state: 'spring-fair', welcomeCode: 'CODE123' },
      },
    });
  });

  it('maps every documented change type, and keeps an unknown one under its own name', () => {
    const type = (t: string, extra = {}) => (callbackMeaning(change(t, extra), 'wecom') as { event: { type: string; data: object } }).event;
    expect(type('edit_external_contact').type).toBe('wecom.contact_edited');
    expect(type('del_external_contact', { Source: 'DELETE_BY_TRANSFER' })).toMatchObject({ type: 'wecom.contact_deleted', data: { source: 'DELETE_BY_TRANSFER' } });
    expect(type('del_follow_user').type).toBe('wecom.follow_user_deleted');
    expect(type('add_half_external_contact').type).toBe('wecom.contact_half_added');
    expect(type('transfer_fail', { FailReason: 'customer_refused' })).toMatchObject({ type: 'wecom.transfer_failed', data: { failReason: 'customer_refused' } });
    expect(type('something_new').type).toBe('wecom.something_new');
  });

  it('a tag library change is about no customer; other events without a customer are dropped', () => {
    expect(callbackMeaning(xml({ ToUserName: 'ww0123456789abcdef', FromUserName: 'sys', CreateTime: 1, MsgType: 'event', Event: 'change_external_tag', Id: 'etTAG', TagType: 'tag', ChangeType: 'create' }), 'wecom'))
      .toEqual({ kind: 'tag_library', changeType: 'create', tagId: 'etTAG' });
    expect(callbackMeaning(xml({ ToUserName: 'ww0123456789abcdef', FromUserName: 'sys', CreateTime: 1, MsgType: 'event', Event: 'change_external_chat', ChatId: 'wr1', ChangeType: 'create' }), 'wecom'))
      .toEqual({ kind: 'ignored', event: 'change_external_chat' });
  });

  it('names the missing or malformed part of the XML', () => {
    const noCustomer = change('add_external_contact');
    delete noCustomer.ExternalUserID;
    expect(fieldOf(() => callbackMeaning(noCustomer, 'wecom'))).toMatchObject({ fields: [expect.objectContaining({ field: 'body/xml/ExternalUserID' })] });
    const noStaff = change('edit_external_contact');
    delete noStaff.UserID;
    expect(fieldOf(() => callbackMeaning(noStaff, 'wecom'))).toMatchObject({ fields: [expect.objectContaining({ field: 'body/xml/UserID' })] });
    expect(fieldOf(() => callbackMeaning(change('add_external_contact', { CreateTime: 'soon' }), 'wecom'))).toMatchObject({ fields: [expect.objectContaining({ field: 'body/xml/CreateTime' })] });
    expect(fieldOf(() => callbackMeaning(change('add_external_contact', { State: 'x'.repeat(61) }), 'wecom'))).toMatchObject({ fields: [expect.objectContaining({ field: 'body/xml/State', i18n: expect.objectContaining({ 'zh-CN': expect.any(String) }) })] });
  });
});
