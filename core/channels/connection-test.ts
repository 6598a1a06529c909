/**
 * "Test connection" of a connected channel: one harmless authenticated call with the stored settings and secrets,
 * answered in both UI languages. Nothing is sent to anyone:
 * - wechat: an access_token from POST /cgi-bin/stable_token (normal mode) — an errcode is reported with our description of it;
 * - wecom: one GET /cgi-bin/gettoken with the CorpID and the customer-contact Secret — likewise;
 * - meta: GET /me?fields=id,name with the Page token, or GET /{phone-number-id}?fields=display_phone_number,verified_name
 *   with the WhatsApp token — Meta's code, subcode and message on failure (admins need Meta's words to fix the app);
 * - x: GET /2/users/me with the account's token — X's title and detail on failure, and a token of another account
 *   than the channel's user id is a failure too (replies would come from that account);
 * - http: a GET of baseUrl with the token header — its status;
 * - smtp: connect, EHLO and log in (nodemailer's verify), no mail;
 * - sms, telegram, slack: GET the Twilio account, getMe, auth.test (messaging-connection-tests.ts).
 * Every call goes through the outbound destination policy. No answer ever holds a secret or a token, nor WeChat's or
 * WeCom's errmsg.
 */
import type { LocalizedText } from '../../nodes/contract';
import { DestinationRefusedError, outboundHttp, requestFailure } from '../outbound/destination-policy';
import { refusalText } from '../../workflows/model/address-ranges';
import type { Store } from '../store/db';
import { channelToken, channelWebhookSecret, type ChannelConfigDoc } from '../store/channel-configs';
import { authHeaders, ChannelSendError } from './http-adapter';
import { smtpVerify } from './smtp-adapter';
import { checkWechatCredentials, WechatApiError, wechatErrcodeText } from './wechat/client';
import { MetaApiError, metaCodeText, whoAmIFor } from './meta/connection';
import { XApiError, xWhoAmI } from './x/connection';
import { xOAuth1Secrets } from './x/adapter';
import { checkWecomCredentials, WecomApiError, wecomErrcodeText } from './wecom/client';
import { testSlack, testSms, testTelegram } from './messaging-connection-tests';

export interface ConnectionTestDetails {
  kind: string;
  errcode?: number;
  /** Meta's error_subcode. */
  subcode?: number;
  description?: string;
  /** Meta's trace id of a refused call, for Meta's support. */
  fbtraceId?: string;
  /** What the platform says the credentials are (a Page's name, a WhatsApp number). */
  account?: string;
  expiresInS?: number;
  reason?: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** The platform's HTTP status, when it answered one. */
  status?: number;
  message: LocalizedText;
  details: ConnectionTestDetails;
}

const text = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });

/** A failure that is not an answer of the platform: refused destination, network, timeout. */
export function unreachable(kind: string, err: unknown): ConnectionTestResult {
  if (err instanceof DestinationRefusedError) {
    const t = refusalText(err.destination, err.reason);
    return { ok: false, message: t, details: { kind, reason: 'destination_refused' } };
  }
  const reason = requestFailure(err);
  return { ok: false, message: text(`Could not reach the platform: ${reason}`, `无法连接平台：${reason}`), details: { kind, reason } };
}

async function testWechat(store: Store, config: ChannelConfigDoc & { settings: { kind: 'wechat' } }): Promise<ConnectionTestResult> {
  const appSecret = await channelToken(store, config.workspaceId, config.channel);
  if (!appSecret) return { ok: false, message: text('No AppSecret is stored for this channel', '此渠道尚未保存 AppSecret'), details: { kind: 'wechat', reason: 'no_secret' } };
  const account = { workspaceId: config.workspaceId, channel: config.channel, appId: config.settings.appId, appSecret, apiBaseUrl: config.settings.apiBaseUrl };
  try {
    const { expiresInS } = await checkWechatCredentials(account);
    return {
      ok: true, status: 200,
      message: text(`WeChat accepted the AppID and AppSecret (access_token valid for ${expiresInS} s)`, `微信已接受 AppID 和 AppSecret（access_token 有效期 ${expiresInS} 秒）`),
      details: { kind: 'wechat', expiresInS },
    };
  } catch (err) {
    if (err instanceof WechatApiError) {
      const meaning = wechatErrcodeText(err.errcode) ?? text('unknown errcode', '未知错误码');
      const [en, zh] = [meaning.en, meaning['zh-CN']];
      return {
        ok: false, status: 200,
        message: text(`WeChat refused the AppID/AppSecret: errcode ${err.errcode} (${en})`, `微信拒绝了 AppID/AppSecret：errcode ${err.errcode}（${zh}）`),
        details: { kind: 'wechat', errcode: err.errcode, description: en },
      };
    }
    if (err instanceof ChannelSendError) {
      return { ok: false, status: err.status, message: text(`WeChat answered ${err.status}`, `微信返回了 ${err.status}`), details: { kind: 'wechat', reason: 'http_status' } };
    }
    return unreachable('wechat', err);
  }
}

async function testWecom(store: Store, config: ChannelConfigDoc & { settings: { kind: 'wecom' } }): Promise<ConnectionTestResult> {
  const secret = await channelToken(store, config.workspaceId, config.channel);
  if (!secret) return { ok: false, message: text('No customer-contact Secret is stored for this channel', '此渠道尚未保存“客户联系” Secret'), details: { kind: 'wecom', reason: 'no_secret' } };
  const account = { workspaceId: config.workspaceId, channel: config.channel, corpId: config.settings.corpId, secret, apiBaseUrl: config.settings.apiBaseUrl };
  try {
    const { expiresInS } = await checkWecomCredentials(account);
    return {
      ok: true, status: 200,
      message: text(`WeCom accepted the CorpID and Secret (access_token valid for ${expiresInS} s)`, `企业微信已接受 CorpID 和 Secret（access_token 有效期 ${expiresInS} 秒）`),
      details: { kind: 'wecom', expiresInS },
    };
  } catch (err) {
    if (err instanceof WecomApiError) {
      const meaning = wecomErrcodeText(err.errcode) ?? text('unknown errcode', '未知错误码');
      return {
        ok: false, status: 200,
        message: text(`WeCom refused the CorpID/Secret: errcode ${err.errcode} (${meaning.en})`, `企业微信拒绝了 CorpID/Secret：errcode ${err.errcode}（${meaning['zh-CN']}）`),
        details: { kind: 'wecom', errcode: err.errcode, description: meaning.en },
      };
    }
    if (err instanceof ChannelSendError) {
      return { ok: false, status: err.status, message: text(`WeCom answered ${err.status}`, `企业微信返回了 ${err.status}`), details: { kind: 'wecom', reason: 'http_status' } };
    }
    return unreachable('wecom', err);
  }
}

async function testHttp(store: Store, config: ChannelConfigDoc & { settings: { kind: 'http' } }): Promise<ConnectionTestResult> {
  const token = await channelToken(store, config.workspaceId, config.channel);
  try {
    const res = await outboundHttp(config.settings.baseUrl, { method: 'GET', headers: authHeaders(config.settings, token), timeoutMs: 10_000, maxBodyChars: 0 });
    const ok = res.status < 400;
    const refused = res.status === 401 || res.status === 403;
    return {
      ok, status: res.status,
      message: refused
        ? text(`The platform refused the token: ${res.status}`, `平台拒绝了令牌：${res.status}`)
        : text(`The platform answered ${res.status} to a GET of baseUrl`, `平台对 baseUrl 的 GET 请求返回了 ${res.status}`),
      details: { kind: 'http' },
    };
  } catch (err) {
    return unreachable('http', err);
  }
}

async function testSmtp(store: Store, config: ChannelConfigDoc & { settings: { kind: 'smtp' } }): Promise<ConnectionTestResult> {
  const password = await channelToken(store, config.workspaceId, config.channel);
  try {
    await smtpVerify(config.settings, password);
    return { ok: true, message: text(`The SMTP server ${config.settings.host}:${config.settings.port} accepted the connection`, `SMTP 服务器 ${config.settings.host}:${config.settings.port} 接受了连接`), details: { kind: 'smtp' } };
  } catch (err) {
    if (err instanceof DestinationRefusedError) return unreachable('smtp', err);
    // nodemailer's code (EAUTH, ECONNECTION, ETIMEDOUT…) and the server's reply code only: never its text.
    const e = err as { code?: string; responseCode?: number };
    const reason = typeof e.code === 'string' ? e.code : requestFailure(err);
    const reply = typeof e.responseCode === 'number' ? ` (${e.responseCode})` : '';
    return {
      ok: false,
      message: text(`The SMTP server refused or could not be reached: ${reason}${reply}`, `SMTP 服务器拒绝或无法连接：${reason}${reply}`),
      details: { kind: 'smtp', reason },
    };
  }
}

async function testMeta(store: Store, config: ChannelConfigDoc & { settings: { kind: 'meta' } }): Promise<ConnectionTestResult> {
  const accessToken = await channelToken(store, config.workspaceId, config.channel);
  if (!accessToken) return { ok: false, message: text('No access token is stored for this channel', '此渠道尚未保存访问令牌'), details: { kind: 'meta', reason: 'no_secret' } };
  try {
    const appSecret = await channelWebhookSecret(store, config.workspaceId, config.channel);
    const account = await whoAmIFor({ workspaceId: config.workspaceId, channel: config.channel, settings: config.settings, accessToken, appSecret });
    return {
      ok: true, status: 200,
      message: config.settings.platform === 'whatsapp'
        ? text(`Meta accepted the access token: WhatsApp number ${account}`, `Meta 已接受访问令牌：WhatsApp 号码 ${account}`)
        : text(`Meta accepted the access token: ${account}`, `Meta 已接受访问令牌：${account}`),
      details: { kind: 'meta', account },
    };
  } catch (err) {
    if (err instanceof MetaApiError) {
      const meaning = metaCodeText(err.code);
      const code = `code ${err.code}${err.subcode ? `, subcode ${err.subcode}` : ''}`;
      const said = err.metaMessage ? `: ${err.metaMessage}` : '';
      return {
        ok: false, status: err.status,
        message: text(`Meta refused (${code}${meaning ? `, ${meaning.en}` : ''})${said}`, `Meta 拒绝了请求（${code}${meaning ? `，${meaning['zh-CN']}` : ''}）${said}`),
        details: { kind: 'meta', errcode: err.code, ...(err.subcode ? { subcode: err.subcode } : {}), description: err.metaMessage || meaning?.en || '', ...(err.fbtraceId ? { fbtraceId: err.fbtraceId } : {}) },
      };
    }
    if (err instanceof ChannelSendError) {
      return { ok: false, status: err.status, message: text(`Meta answered ${err.status}`, `Meta 返回了 ${err.status}`), details: { kind: 'meta', reason: 'http_status' } };
    }
    return unreachable('meta', err);
  }
}

async function testX(store: Store, config: ChannelConfigDoc & { settings: { kind: 'x' } }): Promise<ConnectionTestResult> {
  const accessToken = await channelToken(store, config.workspaceId, config.channel);
  if (!accessToken) return { ok: false, message: text('No access token is stored for this channel', '此渠道尚未保存访问令牌'), details: { kind: 'x', reason: 'no_secret' } };
  try {
    const oauth1 = await xOAuth1Secrets(store, config.workspaceId, config.channel, config.settings);
    const { account, sameAccount } = await xWhoAmI({ workspaceId: config.workspaceId, channel: config.channel, settings: config.settings, accessToken, oauth1 });
    if (!sameAccount) {
      return {
        ok: false, status: 200,
        message: text(`X accepted the token, but it is ${account}, not the channel's user id ${config.settings.userId}`, `X 已接受令牌，但它属于 ${account}，而不是此渠道的用户 ID ${config.settings.userId}`),
        details: { kind: 'x', account, reason: 'other_account' },
      };
    }
    return { ok: true, status: 200, message: text(`X accepted the access token: ${account}`, `X 已接受访问令牌：${account}`), details: { kind: 'x', account } };
  } catch (err) {
    if (err instanceof XApiError) {
      const answer = `${err.status}${err.title ? ` ${err.title}` : ''}${err.code ? `, code ${err.code}` : ''}`;
      const said = err.detail && err.detail !== err.title ? `: ${err.detail}` : '';
      const [en, zh] = err.tokenInvalid
        ? [`X refused the access token (${answer})${said} — authorize the account again and save the new token`, `X 拒绝了访问令牌（${answer}）${said}——请重新授权账号并保存新令牌`]
        : [`X refused the request (${answer})${said}`, `X 拒绝了请求（${answer}）${said}`];
      return { ok: false, status: err.status, message: text(en, zh), details: { kind: 'x', ...(err.code ? { errcode: err.code } : {}), description: err.said } };
    }
    if (err instanceof ChannelSendError) {
      return { ok: false, status: err.status, message: text(`X answered ${err.status}`, `X 返回了 ${err.status}`), details: { kind: 'x', reason: 'http_status' } };
    }
    return unreachable('x', err);
  }
}

export function testChannelConnection(store: Store, config: ChannelConfigDoc): Promise<ConnectionTestResult> {
  const s = config.settings;
  if (s.kind === 'wechat') return testWechat(store, { ...config, settings: s });
  if (s.kind === 'wecom') return testWecom(store, { ...config, settings: s });
  if (s.kind === 'meta') return testMeta(store, { ...config, settings: s });
  if (s.kind === 'x') return testX(store, { ...config, settings: s });
  if (s.kind === 'http') return testHttp(store, { ...config, settings: s });
  if (s.kind === 'sms') return testSms(store, { ...config, settings: s });
  if (s.kind === 'telegram') return testTelegram(store, { ...config, settings: s });
  if (s.kind === 'slack') return testSlack(store, { ...config, settings: s });
  return testSmtp(store, { ...config, settings: s });
}
