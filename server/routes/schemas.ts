/** Route schema pieces shared by several routes. */
import { WORKSPACE_ID } from '../../core/store/users';
import { ERROR_CODES } from '../../core/error-codes';

/** A workspace id (core/store/users.ts WORKSPACE_ID) and a channel name, as they appear in URLs and headers. */
export const workspaceIdSchema = { type: 'string', pattern: WORKSPACE_ID.source } as const;
export const channelNameSchema = { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } as const;
export const channelParams = { type: 'object', properties: { channel: channelNameSchema }, required: ['channel'] } as const;

/** The optional body of routes that make a journey from another one (clone, use a template): its new name. */
export const newJourneyNameBody = { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 120 } }, additionalProperties: false } as const;

export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 600 } },
  required: ['id'],
} as const;

/** Every error answer: a code of the catalog (core/error-codes.ts) and its message in the request's language. */
export const errorResponse = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: `The error's code: one of ${Object.keys(ERROR_CODES).join(', ')}; or bad_request for a malformed request` },
    message: { type: 'string', description: 'What went wrong, in the language of Accept-Language (zh… → zh-CN, else en)' },
    fields: { type: 'array', description: 'validation_failed: each field at fault (`body/name`) with its message', items: { type: 'object', additionalProperties: true } },
    issues: { type: 'array', description: 'journey_invalid, template_locked: the journey\'s issues, per node', items: { type: 'object', additionalProperties: true } },
  },
  additionalProperties: true,
} as const;

export const anyObject = { type: 'object', additionalProperties: true } as const;

export const workspaceHeader = {
  type: 'object',
  properties: { 'x-workspace-id': { ...workspaceIdSchema, description: 'Workspace (default "default")' } },
} as const;
