import { describe, expect, it } from 'vitest';
import { decryptWechatMessage, encryptWechatMessage, signatureMatches, wechatSignature } from '../wechat/crypto';

// WeCom's published URL-verification sample (回调和回复的加解密方案, the WXBizMsgCrypt samples): its CorpID, Token,
// EncodingAESKey and query, with the plaintext the sample says the echostr decrypts to. The WeChat crypto is shared:
// this checks it against WeCom's own numbers, with the CorpID as the receiveid.
const CORP_ID = 'wx5823bf96d3bd56c7';
const TOKEN = 'QDG6eK';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const TIMESTAMP = '1409659589';
const NONCE = '263014780';
const ECHOSTR = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const MSG_SIGNATURE = '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3';

describe('WeCom callback crypto (shared with WeChat)', () => {
  it("verifies WeCom's sample: msg_signature over Token, timestamp, nonce and echostr; the echostr decrypts for the CorpID", () => {
    expect(signatureMatches(wechatSignature(TOKEN, TIMESTAMP, NONCE, ECHOSTR), MSG_SIGNATURE)).toBe(true);
    expect(decryptWechatMessage(ECHOSTR, AES_KEY, CORP_ID)).toBe('1616140317555161061');
  });

  it('refuses the sample for another CorpID, and round-trips an event for the CorpID', () => {
    expect(() => decryptWechatMessage(ECHOSTR, AES_KEY, 'ww0000000000000000')).toThrow(expect.objectContaining({ reason: 'app_id_mismatch' }));
    const xml = '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Event><![CDATA[change_external_contact]]></Event></xml>';
    expect(decryptWechatMessage(encryptWechatMessage(xml, AES_KEY, CORP_ID), AES_KEY, CORP_ID)).toBe(xml);
  });
});
