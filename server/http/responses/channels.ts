/** Events accepted, channels connected and stored credentials as the API answers them (never a secret). */
import { anyJson, arrayOf, bool, date, int, object, str, strings } from './shapes';

/** What one accepted event did: its contact, the runs it started or signalled, and why other journeys skipped it. */
export const ingestResultSchema = object({
  eventId: str, contactId: str, contactCreated: bool, duplicate: bool,
  enrolled: arrayOf(object({ journeyId: str, version: int, enrollmentId: str })), signalled: strings,
  skipped: arrayOf(object({ journeyId: str, reason: str })),
});
/** One event answers its result; a batch `{results}` in order. */
export const ingestResponse = { anyOf: [ingestResultSchema, object({ results: arrayOf(ingestResultSchema) })] } as const;

/** A connected channel: its settings (which hold no secret: secrets are stored apart, sealed) and which secrets are set. */
export const channelViewSchema = object({
  channel: str, settings: anyJson, hasToken: bool, hasWebhookSecret: bool, hasEncodingAesKey: bool, hasTokenSecret: bool, updatedAt: date,
}, ['hasEncodingAesKey', 'hasTokenSecret', 'updatedAt']);
export const channelListResponse = object({ channels: arrayOf(channelViewSchema) });

export const credentialListResponse = object({ credentials: arrayOf(object({ name: str, keyId: str, createdAt: date, updatedAt: date })) });
export const credentialStoredResponse = object({ name: str, stored: bool });

/** Test connection: what the platform answered to one harmless authenticated call, in the reader's language. */
export const connectionTestResponse = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    status: { type: 'integer', description: 'The platform\'s HTTP status, when it answered' },
    message: { type: 'string', description: 'What the platform answered, in the Accept-Language (en or zh-CN)' },
    details: {
      type: 'object',
      properties: {
        kind: { type: 'string' },
        errcode: { type: 'integer', description: 'WeChat\'s or WeCom\'s errcode, or Meta\'s error code' },
        subcode: { type: 'integer', description: 'Meta\'s error_subcode' },
        fbtraceId: { type: 'string', description: 'Meta\'s trace id of the refused call' },
        account: { type: 'string', description: 'What the platform says the credentials are (a Page, a WhatsApp number)' },
        description: { type: 'string', description: 'What the errcode means (Meta: its error message)' },
        expiresInS: { type: 'integer', description: 'Lifetime of the access_token WeChat or WeCom issued' },
        reason: { type: 'string', description: 'Why the platform could not be reached (destination_refused, timeout, ECONNREFUSED…)' },
      },
      required: ['kind'], additionalProperties: false,
    },
  },
  required: ['ok', 'message'], additionalProperties: false,
} as const;
