/**
 * WeChat Official Account deliveries at /api/v1/hooks/:workspaceId/:channel (the server URL of 服务器配置):
 * - GET is the URL verification: `signature` = SHA-1 of the sorted Token, timestamp and nonce → answer `echostr`;
 * - POST is a message or an event. Plaintext mode checks `signature`; safe mode checks `msg_signature` (the same
 *   over the Encrypt field too), decrypts and checks the AppID. A timestamp more than five minutes off is refused.
 *   The XML becomes one contact event, ingested once by its id whatever WeChat's redeliveries (it retries three
 *   times when no answer comes within five seconds): MsgId for messages, the user, CreateTime and event name for
 *   events, the msgid for a template job's outcome (message.delivered / message.failed). An unfollow also withdraws
 *   the contact's consent on the channel, and a later follow gives it back (consent.ts).
 * - The answer is "success", never a passive reply: journeys answer from workers through the customer-service API,
 *   which the DM that started them has opened for 48 hours (README, WeChat Official Account).
 * Refusals: 401 for a signature, freshness or decryption problem; 400 naming what is wrong with the XML, with
 * nothing written.
 */
import type { ContactEvent } from '../../../nodes/contract';
import { fieldMessage } from '../../../nodes/field-messages';
import { ingestEvent, type EngineDeps } from '../../engine/ingest';
import { AppError, badRequest } from '../../errors';
import { channelEncodingAesKey, channelWebhookSecret, type WechatChannelSettings } from '../../store/channel-configs';
import { findContactByIdentity } from '../../store/contacts';
import { text, type HookAnswer, type HookRequest, type InboundHook } from '../inbound-hooks';
import { applyFollowConsent } from './consent';
import { decryptWechatMessage, signatureMatches, wechatSignature, WechatCryptoError } from './crypto';
import { linkTemplateOutcome, TEMPLATE_FINISH_EVENT, templateOutcomeEvent } from './template-outcome';
import { parseWechatXml, textField, WechatXmlError, type XmlObject } from './xml';

/** How far a delivery's timestamp may be from now. */
export const WECHAT_TIMESTAMP_TOLERANCE_S = 300;

const PROBLEMS = {
  missing: { en: 'is missing', zh: '缺失' },
  mismatch: { en: 'does not match this channel\'s WeChat Token', zh: '与此渠道的微信 Token 不符' },
  malformed: { en: 'must be Unix seconds', zh: '必须是 Unix 秒数' },
  stale: { en: `is more than ${WECHAT_TIMESTAMP_TOLERANCE_S / 60} minutes old (or in the future)`, zh: `已超过 ${WECHAT_TIMESTAMP_TOLERANCE_S / 60} 分钟（或时间在未来）` },
  no_key: { en: 'cannot be decrypted: this channel has no EncodingAESKey', zh: '无法解密：此渠道未配置 EncodingAESKey' },
  undecryptable: { en: 'cannot be decrypted with this channel\'s EncodingAESKey', zh: '无法用此渠道的 EncodingAESKey 解密' },
  wrong_app: { en: 'was encrypted for another AppID than this channel\'s', zh: '加密所针对的 AppID 与此渠道的不符' },
} as const;

type Problem = keyof typeof PROBLEMS;

function refused(field: string, channel: string, problem: Problem): AppError {
  const p = PROBLEMS[problem];
  return new AppError('bad_signature', {
    field, problem: { en: p.en, 'zh-CN': p.zh }, channel: { en: `WeChat channel "${channel}"`, 'zh-CN': `微信渠道“${channel}”` },
  }, { reason: problem, field });
}

/** A 400 naming a part of the XML. */
function badXml(path: string, en: string, zh: string, code = 'invalid_xml'): AppError {
  return badRequest([{ path, message: en, code, i18n: { en, 'zh-CN': zh } }]);
}

function parse(raw: string): XmlObject {
  try {
    return parseWechatXml(raw);
  } catch (err) {
    if (err instanceof WechatXmlError) throw badRequest([{ path: '/', message: err.message, code: 'invalid_xml', i18n: err.i18n }]);
    throw err;
  }
}

/** The timestamp is Unix seconds within the tolerance of now. */
function checkFresh(req: HookRequest, now: number) {
  const ts = req.query.timestamp;
  if (!ts) throw refused('query/timestamp', req.channel, 'missing');
  if (!/^\d{1,12}$/.test(ts)) throw refused('query/timestamp', req.channel, 'malformed');
  if (Math.abs(now / 1000 - Number(ts)) > WECHAT_TIMESTAMP_TOLERANCE_S) throw refused('query/timestamp', req.channel, 'stale');
}

async function verifiedToken(deps: EngineDeps, req: HookRequest, now: number): Promise<string> {
  // The Token first: a channel without one refuses everything the same way.
  const token = await channelWebhookSecret(deps.store, req.workspaceId, req.channel);
  checkFresh(req, now);
  if (!req.query.signature && !req.query.msg_signature) throw refused('query/signature', req.channel, 'missing');
  if (!token) throw refused('query/signature', req.channel, 'mismatch');
  return token;
}

const EVENT_ID_MAX = 200;

/** A template job's outcome as message.delivered / message.failed (template-outcome.ts); its msgid is required. */
function templateFinish(xml: XmlObject, from: string, occurredAt: string, channel: string, data: Record<string, unknown>): ContactEvent | undefined {
  // WeChat spells it MsgID in this event (MsgId in messages).
  const tag = textField(xml, 'MsgID') !== undefined ? 'MsgID' : 'MsgId';
  const msgId = textField(xml, tag)?.trim();
  if (!msgId) throw badRequest([{ path: '/xml/MsgID', message: 'is required', code: 'required', i18n: fieldMessage('required') }]);
  if (!/^\d{1,32}$/.test(msgId)) throw badXml(`/xml/${tag}`, 'must be a number', '必须是数字');
  const status = textField(xml, 'Status');
  if (!status) throw badRequest([{ path: '/xml/Status', message: 'is required', code: 'required', i18n: fieldMessage('required') }]);
  return templateOutcomeEvent({ channel, openid: from, msgId, status, occurredAt, wechatFields: data });
}

/** The contact event of one message or event push (the decrypted XML in safe mode). */
export function eventFromXml(xml: XmlObject, channel: string): ContactEvent {
  const required = (tag: string, valid: (v: string) => boolean, en: string, zh: string) => {
    const v = textField(xml, tag);
    if (v === undefined || v === '') throw badRequest([{ path: `/xml/${tag}`, message: 'is required', code: 'required', i18n: fieldMessage('required') }]);
    if (!valid(v)) throw badXml(`/xml/${tag}`, en, zh);
    return v;
  };
  if (textField(xml, 'Encrypt') !== undefined && textField(xml, 'FromUserName') === undefined) {
    throw badXml('/xml/Encrypt', 'is an encrypted message, but this channel is in plaintext mode: set settings.encodingMode to "safe"', '是加密消息，但此渠道为明文模式：请把 settings.encodingMode 设为 "safe"');
  }
  const from = required('FromUserName', (v) => v.length <= 128 && !/\s/.test(v), 'must be an OpenID (at most 128 characters, no spaces)', '必须是 OpenID（最多 128 个字符，不含空白）');
  const createTime = required('CreateTime', (v) => /^\d{1,12}$/.test(v.trim()), 'must be Unix seconds', '必须是 Unix 秒数').trim();
  const msgType = required('MsgType', (v) => /^[A-Za-z_]{1,32}$/.test(v), 'must be a WeChat message type (text, image, event…)', '必须是微信消息类型（text、image、event…）');
  const occurredAt = new Date(Number(createTime) * 1000).toISOString();

  // Everything but what the event carries itself stays in data, under WeChat's names.
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(xml)) if (k !== 'FromUserName' && k !== 'CreateTime' && k !== 'Content' && k !== 'Encrypt') data[k] = v;

  let event: ContactEvent;
  if (msgType === 'event') {
    const name = required('Event', (v) => /^[A-Za-z0-9_]{1,64}$/.test(v), 'must be a WeChat event name (subscribe, SCAN, CLICK…)', '必须是微信事件名称（subscribe、SCAN、CLICK…）');
    const outcome = name.toUpperCase() === TEMPLATE_FINISH_EVENT ? templateFinish(xml, from, occurredAt, channel, data) : undefined;
    event = outcome ?? { id: `wechat:${from}:${createTime}:${name}`, type: `wechat.${name.toLowerCase()}`, channel, handle: from, data, occurredAt };
  } else {
    const msgId = textField(xml, 'MsgId')?.trim();
    if (msgId !== undefined && !/^\d{1,32}$/.test(msgId)) throw badXml('/xml/MsgId', 'must be a number', '必须是数字');
    const content = msgType === 'text' ? textField(xml, 'Content') : msgType === 'voice' ? textField(xml, 'Recognition') : undefined;
    if (msgType === 'text' && content === undefined) throw badRequest([{ path: '/xml/Content', message: 'is required', code: 'required', i18n: fieldMessage('required') }]);
    const picUrl = textField(xml, 'PicUrl');
    event = {
      id: msgId ? `wechat:${msgId}` : `wechat:${from}:${createTime}:${msgType}`, type: 'social.dm', channel, handle: from, occurredAt,
      ...(content ? { text: content } : {}),
      data: { ...data, ...(picUrl ? { mediaUrl: picUrl } : {}) },
    };
  }
  if (event.id.length > EVENT_ID_MAX) throw badXml('/xml', 'makes an event id longer than 200 characters', '生成的事件 ID 超过 200 个字符');
  if ((event.text?.length ?? 0) > 20_000) throw badXml('/xml/Content', 'must NOT have more than 20000 characters', '不能多于 20000 个字符');
  return event;
}

/** The hook of settings.kind 'wechat'. */
export function wechatHook(deps: EngineDeps, clock: () => number = Date.now): InboundHook {
  return {
    async handshake(req): Promise<HookAnswer> {
      const token = await verifiedToken(deps, req, clock());
      const { timestamp = '', nonce = '', signature, echostr } = req.query;
      if (!signature) throw refused('query/signature', req.channel, 'missing');
      if (!signatureMatches(wechatSignature(token, timestamp, nonce), signature)) throw refused('query/signature', req.channel, 'mismatch');
      if (echostr === undefined) throw badRequest([{ path: '/echostr', message: 'is required', code: 'required', i18n: fieldMessage('required') }], 'query');
      return text(200, echostr);
    },

    async receive(req): Promise<HookAnswer> {
      const settings = req.config.settings as WechatChannelSettings;
      const token = await verifiedToken(deps, req, clock());
      const { timestamp = '', nonce = '' } = req.query;
      let xml: XmlObject;
      if (settings.encodingMode === 'safe') {
        const msgSignature = req.query.msg_signature;
        if (!msgSignature) throw refused('query/msg_signature', req.channel, 'missing');
        const outer = parse(req.raw);
        const encrypt = textField(outer, 'Encrypt');
        if (!encrypt) throw badRequest([{ path: '/xml/Encrypt', message: 'is required (the channel is in safe mode)', code: 'required', i18n: { en: 'is required (the channel is in safe mode)', 'zh-CN': '为必填项（此渠道为安全模式）' } }]);
        if (!signatureMatches(wechatSignature(token, timestamp, nonce, encrypt), msgSignature)) throw refused('query/msg_signature', req.channel, 'mismatch');
        const key = await channelEncodingAesKey(deps.store, req.workspaceId, req.channel);
        if (!key) throw refused('body/xml/Encrypt', req.channel, 'no_key');
        let inner: string;
        try {
          inner = decryptWechatMessage(encrypt, key, settings.appId);
        } catch (err) {
          if (!(err instanceof WechatCryptoError)) throw err;
          throw refused('body/xml/Encrypt', req.channel, err.reason === 'app_id_mismatch' ? 'wrong_app' : 'undecryptable');
        }
        xml = parse(inner);
      } else {
        if (!signatureMatches(wechatSignature(token, timestamp, nonce), req.query.signature)) throw refused('query/signature', req.channel, req.query.signature ? 'mismatch' : 'missing');
        xml = parse(req.raw);
      }
      let event = eventFromXml(xml, req.channel);
      if (event.type === 'message.delivered' || event.type === 'message.failed') event = await linkTemplateOutcome(deps.store, req.workspaceId, event);
      // A follow gives back the consent an unfollow took before the journeys it starts (a welcome) send; an unfollow
      // is applied after ingestion, which creates the contact of a first-seen openid. Redeliveries repeat it harmlessly.
      const known = event.type === 'wechat.subscribe' ? await findContactByIdentity(deps.store, req.workspaceId, { channel: event.channel, handle: event.handle }) : null;
      if (known) await applyFollowConsent(deps.store, req.workspaceId, known._id, event);
      const { contactId } = await ingestEvent(deps, req.workspaceId, event);
      if (event.type === 'wechat.unsubscribe') await applyFollowConsent(deps.store, req.workspaceId, contactId, event);
      return text(200, 'success');
    },
  };
}
