/**
 * X Account Activity webhooks at /api/v1/hooks/:workspaceId/:channel (the webhook URL registered with
 * POST /2/webhooks, the account subscribed to it), per X's scheme (signature.ts):
 * - GET is the CRC: `crc_token` → `{"response_token":"sha256=…"}` with the Consumer Secret, as JSON. X repeats it
 *   about hourly; without an answer deliveries stop.
 * - POST is a delivery, signed `x-twitter-webhooks-signature` with the Consumer Secret: missing or wrong → 401,
 *   nothing stored. Its events (events.ts) are ingested by X's ids, so a redelivery is ingested once; a delivery
 *   whose events are older than X redelivers (five minutes) is a replay: 401, nothing stored (redelivery-window.ts).
 * - The authors' public profile in the delivery (name, screen name, followers, verified) fills the contact's profile
 *   fields it does not have yet, before the journeys the event starts read them.
 * - The answer is 200 at once; journeys answer from workers.
 */
import type { ContactEvent } from '../../../nodes/contract';
import { fieldMessage } from '../../../nodes/field-messages';
import { ingestEvent, ingestPrepared, type EngineDeps } from '../../engine/ingest';
import { AppError, badRequest } from '../../errors';
import { channelWebhookSecret, type XChannelSettings } from '../../store/channel-configs';
import { json, parseJsonBody, text, type HookAnswer, type HookRequest, type InboundHook } from '../inbound-hooks';
import { refuseReplay } from '../redelivery-window';
import { xWebhookEvents, type XUserFacts } from './events';
import { crcResponseToken, verifyXSignature, X_SIGNATURE_HEADER } from './signature';

const PROBLEMS = {
  missing: { en: 'is missing', zh: '缺失' },
  malformed: { en: 'must be "sha256=<base64 HMAC-SHA256 of the raw body with the Consumer Secret>"', zh: '格式应为 "sha256=<以 Consumer Secret 对原始请求体计算的 HMAC-SHA256 Base64>"' },
  mismatch: { en: 'does not match this channel\'s Consumer Secret', zh: '与此渠道的 Consumer Secret 不符' },
} as const;

const channelName = (req: HookRequest) => ({ en: `X channel "${req.channel}"`, 'zh-CN': `X 渠道“${req.channel}”` });

function refused(req: HookRequest, problem: keyof typeof PROBLEMS): AppError {
  const p = PROBLEMS[problem];
  return new AppError('bad_signature', { field: `headers/${X_SIGNATURE_HEADER}`, problem: { en: p.en, 'zh-CN': p.zh }, channel: channelName(req) }, { reason: problem });
}

/** Contact profile fields from X's user object, by the names profiles use elsewhere. */
function profileFields(u: XUserFacts): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ name: u.name, username: u.screenName, followers: u.followers, verified: u.verified, avatarUrl: u.avatarUrl }).filter(([, v]) => v !== undefined));
}

/** What the delivery says about the author fills the contact's missing profile fields; then the event is ingested. */
async function ingestWithProfile(deps: EngineDeps, req: HookRequest, event: ContactEvent, facts: XUserFacts | undefined) {
  const fields = facts ? profileFields(facts) : {};
  if (!Object.keys(fields).length) return ingestEvent(deps, req.workspaceId, event);
  return ingestPrepared(deps, req.workspaceId, event, async (contact, now) => {
    const missing = Object.fromEntries(Object.entries(fields).filter(([k]) => contact.profile?.[k] === undefined).map(([k, v]) => [`profile.${k}`, v]));
    if (Object.keys(missing).length) await deps.store.contacts.updateOne({ _id: contact._id, workspaceId: req.workspaceId }, { $set: { ...missing, updatedAt: now } });
  });
}

/** The hook of settings.kind 'x'. */
export function xHook(deps: EngineDeps): InboundHook {
  return {
    async handshake(req): Promise<HookAnswer> {
      const crcToken = req.query.crc_token;
      if (!crcToken || crcToken.length > 512) throw badRequest([{ path: '/crc_token', message: 'is required', code: 'required', i18n: fieldMessage('required') }], 'query');
      const secret = await channelWebhookSecret(deps.store, req.workspaceId, req.channel);
      if (!secret) throw new AppError('crc_not_configured', { channel: channelName(req) });
      return json(200, { response_token: crcResponseToken(secret, crcToken) });
    },

    async receive(req): Promise<HookAnswer> {
      const settings = req.config.settings as XChannelSettings;
      const secret = await channelWebhookSecret(deps.store, req.workspaceId, req.channel);
      const check = verifyXSignature(secret, req.raw, req.headers[X_SIGNATURE_HEADER]);
      if (!check.ok) throw refused(req, check.reason);
      const body = parseJsonBody(req.raw);
      const { events, users } = xWebhookEvents(body, { channel: req.channel, userId: settings.userId });
      refuseReplay(events, 'x', 'body/created_timestamp', channelName(req));
      for (const event of events) await ingestWithProfile(deps, req, event, users[event.handle]);
      return text(200, 'OK');
    },
  };
}
