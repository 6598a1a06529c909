/**
 * Twilio's webhooks at /api/v1/hooks/:workspaceId/:channel: the number's "A message comes in" URL, and the
 * StatusCallback every send names. Both are form posts signed X-Twilio-Signature with the Auth Token over the URL
 * Twilio called, which is rebuilt from the API's public address (JOURNEYS_PUBLIC_URL) and the path and query as
 * received: missing or wrong → 401, nothing stored. Events (events.ts) carry Twilio's SIDs, and Twilio signs no
 * time: a delivery of a message (or of one status of it) already ingested is a replay, refused with 401 before
 * anything is applied — a captured START sent again after the person's STOP must not opt them back in. Twilio
 * delivers once (only a connection-override retry of a request it got no answer to repeats one, and that one was
 * ingested already). A STOP withdraws SMS consent before anything else runs; a START gives it back before the journeys it
 * starts send. A status names the send by its SID (linkTemplateOutcome records it on the outbox row). The answer is
 * an empty TwiML response: journeys answer from workers.
 */
import type { EngineDeps } from '../../engine/ingest';
import { ingestEvent } from '../../engine/ingest';
import { AppError } from '../../errors';
import { channelToken, type SmsChannelSettings } from '../../store/channel-configs';
import { findContactByIdentity } from '../../store/contacts';
import type { HookAnswer, HookRequest, InboundHook } from '../inbound-hooks';
import { linkTemplateOutcome } from '../wechat/template-outcome';
import { applySmsConsent } from './consent';
import { smsWebhookEvent } from './events';
import { formParams, TWILIO_SIGNATURE_HEADER, verifyTwilioSignature } from './signature';

const PROBLEMS = {
  missing: { en: 'is missing', 'zh-CN': '缺失' },
  mismatch: { en: 'does not match this channel\'s Auth Token and public URL (JOURNEYS_PUBLIC_URL)', 'zh-CN': '与此渠道的 Auth Token 和公开地址（JOURNEYS_PUBLIC_URL）不符' },
  replayed: { en: 'was already accepted for this MessageSid: a replayed delivery is refused', 'zh-CN': '此 MessageSid 的投递已被接收过：重放的投递将被拒绝' },
} as const;

const refused = (req: HookRequest, reason: keyof typeof PROBLEMS, field = `headers/${TWILIO_SIGNATURE_HEADER}`) => new AppError('bad_signature', {
  field, problem: PROBLEMS[reason], channel: { en: `SMS channel "${req.channel}"`, 'zh-CN': `短信渠道“${req.channel}”` },
}, { reason });

const EMPTY_TWIML: HookAnswer = { status: 200, contentType: 'text/xml; charset=utf-8', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' };

/** The URL Twilio called: the public address (which may carry a path prefix of a proxy) and the path it reached. */
export function calledUrl(publicUrl: string | undefined, req: Pick<HookRequest, 'url' | 'headers' | 'workspaceId' | 'channel'>): string {
  const path = req.url ?? `/api/v1/hooks/${encodeURIComponent(req.workspaceId)}/${encodeURIComponent(req.channel)}`;
  const base = publicUrl ?? `http://${req.headers.host ?? 'localhost'}`;
  return `${base.replace(/\/+$/, '')}${path}`;
}

export function smsHook(deps: EngineDeps & { publicUrl?: string }): InboundHook {
  return {
    async receive(req) {
      const settings = req.config.settings as SmsChannelSettings;
      const params = formParams(req.raw);
      const authToken = await channelToken(deps.store, req.workspaceId, req.channel);
      const check = verifyTwilioSignature(authToken, calledUrl(deps.publicUrl, req), params, req.headers[TWILIO_SIGNATURE_HEADER]);
      if (!check.ok) throw refused(req, check.reason);
      const meaning = smsWebhookEvent(params, { channel: req.channel, accountSid: settings.accountSid });
      const eventId = meaning.kind === 'ignored' ? undefined : meaning.event?.id;
      if (eventId && await deps.store.interactions.findOne({ _id: `${req.workspaceId}|event|${eventId}` }, { projection: { _id: 1 } })) {
        throw refused(req, 'replayed', 'body/MessageSid');
      }
      if (meaning.kind === 'status' && meaning.event) {
        await ingestEvent(deps, req.workspaceId, await linkTemplateOutcome(deps.store, req.workspaceId, meaning.event));
      } else if (meaning.kind === 'message') {
        const { event, consent } = meaning;
        const change = consent && { channel: req.channel, status: consent, source: `sms.${consent === 'opted_out' ? 'stop' : 'start'}`, at: new Date(event.occurredAt), eventId: event.id };
        const known = change ? await findContactByIdentity(deps.store, req.workspaceId, { channel: event.channel, handle: event.handle }) : null;
        if (change && known) await applySmsConsent(deps.store, req.workspaceId, known._id, change);
        const { contactId } = await ingestEvent(deps, req.workspaceId, event);
        // A first-seen number's contact exists only now.
        if (change && !known) await applySmsConsent(deps.store, req.workspaceId, contactId, change);
      }
      return EMPTY_TWIML;
    },
  };
}
