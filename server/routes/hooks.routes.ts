/**
 * GET/POST /api/v1/hooks/:workspaceId/:channel — inbound webhooks of platforms that post to a pasted URL and cannot
 * set our x-workspace-id header. Public: each handler checks the platform's own signature against the channel's
 * secret. An unknown workspace and a channel that is not connected (or whose platform has no inbound webhook) get
 * the same 404, so the URL says nothing about which workspaces exist.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps';
import { AppError } from '../../core/errors';
import { getChannelConfig } from '../../core/store/channel-configs';
import { json, type HookAnswer, type HookRequest, type InboundHook } from '../../core/channels/inbound-hooks';
import { WEBHOOK_SIGNATURE_HEADER } from '../../core/channels/inbound-signature';
import { wechatHook } from '../../core/channels/wechat/inbound';
import { wecomHook } from '../../core/channels/wecom/inbound';
import { metaHook } from '../../core/channels/meta/inbound';
import { xHook } from '../../core/channels/x/inbound';
import { smsHook } from '../../core/channels/sms/inbound';
import { telegramHook } from '../../core/channels/telegram/inbound';
import { emailBounceHook } from '../../core/channels/email/bounce-hook';
import { inboundRateLimit } from '../http/rate-limits';
import { channelNameSchema, errorResponse, workspaceIdSchema } from './schemas';
import { receiveSignedEvents } from './channels.routes';
import { ingestResponse } from '../http/responses/channels';

const hookParams = {
  type: 'object',
  properties: { workspaceId: workspaceIdSchema, channel: channelNameSchema },
  required: ['workspaceId', 'channel'],
} as const;

/** X's Challenge-Response Check answer. */
const crcAnswer = { type: 'object', properties: { response_token: { type: 'string' } }, required: ['response_token'], additionalProperties: false } as const;
/** An SMTP channel's bounce forwarder: how many of the report's bounces were ours. */
const bounceAnswer = { type: 'object', properties: { bounces: { type: 'integer' } }, required: ['bounces'], additionalProperties: false } as const;

type Params = { workspaceId: string; channel: string };

/** What a platform expects back, already written by its hook: text ("success", an echoed challenge), XML or JSON. */
const hookAnswer = {
  description: "The platform's expected answer: text (WeChat's \"success\", an echoed echostr or hub.challenge), X's CRC response_token, or, for generic channels, the accepted events",
  content: { 'text/plain': { schema: { type: 'string' } }, 'application/json': { schema: { anyOf: [ingestResponse, crcAnswer, bounceAnswer] } } },
} as const;

/** The generic JSON channel: the same signed deliveries as /api/v1/channels/:channel/webhook. */
function httpHook(deps: AppDeps): InboundHook {
  return {
    async receive(req) {
      return json(200, await receiveSignedEvents(deps, req.workspaceId, req.channel, req.raw, req.headers[WEBHOOK_SIGNATURE_HEADER]));
    },
  };
}

const noSuchHook = () => new AppError('hook_not_found');

function flat(values: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  return out;
}

export async function hookRoutes(app: FastifyInstance, { deps, inboundRateLimit: inboundMax, hooks = {} }: { deps: AppDeps; inboundRateLimit?: number; hooks?: Record<string, InboundHook> }) {
  const byKind: Record<string, InboundHook> = {
    http: httpHook(deps), wechat: wechatHook(deps), wecom: wecomHook(deps), meta: metaHook(deps), x: xHook(deps), sms: smsHook(deps), telegram: telegramHook(deps), smtp: emailBounceHook(deps), ...hooks,
  };

  async function hookRequest(req: FastifyRequest<{ Params: Params }>): Promise<[InboundHook, HookRequest]> {
    const { workspaceId, channel } = req.params;
    const config = await getChannelConfig(deps.store, workspaceId, channel);
    const hook = config ? byKind[config.settings.kind] : undefined;
    if (!config || !hook) throw noSuchHook();
    const raw = typeof req.body === 'string' ? req.body : '';
    return [hook, { workspaceId, channel, config, raw, query: flat(req.query as Record<string, unknown>), headers: flat(req.headers), url: req.url }];
  }
  const answer = (reply: FastifyReply, a: HookAnswer) => reply.status(a.status).header('content-type', a.contentType).send(a.body);

  // The signatures cover the raw bytes, whatever the platform's content type (JSON, XML, form): this scope keeps them.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    const config = { permission: 'public' as const, storable: false as const, platformQuery: true, rateLimit: inboundRateLimit(inboundMax) };

    scope.get<{ Params: Params }>('/api/v1/hooks/:workspaceId/:channel', {
      config,
      schema: { tags: ['channels'], summary: "A platform's webhook URL verification (WeChat echostr, Meta hub.challenge, X's CRC answered as JSON…)", params: hookParams, response: { 200: hookAnswer, 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse } },
    }, async (req, reply) => {
      const [hook, hookReq] = await hookRequest(req);
      if (!hook.handshake) throw noSuchHook();
      return answer(reply, await hook.handshake(hookReq));
    });

    scope.post<{ Params: Params; Body: string }>('/api/v1/hooks/:workspaceId/:channel', {
      config,
      schema: {
        tags: ['channels'], params: hookParams, response: { 200: hookAnswer, 400: errorResponse, 401: errorResponse, 404: errorResponse },
        summary: "Inbound platform events at a URL that names the workspace, checked by the channel's platform signature (generic channels: the same signed JSON as /api/v1/channels/:channel/webhook)",
      },
    }, async (req, reply) => {
      const [hook, hookReq] = await hookRequest(req);
      return answer(reply, await hook.receive(hookReq));
    });
  });
}
