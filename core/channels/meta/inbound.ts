/**
 * Meta webhooks at /api/v1/hooks/:workspaceId/:channel (the Callback URL of the app's Webhooks product, or of
 * WhatsApp › Configuration), per Meta's scheme (https://developers.facebook.com/docs/graph-api/webhooks/getting-started):
 * - GET is the verification: `hub.mode=subscribe` and `hub.verify_token` equal to the channel's verify token →
 *   `hub.challenge` as plain text; anything else → 403.
 * - POST is a batch of changes, signed `X-Hub-Signature-256` with the App Secret (signature.ts): missing or wrong →
 *   401, nothing stored. The events (events.ts) are ingested by their platform ids, so Meta's redeliveries (it retries
 *   a delivery not answered 200 in time, the same bytes) are ingested once; a delivery older than Meta redelivers
 *   (36 hours, WhatsApp 7 days) is a replay: 401, nothing stored (redelivery-window.ts).
 * - WhatsApp carries the sender's name (contacts[].profile.name): it becomes the contact's profile name, unless the
 *   contact has one, before the journeys the message starts read it. Delivery outcomes name the outbox row of the
 *   send Meta's message id belongs to, which records them (as WeChat's template outcomes do).
 * - The answer is 200 at once; journeys answer from workers.
 */
import type { ContactEvent } from '../../../nodes/contract';
import { fieldMessage } from '../../../nodes/field-messages';
import { ingestEvent, ingestPrepared, type EngineDeps } from '../../engine/ingest';
import { AppError, badRequest } from '../../errors';
import { channelWebhookSecret, type MetaChannelSettings } from '../../store/channel-configs';
import { parseJsonBody, text, type HookAnswer, type HookRequest, type InboundHook } from '../inbound-hooks';
import { linkTemplateOutcome } from '../wechat/template-outcome';
import { refuseReplay } from '../redelivery-window';
import { metaWebhookEvents } from './events';
import { META_SIGNATURE_HEADER, verifyMetaSignature, verifyTokenMatches } from './signature';

const PROBLEMS = {
  missing: { en: 'is missing', zh: '缺失' },
  malformed: { en: 'must be "sha256=<hex HMAC-SHA256 of the raw body with the App Secret>"', zh: '格式应为 "sha256=<以 App Secret 对原始请求体计算的 HMAC-SHA256 十六进制>"' },
  mismatch: { en: 'does not match this channel\'s App Secret', zh: '与此渠道的 App Secret 不符' },
} as const;

const PLATFORM_NAMES = { messenger: ['Messenger', 'Messenger'], instagram: ['Instagram', 'Instagram'], whatsapp: ['WhatsApp', 'WhatsApp'] } as const;

function channelName(req: HookRequest) {
  const [en, zh] = PLATFORM_NAMES[(req.config.settings as MetaChannelSettings).platform];
  return { en: `${en} channel "${req.channel}"`, 'zh-CN': `${zh} 渠道“${req.channel}”` };
}

function refused(req: HookRequest, problem: keyof typeof PROBLEMS): AppError {
  const p = PROBLEMS[problem];
  return new AppError('bad_signature', { field: `headers/${META_SIGNATURE_HEADER}`, problem: { en: p.en, 'zh-CN': p.zh }, channel: channelName(req) }, { reason: problem });
}

const DELIVERY_TYPES = new Set(['message.delivered', 'message.read', 'message.failed']);

/** A name Meta gave becomes the contact's, unless it has one; then the event is ingested as usual. */
function ingestNamed(deps: EngineDeps, req: HookRequest, event: ContactEvent, name: string) {
  return ingestPrepared(deps, req.workspaceId, event, async (contact, now) => {
    await deps.store.contacts.updateOne({ _id: contact._id, workspaceId: req.workspaceId, 'profile.name': { $exists: false } }, { $set: { 'profile.name': name, updatedAt: now } });
  });
}

/** The hook of settings.kind 'meta'. */
export function metaHook(deps: EngineDeps): InboundHook {
  return {
    async handshake(req): Promise<HookAnswer> {
      const settings = req.config.settings as MetaChannelSettings;
      const mode = req.query['hub.mode'];
      const challenge = req.query['hub.challenge'];
      if (mode !== 'subscribe' || !verifyTokenMatches(settings.verifyToken, req.query['hub.verify_token'])) {
        throw new AppError('verify_token_mismatch', { channel: channelName(req) }, { reason: mode !== 'subscribe' ? 'mode' : 'verify_token' });
      }
      if (!challenge || challenge.length > 512) throw badRequest([{ path: '/hub.challenge', message: 'is required', code: 'required', i18n: fieldMessage('required') }], 'query');
      return text(200, challenge);
    },

    async receive(req): Promise<HookAnswer> {
      const settings = req.config.settings as MetaChannelSettings;
      const appSecret = await channelWebhookSecret(deps.store, req.workspaceId, req.channel);
      const check = verifyMetaSignature(appSecret, req.raw, req.headers[META_SIGNATURE_HEADER]);
      if (!check.ok) throw refused(req, check.reason);
      const body = parseJsonBody(req.raw);
      const { events, names } = metaWebhookEvents(body, { channel: req.channel, platform: settings.platform, pageId: settings.pageId, phoneNumberId: settings.phoneNumberId });
      refuseReplay(events, settings.platform, 'body/entry/time', channelName(req));
      for (let event of events) {
        if (DELIVERY_TYPES.has(event.type) && event.data?.providerId) event = await linkTemplateOutcome(deps.store, req.workspaceId, event);
        const name = event.type === 'social.dm' ? names[event.handle] : undefined;
        if (name) await ingestNamed(deps, req, event, name);
        else await ingestEvent(deps, req.workspaceId, event);
      }
      return text(200, 'EVENT_RECEIVED');
    },
  };
}
