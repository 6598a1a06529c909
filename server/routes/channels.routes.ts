/**
 * Channel connections and inbound platform webhooks.
 * - PUT /api/v1/channels/:channel connects a platform (generic HTTP API or SMTP); secrets are stored encrypted and
 *   never returned.
 * - POST /api/v1/channels/:channel/webhook receives platform events signed with the channel's webhook secret:
 *   `X-Journeys-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`, compared in constant time; 401 otherwise.
 * - PUT /api/v1/credentials/:name stores a named secret (e.g. a webhook node's signing secret).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createAjv, toFieldErrors, type FieldError } from '../../nodes/ajv';
import type { ContactEvent } from '../../nodes/contract';
import type { AppDeps } from '../app-deps';
import { ingestEvent, type IngestResult } from '../../core/engine/ingest';
import { ApiError, badRequest } from '../../core/errors';
import { assertStorableEvents, parseJsonBody } from '../../core/storable';
import { channelWebhookSecret, listChannelConfigs, putChannelConfig, type ChannelSettings } from '../../core/store/channel-configs';
import { listCredentials, putCredential } from '../../core/store/credentials';
import { outboundPolicy } from '../../core/outbound/destination-policy';
import { httpDestination, normalizeBareHost, refusalText } from '../../workflows/model/address-ranges';
import { anyObject, errorResponse } from './schemas';
import { contactEventSchema, eventBatchSchema } from './event-schema';

export const WEBHOOK_SIGNATURE_HEADER = 'x-journeys-signature';

const channelParams = { type: 'object', properties: { channel: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } }, required: ['channel'] } as const;

const channelBody = {
  type: 'object',
  properties: {
    settings: {
      oneOf: [
        {
          type: 'object',
          properties: {
            kind: { const: 'http' },
            baseUrl: { type: 'string', format: 'uri', pattern: '^https?://' },
            replyPath: { type: 'string', maxLength: 300 }, dmPath: { type: 'string', maxLength: 300 }, profilePath: { type: 'string', maxLength: 300 },
            authHeader: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' },
          },
          required: ['kind', 'baseUrl'], additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            kind: { const: 'smtp' }, host: { type: 'string', minLength: 1, maxLength: 255 }, port: { type: 'integer', minimum: 1, maximum: 65535 },
            secure: { type: 'boolean' }, user: { type: 'string', maxLength: 255 }, from: { type: 'string', minLength: 3, maxLength: 255 },
          },
          required: ['kind', 'host', 'port', 'from'], additionalProperties: false,
        },
      ],
    },
    token: { type: 'string', minLength: 1, maxLength: 4096, description: 'API token (HTTP) or password (SMTP); stored encrypted' },
    webhookSecret: { type: 'string', minLength: 16, maxLength: 4096, description: 'Shared secret of inbound webhooks; stored encrypted' },
  },
  required: ['settings'],
  additionalProperties: false,
} as const;

const ajv = createAjv();
const validateChannel = ajv.compile(channelBody);
const validateOne = ajv.compile(contactEventSchema);
const validateBatch = ajv.compile(eventBatchSchema);

export function signWebhook(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function verifyWebhookSignature(secret: string, rawBody: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhook(secret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A literal address the worker would refuse, caught at save; the worker's DNS check stays the real guard. */
function refusedDestination(settings: ChannelSettings): FieldError | undefined {
  const [path, dest] = settings.kind === 'http'
    ? ['/settings/baseUrl', httpDestination(settings.baseUrl)]
    : ['/settings/host', { host: normalizeBareHost(settings.host), port: settings.port }];
  const reason = dest && outboundPolicy().refusal(dest.host, dest.port);
  if (!dest || !reason) return undefined;
  const text = refusalText(dest.host, reason);
  return { path, message: text.en, code: 'destination_refused', i18n: text };
}

export async function channelRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const engine = { store: deps.store, temporal: deps.temporal, taskQueue: deps.taskQueue };

  app.get('/api/v1/channels', {
    schema: { tags: ['channels'], summary: 'Connected channels (settings only, never secrets)', response: { 200: anyObject } },
  }, async (req) => ({
    channels: (await listChannelConfigs(deps.store, req.workspaceId)).map((c) => ({
      channel: c.channel, settings: c.settings, hasToken: c.hasToken, hasWebhookSecret: c.hasWebhookSecret, updatedAt: c.updatedAt.toISOString(),
    })),
  }));

  app.put<{ Params: { channel: string }; Body: unknown }>('/api/v1/channels/:channel', {
    schema: { tags: ['channels'], summary: 'Connect a channel: generic HTTP platform API or SMTP', params: channelParams, body: anyObject, response: { 200: anyObject, 400: errorResponse } },
  }, async (req) => {
    // Validated here for a precise field error (oneOf errors of the generic validator are unreadable).
    if (!validateChannel(req.body)) throw badRequest(toFieldErrors(validateChannel.errors));
    const body = req.body as { settings: ChannelSettings; token?: string; webhookSecret?: string };
    const refused = refusedDestination(body.settings);
    if (refused) throw badRequest([refused]);
    const doc = await putChannelConfig(deps.store, req.workspaceId, req.params.channel, body.settings, { token: body.token, webhookSecret: body.webhookSecret });
    return { channel: doc.channel, settings: doc.settings, hasToken: doc.hasToken, hasWebhookSecret: doc.hasWebhookSecret };
  });

  app.get('/api/v1/credentials', {
    schema: { tags: ['channels'], summary: 'Names of stored credentials (values are never returned)', response: { 200: anyObject } },
  }, async (req) => ({ credentials: await listCredentials(deps.store, req.workspaceId) }));

  app.put<{ Params: { name: string }; Body: { value: string } }>('/api/v1/credentials/:name', {
    schema: {
      tags: ['channels'], summary: 'Store a named secret, encrypted at rest (AES-256-GCM)',
      params: { type: 'object', properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } }, required: ['name'] },
      body: { type: 'object', properties: { value: { type: 'string', minLength: 1, maxLength: 8192 } }, required: ['value'], additionalProperties: false },
      response: { 200: anyObject, 400: errorResponse },
    },
  }, async (req) => {
    await putCredential(deps.store, req.workspaceId, req.params.name, req.body.value);
    return { name: req.params.name, stored: true };
  });

  // Inbound webhooks need the raw bytes for the signature: this scope parses JSON itself.
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { channel: string }; Body: string }>('/api/v1/channels/:channel/webhook', {
      // The raw body is checked below, once parsed (the signature covers the raw bytes).
      config: { storable: false },
      schema: {
        tags: ['channels'], summary: `Inbound platform events (one event or {"events": [...]}), signed with ${WEBHOOK_SIGNATURE_HEADER}: sha256=<hex HMAC of the raw body>`,
        params: channelParams, response: { 200: anyObject, 400: errorResponse, 401: errorResponse },
      },
    }, async (req) => {
      const { channel } = req.params;
      const secret = await channelWebhookSecret(deps.store, req.workspaceId, channel);
      const raw = typeof req.body === 'string' ? req.body : '';
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER];
      if (!secret || !verifyWebhookSignature(secret, raw, typeof header === 'string' ? header : undefined)) {
        throw new ApiError(401, 'bad_signature', `missing or invalid ${WEBHOOK_SIGNATURE_HEADER} for channel "${channel}"`);
      }
      let body = parseJsonBody(raw);
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        // The channel is the URL's: a platform cannot post events as another channel.
        const fill = (e: Record<string, unknown>) => ({ channel, occurredAt: new Date().toISOString(), ...e });
        body = 'events' in body && Array.isArray((body as { events: unknown }).events)
          ? { events: ((body as { events: Record<string, unknown>[] }).events).map((e) => (e && typeof e === 'object' ? fill(e) : e)) }
          : fill(body as Record<string, unknown>);
      }
      // Before anything is written: what the store cannot hold (NUL characters, `$`/dotted keys, size) is a 400.
      assertStorableEvents(body);
      const batch = body !== null && typeof body === 'object' && 'events' in body;
      const validate = batch ? validateBatch : validateOne;
      if (!validate(body)) throw badRequest(toFieldErrors(validate.errors));
      const events = batch ? (body as { events: ContactEvent[] }).events : [body as ContactEvent];
      for (const [i, e] of events.entries()) {
        if (e.channel !== channel) throw badRequest([{ path: batch ? `/events/${i}/channel` : '/channel', message: `must be "${channel}" (the webhook's channel)` }]);
      }
      const results: IngestResult[] = [];
      for (const e of events) results.push(await ingestEvent(engine, req.workspaceId, e));
      return batch ? { results } : results[0];
    });
  });
}
