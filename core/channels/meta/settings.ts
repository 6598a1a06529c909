/**
 * What PUT /api/v1/channels/:channel checks beyond its schema for Meta: the two secrets a Meta channel cannot work
 * without (given now, or stored by an earlier Meta connection of the channel), and no Meta secret carried over to
 * another kind of channel (a Page access token must not become another platform's API token, nor the App Secret a
 * webhook signing secret), nor another kind's secret taken for a Meta one.
 */
import type { FieldError } from '../../../nodes/ajv';
import type { ChannelConfigDoc, ChannelSecrets, ChannelSettings } from '../../store/channel-configs';

/** Graph ids (Page, Instagram account, phone number, WhatsApp Business Account): digits. */
export const META_ID_PATTERN = '^[0-9]{1,32}$';
/** The verify token the admin types in both places: printable, no spaces. */
export const META_VERIFY_TOKEN_PATTERN = '^[\\x21-\\x7E]{8,128}$';
/** The App Secret: 32 hexadecimal characters (App settings › Basic). */
export const META_APP_SECRET_PATTERN = '^[0-9a-fA-F]{32}$';
export const META_API_VERSION_PATTERN = '^v[0-9]{1,2}\\.[0-9]$';
/** WhatsApp template languages: en, en_US, pt_BR, zh_CN… */
export const META_LANGUAGE_PATTERN = '^[a-z]{2,3}(_[A-Z]{2,4})?$';

const problem = (path: string, en: string, zh: string): FieldError => ({ path, message: en, code: 'required', i18n: { en, 'zh-CN': zh } });

export function metaSecretProblems(body: { settings: ChannelSettings } & ChannelSecrets, prev: ChannelConfigDoc | null): FieldError[] {
  const wasMeta = prev?.settings.kind === 'meta';
  const out: FieldError[] = [];
  if (body.settings.kind !== 'meta') {
    if (!wasMeta) return out;
    if (prev?.hasToken && body.token === undefined) out.push(problem('/token', 'is required: the stored one is a Meta access token, which is not given to another platform', '为必填项：已保存的是 Meta 访问令牌，不能用于其他平台'));
    if (prev?.hasWebhookSecret && body.webhookSecret === undefined) out.push(problem('/webhookSecret', 'is required: the stored one is a Meta App Secret', '为必填项：已保存的是 Meta App Secret'));
    return out;
  }
  if (body.token === undefined && !(wasMeta && prev?.hasToken)) {
    out.push(body.settings.platform === 'whatsapp'
      ? problem('/token', 'is required: the WhatsApp access token (a system user\'s token with whatsapp_business_messaging)', '为必填项：WhatsApp 访问令牌（具有 whatsapp_business_messaging 权限的系统用户令牌）')
      : problem('/token', 'is required: the Page access token (with pages_messaging; Instagram: instagram_manage_messages and instagram_manage_comments)', '为必填项：主页访问令牌（需 pages_messaging 权限；Instagram 需 instagram_manage_messages 和 instagram_manage_comments）'));
  }
  if (body.webhookSecret === undefined && !(wasMeta && prev?.hasWebhookSecret)) {
    out.push(problem('/webhookSecret', 'is required: the App Secret (App settings › Basic), which signs every webhook', '为必填项：App Secret（应用设置 › 基本），用于校验每个 Webhook 的签名'));
  }
  return out;
}
