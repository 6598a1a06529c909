import { describe, expect, it } from 'vitest';
import { aesKeyOf, decryptWechatMessage, encryptWechatMessage, signatureMatches, wechatSignature, WechatCryptoError } from './crypto';

// Known-answer vectors computed outside this code: `printf '%s' 1700000000372918465journeysToken2024 | sha1sum`, and
// the ciphertext with `openssl enc -aes-256-cbc -nopad` over the plaintext laid out by hand (16 bytes
// "0123456789abcdef", the XML's 250-byte length big-endian, the XML, the AppID, then 32 bytes of 0x20: 288 is a whole
// number of 32-byte blocks, so PKCS#7 adds a full block).
const TOKEN = 'journeysToken2024';
const TIMESTAMP = '1700000000';
const NONCE = '372918465';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wx1234567890abcdef';
const XML = '<xml><ToUserName><![CDATA[gh_journeys]]></ToUserName><FromUserName><![CDATA[oKAT-user]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>6000000000000000001</MsgId></xml>';
const ENCRYPT = 'Q3stYC6hdFzMh9T8HCvyDIGLsyHCgVx+pkCc9alTDKgwu4Tf941CloQ3+SfioHlCLtQ2TcQa80Y2fuyzeNaGBrXTLfmZqNYZXMPcCvT2trzQMBV/rElKSLtsGKSZbZz3X4WDdJ8NtFtqoP4YAykZ8awgsxyhzhJ8OkJUFnBtdcBAbf53hJb+FMK1vlO8SyKFqELvR/a3WQcIdpbu39mUVveuEBkYSuoJyGvEyf4udAFJlFTm+2Q+X2r4VURTGScjw6srG0a+FY0ujEWD1YoynZ8FzYwT+UTuZNT1Ks0gMhxglUT6ONVRgc1f3LI0D0gR/1mQLrJArX9qvHR4KKqJ2Oklvx4+Xjhs460N5rdrSfBqE+y9AOVxjCMTNHKgeKAOvCR0vD2pHiw241GivqHkJZeqpB3vuEpD8DxQ7mFFAA8=';

describe('WeChat signatures', () => {
  it('is the SHA-1 of the dictionary-sorted parts (known answer)', () => {
    expect(wechatSignature(TOKEN, TIMESTAMP, NONCE)).toBe('0352e1c49052bf49404c51fb6b1f0c6dd530621b');
    // The order the parts come in does not matter: they are sorted.
    expect(wechatSignature(NONCE, TOKEN, TIMESTAMP)).toBe('0352e1c49052bf49404c51fb6b1f0c6dd530621b');
    // msg_signature covers the Encrypt field too.
    expect(wechatSignature(TOKEN, TIMESTAMP, NONCE, ENCRYPT)).toBe('bee5e47ba7c17252db179bc485a07da2dc3e91c1');
  });

  it('compares in constant time, case-insensitively, and refuses what is absent', () => {
    const sig = wechatSignature(TOKEN, TIMESTAMP, NONCE);
    expect(signatureMatches(sig, sig)).toBe(true);
    expect(signatureMatches(sig, sig.toUpperCase())).toBe(true);
    expect(signatureMatches(sig, sig.slice(0, -1))).toBe(false);
    expect(signatureMatches(sig, wechatSignature('other', TIMESTAMP, NONCE))).toBe(false);
    expect(signatureMatches(sig, undefined)).toBe(false);
  });
});

describe('WeChat message encryption', () => {
  it('decrypts the known-answer ciphertext and checks the AppID', () => {
    expect(aesKeyOf(AES_KEY).toString('hex')).toBe('69b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39ebbf3d0010831051');
    expect(decryptWechatMessage(ENCRYPT, AES_KEY, APP_ID)).toBe(XML);
    expect(() => decryptWechatMessage(ENCRYPT, AES_KEY, 'wx0000000000000000')).toThrow(expect.objectContaining({ reason: 'app_id_mismatch' }));
  });

  it('encrypts to the known answer with the same random prefix, and round-trips any message', () => {
    expect(encryptWechatMessage(XML, AES_KEY, APP_ID, Buffer.from('0123456789abcdef'))).toBe(ENCRYPT);
    for (const xml of ['', 'x', '<xml>' + '长'.repeat(1000) + '</xml>', 'a'.repeat(31), 'a'.repeat(32)]) {
      expect(decryptWechatMessage(encryptWechatMessage(xml, AES_KEY, APP_ID), AES_KEY, APP_ID)).toBe(xml);
    }
  });

  it('refuses a wrong key, tampered or truncated ciphertext, and malformed keys', () => {
    const otherKey = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';
    const reason = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(WechatCryptoError);
        return (err as WechatCryptoError).reason;
      }
      return 'no error';
    };
    expect(['bad_padding', 'bad_length', 'app_id_mismatch']).toContain(reason(() => decryptWechatMessage(ENCRYPT, otherKey, APP_ID)));
    expect(reason(() => decryptWechatMessage(ENCRYPT.slice(0, 40), AES_KEY, APP_ID))).toBe('bad_ciphertext');
    expect(reason(() => decryptWechatMessage('not base64!', AES_KEY, APP_ID))).toBe('bad_ciphertext');
    const bytes = Buffer.from(ENCRYPT, 'base64');
    bytes[bytes.length - 1] ^= 0x55; // the padding block
    expect(reason(() => decryptWechatMessage(bytes.toString('base64'), AES_KEY, APP_ID))).toBe('bad_padding');
    expect(reason(() => aesKeyOf('short'))).toBe('bad_key');
    expect(reason(() => aesKeyOf(`${AES_KEY.slice(0, 42)}+`))).toBe('bad_key');
  });
});
