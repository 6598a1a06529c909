/**
 * "Test connection" of SMS (GET the Twilio account resource), Telegram (getMe) and Slack (auth.test) channels: one
 * authenticated call that sends nothing. The platform's own error code is reported beside our words for it.
 */
import type { LocalizedText } from '../../nodes/contract';
import { channelToken, type ChannelConfigDoc } from '../store/channel-configs';
import type { Store } from '../store/db';
import { unreachable, type ConnectionTestResult } from './connection-test';
import { fetchAccount, TwilioApiError, twilioCodeText } from './sms/client';
import { getMe, TelegramApiError } from './telegram/client';
import { authTest, SlackApiError, slackErrorText } from './slack/client';

const text = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });
const noSecret = (kind: string, en: string, zh: string): ConnectionTestResult => ({ ok: false, message: text(`No ${en} is stored for this channel`, `此渠道尚未保存${zh}`), details: { kind, reason: 'no_secret' } });

export async function testSms(store: Store, config: ChannelConfigDoc & { settings: { kind: 'sms' } }): Promise<ConnectionTestResult> {
  const authToken = await channelToken(store, config.workspaceId, config.channel);
  if (!authToken) return noSecret('sms', 'Auth Token', ' Auth Token');
  try {
    const account = await fetchAccount({ accountSid: config.settings.accountSid, authToken, apiBaseUrl: config.settings.apiBaseUrl });
    const name = `${account.name || config.settings.accountSid}${account.status ? ` (${account.status})` : ''}`;
    return { ok: true, status: 200, message: text(`The SMS gateway accepted the Account SID and Auth Token: ${name}`, `短信网关已接受 Account SID 和 Auth Token：${name}`), details: { kind: 'sms', account: name } };
  } catch (err) {
    if (!(err instanceof TwilioApiError)) return unreachable('sms', err);
    const meaning = twilioCodeText(err.code);
    const code = err.code !== undefined ? `code ${err.code}` : `HTTP ${err.status}`;
    return {
      ok: false, status: err.status,
      message: text(`The SMS gateway refused (${code}${meaning ? `, ${meaning.en}` : ''})`, `短信网关拒绝了请求（${code}${meaning ? `，${meaning['zh-CN']}` : ''}）`),
      details: { kind: 'sms', ...(err.code !== undefined ? { errcode: err.code } : {}), description: err.twilioMessage || meaning?.en || '' },
    };
  }
}

export async function testTelegram(store: Store, config: ChannelConfigDoc & { settings: { kind: 'telegram' } }): Promise<ConnectionTestResult> {
  const token = await channelToken(store, config.workspaceId, config.channel);
  if (!token) return noSecret('telegram', 'bot token', '机器人令牌');
  try {
    const me = await getMe({ token, apiBaseUrl: config.settings.apiBaseUrl });
    const name = `@${me.username} (${me.firstName || me.id})`;
    return { ok: true, status: 200, message: text(`Telegram accepted the bot token: ${name}`, `Telegram 已接受机器人令牌：${name}`), details: { kind: 'telegram', account: name } };
  } catch (err) {
    if (!(err instanceof TelegramApiError)) return unreachable('telegram', err);
    const why = err.errorCode === 401 ? text('the bot token is not valid', '机器人令牌无效') : text(err.description, err.description);
    return {
      ok: false, status: err.errorCode,
      message: text(`Telegram refused (${err.errorCode}: ${why.en})`, `Telegram 拒绝了请求（${err.errorCode}：${why['zh-CN']}）`),
      details: { kind: 'telegram', errcode: err.errorCode, description: err.description },
    };
  }
}

export async function testSlack(store: Store, config: ChannelConfigDoc & { settings: { kind: 'slack' } }): Promise<ConnectionTestResult> {
  const token = await channelToken(store, config.workspaceId, config.channel);
  if (!token) return noSecret('slack', 'bot token', '机器人令牌');
  try {
    const who = await authTest({ token, apiBaseUrl: config.settings.apiBaseUrl });
    const name = `${who.user} @ ${who.team}`;
    return { ok: true, status: 200, message: text(`Slack accepted the bot token: ${name}`, `Slack 已接受机器人令牌：${name}`), details: { kind: 'slack', account: name } };
  } catch (err) {
    if (!(err instanceof SlackApiError)) return unreachable('slack', err);
    const meaning = slackErrorText(err.error);
    return {
      ok: false, status: err.status,
      message: text(`Slack refused: ${err.error}${meaning ? ` (${meaning.en})` : ''}`, `Slack 拒绝了请求：${err.error}${meaning ? `（${meaning['zh-CN']}）` : ''}`),
      details: { kind: 'slack', description: err.error },
    };
  }
}
