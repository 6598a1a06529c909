/**
 * An inbound contact event as the API accepts it (single or in a batch): the one definition. `ContactEvent`
 * (nodes/contract.ts) is derived from it, the API validates with it, and the OpenAPI document shows it.
 */
export const contactEventSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 200, description: 'Unique per workspace: posting the same id twice is a no-op' },
    type: { type: 'string', pattern: '^[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)+$', maxLength: 100, description: 'e.g. social.mention, social.dm, form.submitted, email.opened' },
    channel: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$', description: 'e.g. weibo, wechat, x, email' },
    handle: { type: 'string', minLength: 1, maxLength: 256, description: "The sender's handle on that channel" },
    text: { type: 'string', maxLength: 20_000 },
    threadId: { type: 'string', maxLength: 200, description: 'Post or conversation the event belongs to' },
    data: { type: 'object' },
    occurredAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'type', 'channel', 'handle', 'occurredAt'],
  additionalProperties: false,
} as const;

export const MAX_BATCH = 500;

export const eventBatchSchema = {
  type: 'object',
  properties: { events: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: contactEventSchema } },
  required: ['events'],
  additionalProperties: false,
} as const;
