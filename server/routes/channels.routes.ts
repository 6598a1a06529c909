/**
 * Channel connections and inbound platform webhooks.
 * - PUT /api/v1/channels/:channel connects a platform (generic HTTP API, SMTP, WeChat Official Account, WeCom
 *   customer contact, Meta, X); secrets are stored encrypted and never returned.
 * - POST /api/v1/channels/:channel/webhook receives platform events signed with the channel's webhook secret
 *   (core/channels/inbound-signature.ts: timestamped HMAC, five minutes' tolerance, each signature once); 401
 *   otherwise. The workspace comes from the x-workspace-id header here; platforms that cannot set headers use the
 *   hooks URL that names it.
 * - POST /api/v1/channels/:channel/test ("Test connection") makes one harmless authenticated call with the stored
 *   settings and secrets (core/channels/connection-test.ts) and says what the platform answered; 404 if unconnected.
 * - PUT /api/v1/credentials/:name stores a named secret (e.g. a webhook node's signing secret).
 */
import type { FastifyInstance } from 'fastify';
import { createAjv, toFieldErrors, type FieldError } from '../../nodes/ajv';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { ingestEvent, type IngestResult } from '../../core/engine/ingest';
import { AppError, badRequest } from '../../core/errors';
import { assertStorableEvents, parseJsonBody } from '../../core/storable';
import { channelWebhookSecret, getChannelConfig, listChannelConfigs, putChannelConfig, type ChannelConfigDoc, type ChannelSecrets, type ChannelSettings } from '../../core/store/channel-configs';
import { listCredentials, putCredential } from '../../core/store/credentials';
import { outboundPolicy } from '../../core/outbound/destination-policy';
import { httpDestination, normalizeBareHost, refusalText } from '../../workflows/model/address-ranges';
import { firstDelivery, SIGNATURE_TOLERANCE_S, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../core/channels/inbound-signature';
import { inboundRateLimit } from '../http/rate-limits';
import { ENCODING_AES_KEY_PATTERN, WECHAT_TOKEN_PATTERN } from '../../core/channels/wechat/crypto';
import { WECHAT_API_BASE } from '../../core/channels/wechat/client';
import { channelSecretProblems, WECHAT_APP_ID_PATTERN } from '../../core/channels/wechat/settings';
import { WECOM_API_BASE } from '../../core/channels/wecom/client';
import { WECOM_CORP_ID_PATTERN, WECOM_TOKEN_PATTERN, wecomSecretProblems } from '../../core/channels/wecom/settings';
import { META_GRAPH_BASE } from '../../core/channels/meta/client';
import { MESSAGE_TAGS } from '../../core/channels/meta/policy';
import { META_API_VERSION_PATTERN, META_APP_SECRET_PATTERN, META_ID_PATTERN, META_LANGUAGE_PATTERN, META_VERIFY_TOKEN_PATTERN, metaSecretProblems } from '../../core/channels/meta/settings';
import { X_API_BASE } from '../../core/channels/x/client';
import { X_CONSUMER_KEY_PATTERN, X_CONSUMER_SECRET_PATTERN, X_PLANS, X_TOKEN_SECRET_PATTERN, X_USER_ID_PATTERN, xSecretProblems } from '../../core/channels/x/settings';
import { anyObject, channelParams, errorResponse } from './schemas';
import { TWILIO_API_BASE } from '../../core/channels/sms/client';
import { SMS_FROM_PATTERN, SMS_SECRETS, TWILIO_ACCOUNT_SID_PATTERN, TWILIO_SERVICE_SID_PATTERN } from '../../core/channels/sms/settings';
import { TELEGRAM_API_BASE } from '../../core/channels/telegram/client';
import { TELEGRAM_SECRETS, TELEGRAM_USERNAME_PATTERN, telegramSecretProblems } from '../../core/channels/telegram/settings';
import { SLACK_API_BASE } from '../../core/channels/slack/client';
import { SLACK_CHANNEL_ID_PATTERN, SLACK_SECRETS } from '../../core/channels/slack/settings';
import { missingSecrets } from '../../core/channels/required-secrets';
import { channelListResponse, connectionTestResponse, channelViewSchema, credentialListResponse, credentialStoredResponse, ingestResponse } from '../http/responses/channels';
import { testChannelConnection } from '../../core/channels/connection-test';
import { requestLang } from '../http/errors';
import { eventsOfBody, isEventBatch } from '../../core/engine/event-body';



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
        {
          type: 'object',
          properties: {
            kind: { const: 'wechat' }, appId: { type: 'string', pattern: WECHAT_APP_ID_PATTERN, description: 'The Official Account\'s AppID (开发者ID)' },
            apiBaseUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 300, description: `Default ${WECHAT_API_BASE}` },
            encodingMode: { enum: ['plain', 'safe'], description: 'Message encryption of the server configuration: 明文模式 (plain) or 安全模式 (safe)' },
          },
          required: ['kind', 'appId', 'encodingMode'], additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            kind: { const: 'wecom' }, corpId: { type: 'string', pattern: WECOM_CORP_ID_PATTERN, description: 'The enterprise\'s CorpID (企业ID)' },
            apiBaseUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 300, description: `Default ${WECOM_API_BASE}` },
          },
          required: ['kind', 'corpId'], additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            kind: { const: 'meta' },
            platform: { enum: ['messenger', 'instagram', 'whatsapp'], description: 'Facebook Messenger (a Page), Instagram messaging (a professional account) or WhatsApp Cloud API (a phone number)' },
            verifyToken: { type: 'string', pattern: META_VERIFY_TOKEN_PATTERN, description: 'The Verify token typed into Meta\'s webhook setup (8–128 printable characters, no spaces)' },
            pageId: { type: 'string', pattern: META_ID_PATTERN, description: 'Messenger: the Page id; Instagram: the Instagram professional account id' },
            phoneNumberId: { type: 'string', pattern: META_ID_PATTERN, description: 'WhatsApp: the phone number id' },
            businessAccountId: { type: 'string', pattern: META_ID_PATTERN, description: 'WhatsApp Business Account id' },
            templateLanguage: { type: 'string', pattern: META_LANGUAGE_PATTERN, description: 'WhatsApp: language of template messages (default en_US)' },
            messageTag: { enum: MESSAGE_TAGS, description: 'Messenger / Instagram: the message tag that may answer outside the 24-hour window (none: blocked)' },
            apiVersion: { type: 'string', pattern: META_API_VERSION_PATTERN, description: 'Graph API version (default v21.0)' },
            apiBaseUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 300, description: `Default ${META_GRAPH_BASE}` },
          },
          required: ['kind', 'platform', 'verifyToken'], additionalProperties: false,
          // The account the webhooks name: a Page or Instagram account, or a WhatsApp number.
          if: { properties: { platform: { const: 'whatsapp' } }, required: ['platform'] },
          then: { required: ['phoneNumberId'] },
          else: { required: ['pageId'] },
        },
        {
          type: 'object',
          properties: {
            kind: { const: 'x' },
            userId: { type: 'string', pattern: X_USER_ID_PATTERN, description: 'The X account\'s user id (digits): deliveries\' for_user_id' },
            plan: { enum: X_PLANS, description: 'The app\'s X API plan, which bounds posts per user (default basic)' },
            consumerKey: { type: 'string', pattern: X_CONSUMER_KEY_PATTERN, description: 'The app\'s API Key (Consumer Key): the account is connected with OAuth 1.0a, "token" being its Access Token and "tokenSecret" the Access Token Secret (they do not expire)' },
            apiBaseUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 300, description: `Default ${X_API_BASE}` },
          },
          required: ['kind', 'userId'], additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            kind: { const: 'sms' },
            accountSid: { type: 'string', pattern: TWILIO_ACCOUNT_SID_PATTERN, description: 'The Account SID (AC…): the API user and the account messages are sent from' },
            from: { type: 'string', pattern: SMS_FROM_PATTERN, description: 'The sender: a number in E.164 (+1555…) or an alphanumeric sender id' },
            messagingServiceSid: { type: 'string', pattern: TWILIO_SERVICE_SID_PATTERN, description: 'A Messaging Service (MG…) that picks the sender, instead of "from"' },
            apiBaseUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 300, description: `A Twilio-compatible gateway; default ${TWILIO_API_BASE}` },
          },
          required: ['kind', 'accountSid'], additionalProperties: false,
          anyOf: [{ required: ['from'] }, { required: ['messagingServiceSid'] }],
        },
        {
          type: 'object',
          properties: {
            kind: { const: 'telegram' },
            botUsername: { type: 'string', pattern: TELEGRAM_USERNAME_PATTERN, description: 'The bot\'s username without "@": group messages naming it are mentions' },
            apiBaseUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 300, description: `Default ${TELEGRAM_API_BASE}` },
          },
          required: ['kind'], additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            kind: { const: 'slack' },
            channelId: { type: 'string', pattern: SLACK_CHANNEL_ID_PATTERN, description: 'The channel id alerts go to (C…), unless an alert names one' },
            apiBaseUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 300, description: `Default ${SLACK_API_BASE}` },
          },
          required: ['kind'], additionalProperties: false,
        },
      ],
    },
    token: { type: 'string', minLength: 1, maxLength: 4096, description: 'API token (HTTP), password (SMTP), AppSecret (WeChat), customer-contact Secret (WeCom) access token (Meta: Page, Instagram or WhatsApp) or the X account\'s OAuth 2.0 user access token; stored encrypted' },
    webhookSecret: { type: 'string', minLength: 3, maxLength: 4096, description: 'Shared secret of inbound webhooks (at least 16 characters), WeChat\'s / WeCom\'s callback Token (letters or digits, at most 32), Meta\'s App Secret (32 hex characters) or X\'s Consumer Secret; stored encrypted' },
    encodingAesKey: { type: 'string', pattern: ENCODING_AES_KEY_PATTERN, description: 'WeChat\'s or WeCom\'s EncodingAESKey (43 letters or digits), needed in WeChat\'s safe mode and always for WeCom; stored encrypted' },
    tokenSecret: { type: 'string', pattern: X_TOKEN_SECRET_PATTERN, description: 'The Access Token Secret of an X account connected with OAuth 1.0a (settings.consumerKey); stored encrypted' },
  },
  required: ['settings'],
  additionalProperties: false,
  // The secret's rule depends on the platform: WeChat's and WeCom's Tokens are their own format.
  if: { type: 'object', properties: { settings: { type: 'object', properties: { kind: { const: 'wechat' } }, required: ['kind'] } }, required: ['settings'] },
  then: { type: 'object', properties: { webhookSecret: { type: 'string', pattern: WECHAT_TOKEN_PATTERN } } },
  else: {
    if: { type: 'object', properties: { settings: { type: 'object', properties: { kind: { const: 'wecom' } }, required: ['kind'] } }, required: ['settings'] },
    then: { type: 'object', properties: { webhookSecret: { type: 'string', pattern: WECOM_TOKEN_PATTERN } } },
    else: {
      if: { type: 'object', properties: { settings: { type: 'object', properties: { kind: { const: 'meta' } }, required: ['kind'] } }, required: ['settings'] },
      then: { type: 'object', properties: { webhookSecret: { type: 'string', pattern: META_APP_SECRET_PATTERN } } },
      else: {
        if: { type: 'object', properties: { settings: { type: 'object', properties: { kind: { const: 'x' } }, required: ['kind'] } }, required: ['settings'] },
        then: { type: 'object', properties: { webhookSecret: { type: 'string', pattern: X_CONSUMER_SECRET_PATTERN } } },
        else: { type: 'object', properties: { webhookSecret: { type: 'string', minLength: 16 } } },
      },
    },
  },
} as const;

const ajv = createAjv();
const validateChannel = ajv.compile(channelBody);
/** The body with the settings of one platform: its errors name only that platform's fields, not every oneOf branch's. */
const validateByKind = new Map(channelBody.properties.settings.oneOf.map((branch) => [
  branch.properties.kind.const as string,
  ajv.compile({ ...channelBody, properties: { ...channelBody.properties, settings: branch } }),
]));

const SIGNATURE_PROBLEMS = {
  missing: { en: 'is missing', zh: '缺失' },
  malformed: { en: 'must be "t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<raw body>">"', zh: '格式应为 "t=<Unix 秒>,sha256=<对 "<t>.<原始请求体>" 的 HMAC-SHA256 十六进制>"' },
  mismatch: { en: 'does not match this channel\'s webhook secret', zh: '与此渠道的 Webhook 密钥不符' },
  stale: { en: `is older than ${SIGNATURE_TOLERANCE_S} seconds (or from the future)`, zh: `已超过 ${SIGNATURE_TOLERANCE_S} 秒（或时间在未来）` },
  replayed: { en: 'was already used: every delivery needs a fresh signature', zh: '已被使用过：每次投递都需要新的签名' },
} as const;

function badSignature(channel: string, problem: keyof typeof SIGNATURE_PROBLEMS): AppError {
  const p = SIGNATURE_PROBLEMS[problem];
  return new AppError('bad_signature', {
    field: `headers/${WEBHOOK_SIGNATURE_HEADER}`, problem: { en: p.en, 'zh-CN': p.zh }, channel: { en: `channel "${channel}"`, 'zh-CN': `渠道“${channel}”` },
  }, { reason: problem });
}

/**
 * One signed delivery of the generic JSON channel: signature and freshness first, then the body (400 naming the
 * field, nothing written), then the replay guard, then ingestion. Shared by every URL that receives them.
 */
export async function receiveSignedEvents(deps: AppDeps, workspaceId: string, channel: string, raw: string, header: string | undefined) {
  const engine = { store: deps.store, temporal: deps.temporal, taskQueue: deps.taskQueue };
  const secret = await channelWebhookSecret(deps.store, workspaceId, channel);
  const check = secret ? verifyWebhookSignature(secret, raw, header) : { ok: false as const, reason: 'mismatch' as const };
  if (!check.ok) throw badSignature(channel, check.reason);
  let body = parseJsonBody(raw);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    // The channel is the URL's: a platform cannot post events as another channel.
    const fill = (e: object) => ({ channel, occurredAt: new Date().toISOString(), ...e });
    body = isEventBatch(body) && Array.isArray(body.events)
      ? { events: body.events.map((e: unknown) => (e && typeof e === 'object' ? fill(e) : e)) }
      : fill(body);
  }
  // Before anything is written: what the store cannot hold (NUL characters, `$`/dotted keys, size) is a 400.
  assertStorableEvents(body);
  const { batch, events } = eventsOfBody(body);
  for (const [i, e] of events.entries()) {
    if (e.channel !== channel) throw badRequest([{ path: batch ? `/events/${i}/channel` : '/channel', message: `must be "${channel}" (the webhook's channel)` }]);
  }
  if (!(await firstDelivery(deps.store, workspaceId, channel, header!))) throw badSignature(channel, 'replayed');
  const results: IngestResult[] = [];
  for (const e of events) results.push(await ingestEvent(engine, workspaceId, e));
  return batch ? { results } : results[0];
}

/** Platforms with an EncodingAESKey: their channel views say whether one is stored. */
const hasAesKey = (s: ChannelSettings) => s.kind === 'wechat' || s.kind === 'wecom';

/** A literal address the worker would refuse, caught at save; the worker's DNS check stays the real guard. */
function refusedDestination(settings: ChannelSettings): FieldError | undefined {
  const [path, dest] = settings.kind === 'http'
    ? ['/settings/baseUrl', httpDestination(settings.baseUrl)]
    : settings.kind === 'wechat'
      ? ['/settings/apiBaseUrl', httpDestination(settings.apiBaseUrl ?? WECHAT_API_BASE)]
      : settings.kind === 'wecom'
        ? ['/settings/apiBaseUrl', httpDestination(settings.apiBaseUrl ?? WECOM_API_BASE)]
        : settings.kind === 'meta'
          ? ['/settings/apiBaseUrl', httpDestination(settings.apiBaseUrl ?? META_GRAPH_BASE)]
          : settings.kind === 'x'
            ? ['/settings/apiBaseUrl', httpDestination(settings.apiBaseUrl ?? X_API_BASE)]
          : settings.kind === 'sms' || settings.kind === 'telegram' || settings.kind === 'slack'
            ? ['/settings/apiBaseUrl', httpDestination(settings.apiBaseUrl ?? { sms: TWILIO_API_BASE, telegram: TELEGRAM_API_BASE, slack: SLACK_API_BASE }[settings.kind])]
            : ['/settings/host', { host: normalizeBareHost(settings.host), port: settings.port }];
  const reason = dest && outboundPolicy().refusal(dest.host, dest.port);
  if (!dest || !reason) return undefined;
  const text = refusalText(dest.host, reason);
  return { path, message: text.en, code: 'destination_refused', i18n: text };
}

/** The platform-specific "is stored" flags of a channel's view: EncodingAESKey (WeChat, WeCom), token secret (X OAuth 1.0a). */
function secretFlags(c: ChannelConfigDoc) {
  return {
    ...(hasAesKey(c.settings) ? { hasEncodingAesKey: c.hasEncodingAesKey ?? false } : {}),
    ...(c.settings.kind === 'x' ? { hasTokenSecret: c.hasTokenSecret ?? false } : {}),
  };
}

export async function channelRoutes(app: FastifyInstance, { deps, inboundRateLimit: inboundMax }: { deps: AppDeps; inboundRateLimit?: number }) {
  const api = typed(app);

  api.get('/api/v1/channels', {
    schema: { tags: ['channels'], summary: 'Connected channels (settings only, never secrets)', response: { 200: channelListResponse } },
  }, async (req) => ({
    channels: (await listChannelConfigs(deps.store, req.workspaceId)).map((c) => ({
      channel: c.channel, settings: { ...c.settings }, hasToken: c.hasToken, hasWebhookSecret: c.hasWebhookSecret,
      ...secretFlags(c), updatedAt: c.updatedAt.toISOString(),
    })),
  }));

  api.put('/api/v1/channels/:channel', {
    schema: { tags: ['channels'], summary: 'Connect a channel: generic HTTP platform API, SMTP, a WeChat Official Account, WeCom customer contact, Meta (Messenger, Instagram, WhatsApp) or X', params: channelParams, body: anyObject, response: { 200: channelViewSchema, 400: errorResponse } },
  }, async (req) => {
    // Validated here for a precise field error (oneOf errors of the generic validator are unreadable).
    const kind = (req.body as { settings?: { kind?: unknown } } | null)?.settings?.kind;
    const validate = (typeof kind === 'string' && validateByKind.get(kind)) || validateChannel;
    if (!validate(req.body)) throw badRequest(toFieldErrors(validate.errors));
    const body = req.body as { settings: ChannelSettings } & ChannelSecrets;
    const refused = refusedDestination(body.settings);
    if (refused) throw badRequest([refused]);
    const prev = await getChannelConfig(deps.store, req.workspaceId, req.params.channel);
    const secretProblems = body.settings.kind === 'wecom'
      ? [...wecomSecretProblems(body, prev), ...metaSecretProblems(body, prev), ...xSecretProblems(body, prev)]
      : [...channelSecretProblems(body, prev), ...wecomSecretProblems(body, prev), ...metaSecretProblems(body, prev), ...xSecretProblems(body, prev)];
    secretProblems.push(...missingSecrets('sms', SMS_SECRETS, body, prev), ...missingSecrets('telegram', TELEGRAM_SECRETS, body, prev), ...telegramSecretProblems(body), ...missingSecrets('slack', SLACK_SECRETS, body, prev));
    if (secretProblems.length) throw badRequest(secretProblems);
    const doc = await putChannelConfig(deps.store, req.workspaceId, req.params.channel, body.settings, { token: body.token, webhookSecret: body.webhookSecret, encodingAesKey: body.encodingAesKey, tokenSecret: body.tokenSecret });
    return { channel: doc.channel, settings: { ...doc.settings }, hasToken: doc.hasToken, hasWebhookSecret: doc.hasWebhookSecret, ...secretFlags(doc) };
  });

  api.post('/api/v1/channels/:channel/test', {
    schema: {
      tags: ['channels'], summary: 'Test connection: one harmless authenticated call to the platform with the stored settings and secrets (WeChat, WeCom: an access_token; Meta: GET /me or the WhatsApp number; X: GET /2/users/me; HTTP: GET baseUrl; SMTP: connect and EHLO)',
      params: channelParams, response: { 200: connectionTestResponse, 404: errorResponse },
    },
  }, async (req) => {
    const config = await getChannelConfig(deps.store, req.workspaceId, req.params.channel);
    if (!config) {
      throw new AppError('channel_not_connected', { channel: req.params.channel });
    }
    const result = await testChannelConnection(deps.store, config);
    return { ...result, message: result.message[requestLang(req)] ?? result.message.en };
  });

  api.get('/api/v1/credentials', {
    schema: { tags: ['channels'], summary: 'Names of stored credentials (values are never returned)', response: { 200: credentialListResponse } },
  }, async (req) => ({ credentials: await listCredentials(deps.store, req.workspaceId) }));

  api.put('/api/v1/credentials/:name', {
    schema: {
      tags: ['channels'], summary: 'Store a named secret, encrypted at rest (AES-256-GCM)',
      params: { type: 'object', properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } }, required: ['name'] },
      body: { type: 'object', properties: { value: { type: 'string', minLength: 1, maxLength: 8192 } }, required: ['value'], additionalProperties: false },
      response: { 200: credentialStoredResponse, 400: errorResponse },
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
      config: { storable: false, rateLimit: inboundRateLimit(inboundMax) },
      schema: {
        tags: ['channels'], summary: `Inbound platform events (one event or {"events": [...]}), signed with ${WEBHOOK_SIGNATURE_HEADER}: t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<raw body>">; older than five minutes or replayed → 401`,
        params: channelParams, response: { 200: ingestResponse, 400: errorResponse, 401: errorResponse },
      },
    }, async (req) => {
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER];
      return receiveSignedEvents(deps, req.workspaceId, req.params.channel, typeof req.body === 'string' ? req.body : '', typeof header === 'string' ? header : undefined);
    });
  });
}
