/** What a Slack channel's settings look like, and the secret it needs (PUT /api/v1/channels/:channel). */
import type { RequiredSecrets } from '../required-secrets';

/** Public (C…), private (G…) channels and DMs (D…). */
export const SLACK_CHANNEL_ID_PATTERN = '^[CGD][A-Z0-9]{6,20}$';

export const SLACK_SECRETS: RequiredSecrets = {
  token: { en: 'the Bot User OAuth Token (xoxb-…) of a Slack app with chat:write', 'zh-CN': '具有 chat:write 权限的 Slack 应用的 Bot User OAuth Token（xoxb-…）' },
};
