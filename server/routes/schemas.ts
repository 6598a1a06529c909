/** Route schema pieces shared by several routes. */
export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 600 } },
  required: ['id'],
} as const;

export const errorResponse = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' }, fields: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  additionalProperties: true,
} as const;

export const anyObject = { type: 'object', additionalProperties: true } as const;

export const workspaceHeader = {
  type: 'object',
  properties: { 'x-workspace-id': { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Workspace (default "default")' } },
} as const;
