/**
 * What PUT /api/v1/channels/:channel checks beyond its schema for WeCom customer contact: the three secrets a WeCom
 * channel cannot work without (given now, or stored by an earlier WeCom connection of the channel), and no WeCom
 * secret carried over to another kind of channel (a customer-contact Secret must not become another platform's
 * API token, nor a callback Token a webhook signing secret), nor another kind's secret taken for a WeCom one.
 */
import type { FieldError } from '../../../nodes/ajv';
import type { ChannelConfigDoc, ChannelSecrets, ChannelSettings } from '../../store/channel-configs';

/** 企业ID: "ww" (or, for older corps, "wx") and 16 letters or digits. */
export const WECOM_CORP_ID_PATTERN = '^w[wx][0-9A-Za-z]{16}$';
/** The callback Token (接收事件服务器 › Token): letters or digits, at most 32. */
export const WECOM_TOKEN_PATTERN = '^[A-Za-z0-9]{1,32}$';

const problem = (path: string, en: string, zh: string): FieldError => ({ path, message: en, code: 'required', i18n: { en, 'zh-CN': zh } });

export function wecomSecretProblems(body: { settings: ChannelSettings } & ChannelSecrets, prev: ChannelConfigDoc | null): FieldError[] {
  const wasWecom = prev?.settings.kind === 'wecom';
  const out: FieldError[] = [];
  if (body.settings.kind !== 'wecom') {
    if (!wasWecom) return out;
    if (prev?.hasToken && body.token === undefined) {
      out.push(problem('/token', 'is required: the stored one is a WeCom customer-contact Secret, which is not given to another platform', '为必填项：已保存的是企业微信“客户联系” Secret，不能用于其他平台'));
    }
    if (prev?.hasWebhookSecret && body.webhookSecret === undefined) {
      out.push(problem('/webhookSecret', 'is required: the stored one is a WeCom callback Token', '为必填项：已保存的是企业微信回调 Token'));
    }
    return out;
  }
  if (body.token === undefined && !(wasWecom && prev?.hasToken)) {
    out.push(problem('/token', 'is required: the Secret of 客户联系 › API in the WeCom admin console', '为必填项：企业微信管理后台「客户联系 › API」中的 Secret'));
  }
  if (body.webhookSecret === undefined && !(wasWecom && prev?.hasWebhookSecret)) {
    out.push(problem('/webhookSecret', 'is required: the Token of the event-receiving server (接收事件服务器), letters or digits, at most 32', '为必填项：「接收事件服务器」的 Token，最多 32 位字母或数字'));
  }
  if (body.encodingAesKey === undefined && !(wasWecom && prev?.hasEncodingAesKey)) {
    out.push(problem('/encodingAesKey', 'is required: the EncodingAESKey of the event-receiving server (43 letters or digits)', '为必填项：「接收事件服务器」的 EncodingAESKey（43 位字母或数字）'));
  }
  return out;
}
