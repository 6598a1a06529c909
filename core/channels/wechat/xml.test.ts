import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { eventFromXml } from './inbound';
import { parseWechatXml, WechatXmlError } from './xml';

const problem = (raw: string) => {
  try {
    parseWechatXml(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(WechatXmlError);
    return (err as WechatXmlError).problem;
  }
  return 'parsed';
};

describe('parseWechatXml', () => {
  it("reads WeChat's documented text message", () => {
    const raw = `<xml>
      <ToUserName><![CDATA[toUser]]></ToUserName>
      <FromUserName><![CDATA[fromUser]]></FromUserName>
      <CreateTime>1348831860</CreateTime>
      <MsgType><![CDATA[text]]></MsgType>
      <Content><![CDATA[this is a test]]></Content>
      <MsgId>1234567890123456</MsgId>
    </xml>`;
    expect(parseWechatXml(raw)).toEqual({ ToUserName: 'toUser', FromUserName: 'fromUser', CreateTime: '1348831860', MsgType: 'text', Content: 'this is a test', MsgId: '1234567890123456' });
  });

  it('keeps CDATA exactly (markup, whitespace, Chinese), decodes entities in text, reads nested elements and item lists', () => {
    const raw = '<?xml version="1.0" encoding="UTF-8"?>\n<xml><Content><![CDATA[ <b>你好</b> & ]]></Content><Label>A &amp; B &lt;3 &#x4F60;&#22909;</Label>'
      + '<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>'
      + '<SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum><![CDATA[a]]></PicMd5Sum></item><item><PicMd5Sum><![CDATA[b]]></PicMd5Sum></item></PicList></SendPicsInfo><Empty/></xml>';
    expect(parseWechatXml(raw)).toEqual({
      Content: ' <b>你好</b> & ', Label: 'A & B <3 你好',
      ScanCodeInfo: { ScanType: 'qrcode', ScanResult: '1' },
      SendPicsInfo: { Count: '2', PicList: { item: [{ PicMd5Sum: 'a' }, { PicMd5Sum: 'b' }] } },
      Empty: '',
    });
    expect(parseWechatXml('<xml></xml>')).toEqual({});
  });

  it('refuses anything else, naming the problem', () => {
    expect(problem('')).toBe('empty');
    expect(problem('{"json": true}')).toBe('not_xml');
    expect(problem('<root><a>1</a></root>')).toBe('not_xml');
    expect(problem('<xml><a>1</a>')).toBe('unclosed');
    expect(problem('<xml><a>1</b></xml>')).toBe('mismatch');
    expect(problem('<xml><a x="1">1</a></xml>')).toBe('attributes');
    expect(problem('<xml><a><![CDATA[x</a></xml>')).toBe('cdata');
    expect(problem('<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>')).toBe('forbidden');
    expect(problem('<xml><!-- c --><a>1</a></xml>')).toBe('forbidden');
    expect(problem('<xml><a>&e;</a></xml>')).toBe('entity');
    expect(problem('<xml><a>AT&T</a></xml>')).toBe('entity');
    expect(problem('<xml><a>text<b>1</b></a></xml>')).toBe('mixed');
    expect(problem('<xml><a>1</a><a>2</a></xml>')).toBe('duplicate');
    expect(problem('<xml><a>1</a></xml><xml></xml>')).toBe('root');
    expect(problem('<xml><a>1</a></xml>junk')).toBe('trailing');
    expect(problem(`<xml>${'<a>'.repeat(20)}${'</a>'.repeat(20)}</xml>`)).toBe('depth');
  });

  it('says what is wrong in both languages', () => {
    try {
      parseWechatXml('<xml><Content><![CDATA[hi]]></xml>');
      expect.unreachable();
    } catch (err) {
      expect((err as WechatXmlError).i18n).toEqual({ en: expect.stringContaining('closing tag'), 'zh-CN': expect.stringContaining('结束标签') });
    }
  });
});

describe('eventFromXml', () => {
  const base = { ToUserName: 'gh_1', FromUserName: 'oUser1', CreateTime: '1700000000' };

  it('a text message is a DM with the MsgId as event id', () => {
    expect(eventFromXml({ ...base, MsgType: 'text', Content: '你好', MsgId: '123' }, 'wechat')).toEqual({
      id: 'wechat:123', type: 'social.dm', channel: 'wechat', handle: 'oUser1', text: '你好', occurredAt: '2023-11-14T22:13:20.000Z',
      data: { ToUserName: 'gh_1', MsgType: 'text', MsgId: '123' },
    });
  });

  it('an image is a DM with the picture as mediaUrl', () => {
    const e = eventFromXml({ ...base, MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/x', MediaId: 'm1', MsgId: '124' }, 'wechat');
    expect(e).toMatchObject({ id: 'wechat:124', type: 'social.dm', data: { mediaUrl: 'http://mmbiz.qpic.cn/x', PicUrl: 'http://mmbiz.qpic.cn/x', MediaId: 'm1' } });
    expect(e.text).toBeUndefined();
  });

  it('events are wechat.<event>, keyed by user, time and event', () => {
    expect(eventFromXml({ ...base, MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_42', Ticket: 'T' }, 'wx')).toMatchObject({
      id: 'wechat:oUser1:1700000000:subscribe', type: 'wechat.subscribe', channel: 'wx', data: { EventKey: 'qrscene_42', Ticket: 'T', ToUserName: 'gh_1' },
    });
    expect(eventFromXml({ ...base, MsgType: 'event', Event: 'SCAN', EventKey: '42' }, 'wx').type).toBe('wechat.scan');
    expect(eventFromXml({ ...base, MsgType: 'event', Event: 'CLICK', EventKey: 'MENU_1' }, 'wx').type).toBe('wechat.click');
  });

  it('refuses what it cannot turn into an event with a 400 naming the field', () => {
    const field = (xml: Record<string, string>) => {
      try {
        eventFromXml(xml, 'wechat');
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).status).toBe(400);
        return ((err as AppError).details.fields as { field: string }[])[0].field;
      }
      return 'ok';
    };
    expect(field({ ...base, FromUserName: '', MsgType: 'text', Content: 'x' })).toBe('body/xml/FromUserName');
    expect(field({ ...base, CreateTime: 'yesterday', MsgType: 'text', Content: 'x' })).toBe('body/xml/CreateTime');
    expect(field({ ...base, Content: 'x' })).toBe('body/xml/MsgType');
    expect(field({ ...base, MsgType: 'text' })).toBe('body/xml/Content');
    expect(field({ ...base, MsgType: 'event' })).toBe('body/xml/Event');
    expect(field({ ...base, MsgType: 'text', Content: 'x', MsgId: '12a' })).toBe('body/xml/MsgId');
    expect(field({ ToUserName: 'gh_1', Encrypt: 'abc' })).toBe('body/xml/Encrypt');
  });
});
