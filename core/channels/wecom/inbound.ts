/**
 * WeCom customer-contact callbacks at /api/v1/hooks/:workspaceId/:channel (the URL of 客户联系 › API ›
 * 接收事件服务器), by WeCom's callback scheme (回调和回复的加解密方案, https://developer.work.weixin.qq.com/document/path/90968),
 * which is WeChat's safe mode with the CorpID as receiveid (the shared code is core/channels/wechat/crypto.ts):
 * - GET is the URL verification: msg_signature = SHA-1 of the sorted Token, timestamp, nonce and echostr; the
 *   echostr is decrypted with the EncodingAESKey, its receiveid must be the CorpID, and its plaintext is the answer.
 * - POST is an event, always encrypted: msg_signature over Token, timestamp, nonce and the Encrypt field, then
 *   AES-256-CBC with the EncodingAESKey, receiveid = CorpID. A timestamp more than five minutes off is refused; a
 *   delivery already accepted (the same msg_signature, timestamp and nonce: a replay) is refused with 401. WeCom's own
 *   retries (it tries again when no answer comes within five seconds) are signed afresh and ingested once, by the
 *   event's id (events.ts).
 * - On the add of a customer, its channel-QR `state` becomes the contact's source: the tag `source:<state>` and, unless
 *   the contact has one, the profile field `source` — written before the event is ingested, so the journeys it
 *   starts see them. On an add or an edit, the tags the staff member set on the customer are read (获取客户详情,
 *   best effort, bounded in time) into the event's `data.tags` and added to the contact's tags.
 * - The answer is "success" at once: journeys answer from workers (the welcome message, adapter.ts).
 * Refusals: 401 for a signature, freshness, decryption or replay problem; 400 naming what is wrong with the XML; in
 * both cases nothing is written.
 */
import type { ContactEvent, Effect } from '../../../nodes/contract';
import { fieldMessage } from '../../../nodes/field-messages';
import { ingestEvent, ingestPrepared, type EngineDeps } from '../../engine/ingest';
import { AppError, badRequest } from '../../errors';
import { channelEncodingAesKey, channelToken, channelWebhookSecret, type WecomChannelSettings } from '../../store/channel-configs';
import { applyEffect } from '../../store/contacts';
import { text, type HookAnswer, type HookRequest, type InboundHook } from '../inbound-hooks';
import { firstDelivery } from '../inbound-signature';
import { decryptWechatMessage, signatureMatches, wechatSignature, WechatCryptoError } from '../wechat/crypto';
import { parseWechatXml, textField, WechatXmlError, type XmlObject } from '../wechat/xml';
import { wecomAccount } from './adapter';
import { externalContact } from './client';
import { callbackMeaning } from './events';
import { followUserTags, forgetTagLibrary } from './tags';

/** How far a delivery's timestamp may be from now. */
export const WECOM_TIMESTAMP_TOLERANCE_S = 300;
/** How long the hook waits for the customer's tags before ingesting without them (WeCom wants an answer within 5 s). */
export const WECOM_ENRICH_TIMEOUT_MS = 2_000;
/** The tag a customer's channel-QR state becomes. */
export const sourceTag = (state: string) => `source:${state}`;

const PROBLEMS = {
  missing: { en: 'is missing', zh: '缺失' },
  mismatch: { en: 'does not match this channel\'s WeCom callback Token', zh: '与此渠道的企业微信回调 Token 不符' },
  malformed: { en: 'must be Unix seconds', zh: '必须是 Unix 秒数' },
  stale: { en: `is more than ${WECOM_TIMESTAMP_TOLERANCE_S / 60} minutes old (or in the future)`, zh: `已超过 ${WECOM_TIMESTAMP_TOLERANCE_S / 60} 分钟（或时间在未来）` },
  no_key: { en: 'cannot be decrypted: this channel has no EncodingAESKey', zh: '无法解密：此渠道未配置 EncodingAESKey' },
  undecryptable: { en: 'cannot be decrypted with this channel\'s EncodingAESKey', zh: '无法用此渠道的 EncodingAESKey 解密' },
  wrong_corp: { en: 'was encrypted for another CorpID than this channel\'s', zh: '加密所针对的 CorpID 与此渠道的不符' },
  replayed: { en: 'was already accepted: a replayed callback is refused', zh: '已被接收过：重放的回调将被拒绝' },
} as const;

type Problem = keyof typeof PROBLEMS;

function refused(field: string, channel: string, problem: Problem): AppError {
  const p = PROBLEMS[problem];
  return new AppError('bad_signature', {
    field, problem: { en: p.en, 'zh-CN': p.zh }, channel: { en: `WeCom channel "${channel}"`, 'zh-CN': `企业微信渠道“${channel}”` },
  }, { reason: problem, field });
}

function parse(raw: string): XmlObject {
  try {
    return parseWechatXml(raw);
  } catch (err) {
    if (err instanceof WechatXmlError) throw badRequest([{ path: '/', message: err.message, code: 'invalid_xml', i18n: err.i18n }]);
    throw err;
  }
}

/** The Token and the EncodingAESKey, once the timestamp is fresh and a msg_signature is there. */
async function verified(deps: EngineDeps, req: HookRequest, now: number): Promise<{ token: string; key: string; msgSignature: string }> {
  // The secrets first: a channel without them refuses everything the same way.
  const [token, key] = await Promise.all([channelWebhookSecret(deps.store, req.workspaceId, req.channel), channelEncodingAesKey(deps.store, req.workspaceId, req.channel)]);
  const ts = req.query.timestamp;
  if (!ts) throw refused('query/timestamp', req.channel, 'missing');
  if (!/^\d{1,12}$/.test(ts)) throw refused('query/timestamp', req.channel, 'malformed');
  if (Math.abs(now / 1000 - Number(ts)) > WECOM_TIMESTAMP_TOLERANCE_S) throw refused('query/timestamp', req.channel, 'stale');
  const msgSignature = req.query.msg_signature;
  if (!msgSignature) throw refused('query/msg_signature', req.channel, 'missing');
  if (!token) throw refused('query/msg_signature', req.channel, 'mismatch');
  if (!key) throw refused('query/msg_signature', req.channel, 'no_key');
  return { token, key, msgSignature };
}

function decrypt(field: string, channel: string, encrypt: string, key: string, corpId: string): string {
  try {
    return decryptWechatMessage(encrypt, key, corpId);
  } catch (err) {
    if (!(err instanceof WechatCryptoError)) throw err;
    throw refused(field, channel, err.reason === 'app_id_mismatch' ? 'wrong_corp' : 'undecryptable');
  }
}

/** The tag names the staff member set on the customer, when WeCom answers in time; undefined otherwise. */
async function customerTags(deps: EngineDeps, req: HookRequest, event: ContactEvent): Promise<string[] | undefined> {
  const secret = await channelToken(deps.store, req.workspaceId, req.channel);
  if (!secret) return undefined;
  const settings = req.config.settings as WecomChannelSettings;
  const lookup = externalContact(wecomAccount({ workspaceId: req.workspaceId, channel: req.channel, settings, secret }), event.handle)
    .then((c) => (c ? followUserTags(c, typeof event.data?.staff === 'string' ? event.data.staff : undefined) : undefined))
    .catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), WECOM_ENRICH_TIMEOUT_MS); });
  try {
    return await Promise.race([lookup, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the platform says of the contact itself (source, tags), as effects keyed by the event: applied once. */
function platformEffects(event: ContactEvent, tags: string[] | undefined): Effect[] {
  const state = typeof event.data?.state === 'string' ? event.data.state.trim() : '';
  const add = [...(state ? [sourceTag(state)] : []), ...(tags ?? [])].filter((t) => t.length <= 64);
  return add.length ? [{ kind: 'contact.tags', add: [...new Set(add)] }] : [];
}

/** Ingests a contact event; what WeCom says of the contact (its source, its tags) is applied first (ingestPrepared). */
async function ingestWithSource(deps: EngineDeps, req: HookRequest, event: ContactEvent, tags: string[] | undefined) {
  const effects = platformEffects(event, tags);
  if (!effects.length) return ingestEvent(deps, req.workspaceId, event);
  return ingestPrepared(deps, req.workspaceId, event, async (contact, now) => {
    for (const [i, effect] of effects.entries()) await applyEffect(deps.store, req.workspaceId, contact._id, `${event.id}:platform:${i}`, effect, now);
    const state = typeof event.data?.state === 'string' ? event.data.state.trim() : '';
    if (state) {
      await deps.store.contacts.updateOne({ _id: contact._id, workspaceId: req.workspaceId, 'profile.source': { $exists: false } }, { $set: { 'profile.source': state, updatedAt: now } });
    }
    // The contact's timeline says where the change came from, once.
    await deps.store.interactions.updateOne({ _id: `${req.workspaceId}|platform|${contact._id}|${event.id}` }, {
      $setOnInsert: {
        workspaceId: req.workspaceId, contactId: contact._id, kind: 'update', type: 'contact.tags', channel: event.channel,
        data: { add: effects.flatMap((e) => (e.kind === 'contact.tags' ? e.add ?? [] : [])), remove: [], ...(state ? { source: state } : {}), eventId: event.id, by: { kind: 'platform', name: 'WeCom' } },
        occurredAt: new Date(event.occurredAt), receivedAt: now,
      },
    }, { upsert: true });
  });
}

const ENRICHED = new Set(['wecom.contact_added', 'wecom.contact_half_added', 'wecom.contact_edited']);

/** The hook of settings.kind 'wecom'. */
export function wecomHook(deps: EngineDeps, clock: () => number = Date.now): InboundHook {
  return {
    async handshake(req): Promise<HookAnswer> {
      const settings = req.config.settings as WecomChannelSettings;
      const { token, key, msgSignature } = await verified(deps, req, clock());
      const { timestamp = '', nonce = '', echostr } = req.query;
      if (echostr === undefined || echostr === '') throw badRequest([{ path: '/echostr', message: 'is required', code: 'required', i18n: fieldMessage('required') }], 'query');
      if (!signatureMatches(wechatSignature(token, timestamp, nonce, echostr), msgSignature)) throw refused('query/msg_signature', req.channel, 'mismatch');
      return text(200, decrypt('query/echostr', req.channel, echostr, key, settings.corpId));
    },

    async receive(req): Promise<HookAnswer> {
      const settings = req.config.settings as WecomChannelSettings;
      const { token, key, msgSignature } = await verified(deps, req, clock());
      const { timestamp = '', nonce = '' } = req.query;
      const encrypt = textField(parse(req.raw), 'Encrypt');
      if (!encrypt) throw badRequest([{ path: '/xml/Encrypt', message: 'is required (WeCom callbacks are encrypted)', code: 'required', i18n: { en: 'is required (WeCom callbacks are encrypted)', 'zh-CN': '为必填项（企业微信回调均为加密消息）' } }]);
      if (!signatureMatches(wechatSignature(token, timestamp, nonce, encrypt), msgSignature)) throw refused('query/msg_signature', req.channel, 'mismatch');
      const meaning = callbackMeaning(parse(decrypt('body/xml/Encrypt', req.channel, encrypt, key, settings.corpId)), req.channel);

      if (meaning.kind === 'tag_library') forgetTagLibrary({ workspaceId: req.workspaceId, channel: req.channel, corpId: settings.corpId });
      if (meaning.kind === 'contact') {
        const { event } = meaning;
        // A retry of an event already here is ingested again (idempotent: it restarts a run a crash lost), not re-read.
        const seen = await deps.store.interactions.findOne({ _id: `${req.workspaceId}|event|${event.id}` }, { projection: { _id: 1 } });
        const tags = !seen && ENRICHED.has(event.type) ? await customerTags(deps, req, event) : undefined;
        if (tags) event.data = { ...event.data, tags };
        await (seen ? ingestEvent(deps, req.workspaceId, event) : ingestWithSource(deps, req, event, tags));
      }
      // Recorded once the event is in: a byte-identical replay is refused (having added nothing), while a delivery that
      // failed half-way can still be delivered again.
      if (!(await firstDelivery(deps.store, req.workspaceId, req.channel, `wecom:${msgSignature}:${timestamp}:${nonce}`))) throw refused('query/msg_signature', req.channel, 'replayed');
      return text(200, 'success');
    },
  };
}
