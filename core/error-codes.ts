/**
 * Every error the application answers with: its code (the `error` of the JSON answer, stable for clients), its HTTP
 * status and its message in both UI languages. `{name}` is replaced by the error's parameter of that name; a
 * parameter can itself be a text in both languages (a resource's name, a signature problem).
 */
const CODES = {
  // Requests
  validation_failed: [400, '{summary}', '{summary}'],
  not_found: [404, '{what} not found', '未找到{what}'],
  route_not_found: [404, 'route {method} {path} not found', '路由 {method} {path} 不存在'],
  // Signing in and permissions
  unauthenticated: [401, 'sign in (POST /api/v1/auth/sign-in) or send an API token as "Authorization: Bearer <token>"', '请先登录（POST /api/v1/auth/sign-in），或以 "Authorization: Bearer <令牌>" 发送 API 令牌'],
  user_gone: [401, 'the user behind these credentials no longer exists', '这些凭据所属的用户已不存在'],
  invalid_credentials: [401, 'email or password is wrong', '邮箱或密码错误'],
  wrong_password: [401, 'the current password is wrong', '当前密码错误'],
  workspace_required: [400, 'this email has accounts in several workspaces: say which one with "workspace"', '此邮箱在多个工作区都有账号：请用 "workspace" 指明是哪一个'],
  not_a_user: [400, 'API tokens have no password', 'API 令牌没有密码'],
  workspace_mismatch: [403, 'these credentials belong to workspace "{actual}", not "{wanted}"', '这些凭据属于工作区“{actual}”，而不是“{wanted}”'],
  forbidden: [403, 'role "{role}" may not do this (needs "{permission}")', '角色“{role}”无权执行此操作（需要“{permission}”）'],
  token_owner_forbidden: [403, 'the user who created this token may no longer do this (needs "{permission}")', '创建此令牌的用户已无权执行此操作（需要“{permission}”）'],
  role_not_grantable: [403, 'role "{role}" cannot create a token with role "{granted}"', '角色“{role}”不能创建角色为“{granted}”的令牌'],
  not_token_owner: [403, 'only an admin may revoke a token another user created', '只有管理员可以吊销其他用户创建的令牌'],
  // Workspaces and users
  workspace_exists: [409, 'body/id: workspace "{id}" already exists', 'body/id：工作区“{id}”已存在'],
  workspace_has_users: [409, 'workspace "{id}" already has users', '工作区“{id}”已有用户'],
  user_exists: [409, 'a user with email {email} already exists', '邮箱为 {email} 的用户已存在'],
  last_admin: [409, 'the workspace would have no active admin left', '工作区将不再有在职的管理员'],
  // Channels and inbound webhooks
  channel_not_connected: [404, 'channel "{channel}" is not connected', '渠道“{channel}”尚未连接'],
  hook_not_found: [404, 'no webhook here: the workspace does not exist or this channel is not connected', '此地址没有 Webhook：工作区不存在，或此渠道未连接'],
  bad_signature: [401, '{field} {problem} ({channel})', '{field} {problem}（{channel}）'],
  crc_not_configured: [403, '{channel} has no Consumer Secret stored: X\'s CRC cannot be answered (PUT /api/v1/channels/:channel with "webhookSecret")', '{channel}尚未保存 Consumer Secret：无法响应 X 的 CRC 校验（通过 PUT /api/v1/channels/:channel 提供 "webhookSecret"）'],
  verify_token_mismatch: [403, 'query/hub.verify_token does not match the verify token of {channel} (or hub.mode is not "subscribe")', 'query/hub.verify_token 与{channel}的验证令牌不符（或 hub.mode 不是 "subscribe"）'],
  // Journeys and their runs
  test_send_failed: [422, 'the test message was not sent: {reason}', '测试消息未发送：{reason}'],
  stale_revision: [409, 'the journey was changed since revision {revision}; reload it', '旅程在版本 {revision} 之后已被修改，请重新加载'],
  journey_invalid: [422, 'the journey has {count} error(s) to fix first', '旅程有 {count} 个错误，请先修正'],
  published: [409, 'a published journey keeps its history and cannot be deleted', '已发布的旅程保留其历史，不能删除'],
  not_published: [404, 'the journey has no published version yet', '该旅程还没有已发布的版本'],
  template_locked: [422, '{summary}', '{summary}'],
  template_not_found: [422, '{summary}', '{summary}'],
  no_matching_trigger: [422, 'no trigger of this journey starts on a "{type}" event from channel "{channel}"', '此旅程没有在渠道“{channel}”的“{type}”事件上启动的触发器'],
  contact_not_found: [404, 'body/contact/copyFrom: no contact "{id}" in this workspace', 'body/contact/copyFrom：此工作区没有联系人“{id}”'],
  not_a_test_run: [409, 'only test runs can be driven by hand; live runs follow real time and real events', '只有测试运行可以手动推进；正式运行遵循真实时间和真实事件'],
  run_ended: [409, 'the run has ended', '该运行已结束'],
  // What the server itself could not do (the details stay in the log)
  dependency_unavailable: [503, 'a backing service is unavailable; the request can be retried safely', '后端服务暂不可用，可以安全地重试该请求'],
  internal: [500, 'internal error', '内部错误'],
} as const satisfies Record<string, readonly [number, string, string]>;

export type ErrorCode = keyof typeof CODES;

export const ERROR_CODES: Readonly<Record<ErrorCode, { status: number; en: string; 'zh-CN': string }>> = Object.fromEntries(
  Object.entries(CODES).map(([code, [status, en, zh]]) => [code, { status, en, 'zh-CN': zh }]),
) as never;

/** Names of the things a `not_found` can be about. */
export const RESOURCE_NAMES = {
  contact: ['contact', '联系人'],
  user: ['user', '用户'],
  token: ['token', '令牌'],
  enrollment: ['enrollment', '运行记录'],
  journey: ['journey', '旅程'],
  'journey version': ['journey version', '旅程版本'],
  'journey node': ['node', '节点'],
  ticket: ['ticket', '工单'],
  'node template': ['node template', '节点模板'],
  'node template version': ['node template version', '节点模板版本'],
  'journey template': ['journey template', '旅程模板'],
} as const satisfies Record<string, readonly [string, string]>;

export type ResourceName = keyof typeof RESOURCE_NAMES;
