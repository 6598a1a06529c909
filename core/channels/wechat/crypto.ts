/**
 * WeChat Official Account message signatures and encryption, as the platform documents them
 * (消息加解密说明 / 技术方案, https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html):
 * - signature = hex SHA-1 of the dictionary-sorted concatenation of Token, timestamp and nonce (URL verification and
 *   every plaintext delivery); msg_signature = the same over Token, timestamp, nonce and the Encrypt field (safe mode);
 * - AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC, IV = the key's first 16 bytes, PKCS#7
 *   padding to a 32-byte block; the plaintext is 16 random bytes, the XML's length as 4 bytes big-endian, the XML,
 *   then the AppID it was sent to.
 * WeCom (企业微信) callbacks use the very same scheme (回调和回复的加解密方案), with the CorpID as the receiveid in place
 * of the AppID, and msg_signature also over the URL verification's echostr: core/channels/wecom/ uses these functions,
 * passing the CorpID as `receiveId`.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** WeChat's rule for the Token of the server configuration (令牌): 3 to 32 letters or digits. */
export const WECHAT_TOKEN_PATTERN = '^[A-Za-z0-9]{3,32}$';
/** EncodingAESKey: 43 characters from [A-Za-z0-9] (the Base64 of 32 bytes without its "="). */
export const ENCODING_AES_KEY_PATTERN = '^[A-Za-z0-9]{43}$';

const BLOCK = 32;

/** Hex SHA-1 of the parts sorted as strings (dictionary order) and concatenated. */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
}

/** Constant-time comparison of a received hex signature with the expected one. */
export function signatureMatches(expected: string, received: string | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export class WechatCryptoError extends Error {
  override name = 'WechatCryptoError';
  constructor(readonly reason: 'bad_key' | 'bad_ciphertext' | 'bad_padding' | 'bad_length' | 'app_id_mismatch', message: string) {
    super(message);
  }
}

/** The 32-byte AES key behind an EncodingAESKey. */
export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!new RegExp(ENCODING_AES_KEY_PATTERN).test(encodingAesKey)) throw new WechatCryptoError('bad_key', 'EncodingAESKey must be 43 letters or digits');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WechatCryptoError('bad_key', 'EncodingAESKey does not decode to 32 bytes');
  return key;
}

/** Decrypts an Encrypt field and checks the receiveid it names (WeChat's AppID, WeCom's CorpID); the message's XML. */
export function decryptWechatMessage(encrypt: string, encodingAesKey: string, receiveId: string): string {
  const key = aesKeyOf(encodingAesKey);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt)) throw new WechatCryptoError('bad_ciphertext', 'Encrypt is not Base64');
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new WechatCryptoError('bad_ciphertext', 'Encrypt is not a whole number of AES blocks');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new WechatCryptoError('bad_ciphertext', 'Encrypt could not be decrypted');
  }
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
    throw new WechatCryptoError('bad_padding', 'the decrypted message has no valid PKCS#7 padding (wrong EncodingAESKey?)');
  }
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new WechatCryptoError('bad_length', 'the decrypted message is too short');
  const len = body.readUInt32BE(16);
  if (20 + len > body.length) throw new WechatCryptoError('bad_length', 'the decrypted message is shorter than its length field says');
  const xml = body.subarray(20, 20 + len).toString('utf8');
  const to = body.subarray(20 + len).toString('utf8');
  if (to !== receiveId) throw new WechatCryptoError('app_id_mismatch', 'the message was encrypted for another AppID (CorpID)');
  return xml;
}

/** Encrypts a message for a receiveid (passive replies in safe mode, and tests); `random` is 16 bytes. */
export function encryptWechatMessage(xml: string, encodingAesKey: string, receiveId: string, random: Buffer = randomBytes(16)): string {
  const key = aesKeyOf(encodingAesKey);
  const msg = Buffer.from(xml, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const body = Buffer.concat([random.subarray(0, 16), len, msg, Buffer.from(receiveId, 'utf8')]);
  const pad = BLOCK - (body.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}
