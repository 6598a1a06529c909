/** What a Twilio-compatible SMS channel's settings look like, and the secret it needs (PUT /api/v1/channels/:channel). */
import type { RequiredSecrets } from '../required-secrets';

export const TWILIO_ACCOUNT_SID_PATTERN = '^AC[0-9a-fA-F]{32}$';
export const TWILIO_SERVICE_SID_PATTERN = '^MG[0-9a-fA-F]{32}$';
/** A number in E.164, or an alphanumeric sender id (where the country allows one). */
export const SMS_FROM_PATTERN = '^(\\+[1-9][0-9]{6,14}|[A-Za-z0-9 ]{1,11})$';

export const SMS_SECRETS: RequiredSecrets = {
  token: { en: 'the Auth Token (Console › Account info), which also checks X-Twilio-Signature', 'zh-CN': 'Auth Token（控制台 › 账户信息），同时用于校验 X-Twilio-Signature' },
};
