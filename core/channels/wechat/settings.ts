/**
 * What PUT /api/v1/channels/:channel checks beyond its schema for WeChat: the secrets a WeChat channel cannot work
 * without (given now or stored by an earlier WeChat connection), and no WeChat secret carried over to another kind.
 */
import type { FieldError } from '../../../nodes/ajv';
import type { ChannelConfigDoc, ChannelSecrets, ChannelSettings } from '../../store/channel-configs';

/** An Official Account's AppID: "wx" and 16 letters or digits. */
export const WECHAT_APP_ID_PATTERN = '^wx[0-9A-Za-z]{16}$';

const problem = (path: string, en: string, zh: string): FieldError => ({ path, message: en, code: 'required', i18n: { en, 'zh-CN': zh } });

export function channelSecretProblems(body: { settings: ChannelSettings } & ChannelSecrets, prev: ChannelConfigDoc | null): FieldError[] {
  const wasWechat = prev?.settings.kind === 'wechat';
  const out: FieldError[] = [];
  if (body.settings.kind !== 'wechat') {
    if (body.encodingAesKey !== undefined) {
      out.push({ path: '/encodingAesKey', message: 'is only for WeChat channels (settings.kind "wechat")', code: 'additionalProperties', i18n: { en: 'is only for WeChat channels (settings.kind "wechat")', 'zh-CN': '仅适用于微信渠道（settings.kind 为 "wechat"）' } });
    }
    // A WeChat Token is far shorter than a signing secret may be: it is not kept as one.
    if (wasWechat && prev?.hasWebhookSecret && body.webhookSecret === undefined) {
      out.push(problem('/webhookSecret', 'is required: the stored one is a WeChat Token, too short to sign webhooks', '为必填项：已保存的是微信 Token，太短，不能用于 Webhook 签名'));
    }
    return out;
  }
  if (body.webhookSecret === undefined && !(wasWechat && prev?.hasWebhookSecret)) {
    out.push(problem('/webhookSecret', 'is required: WeChat\'s Token (令牌) of the server configuration, 3–32 letters or digits', '为必填项：公众号服务器配置中的令牌（Token），3–32 位字母或数字'));
  }
  if (body.settings.encodingMode === 'safe' && body.encodingAesKey === undefined && !(wasWechat && prev?.hasEncodingAesKey)) {
    out.push(problem('/encodingAesKey', 'is required when settings.encodingMode is "safe" (WeChat\'s EncodingAESKey, 43 characters)', 'settings.encodingMode 为 "safe" 时为必填项（微信的 EncodingAESKey，43 个字符）'));
  }
  return out;
}
