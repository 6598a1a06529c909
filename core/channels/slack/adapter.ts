/**
 * Team alerts through a connected Slack app (settings.kind 'slack', wired in workspace-adapter.ts): the notify node's
 * alert is one chat.postMessage to the channel the alert names when that is a Slack channel id (C…), else to the
 * channel's configured one. Slack's refusals (channel_not_found, not_in_channel, invalid_auth…) are the step's error
 * with Slack's code; rate limits wait as Slack says (client.ts), then the activity retries.
 */
import { NodeError, type LocalizedText, type OutboundMessage } from '../../../nodes/contract';
import { inBothLanguages } from '../../../nodes/field-messages';
import type { SlackChannelSettings } from '../../store/channel-configs';
import type { Store } from '../../store/db';
import { recordRefusal } from '../refusal-ledger';
import { postMessage, SlackApiError, slackErrorText } from './client';
import { SLACK_CHANNEL_ID_PATTERN } from './settings';

export interface SlackConnection {
  store: Store;
  workspaceId: string;
  channel: string;
  settings: SlackChannelSettings;
  token: string | undefined;
}

const NOT_CONNECTED: LocalizedText = { en: 'not sent: this Slack channel has no bot token', 'zh-CN': '未发送：此 Slack 渠道未配置机器人令牌' };
const UNSUPPORTED: LocalizedText = { en: 'not sent: a Slack channel posts team alerts only', 'zh-CN': '未发送：Slack 渠道只能发送团队提醒' };
const NO_CHANNEL: LocalizedText = {
  en: 'not sent: name a Slack channel id (C…) as the recipient, or set the channel\'s default channel id',
  'zh-CN': '未发送：请以 Slack 频道 ID（C…）作为接收人，或设置该渠道的默认频道 ID',
};

const CHANNEL_ID = new RegExp(SLACK_CHANNEL_ID_PATTERN);

function asNodeError(err: unknown, c: SlackConnection): unknown {
  if (!(err instanceof SlackApiError) || err.transient) return err;
  const meaning = slackErrorText(err.error);
  return new NodeError(err.authFailed ? 'slack_auth_failed' : 'slack_refused', inBothLanguages({
    en: `not sent: Slack refused the message (${err.error}${meaning ? `: ${meaning.en}` : ''})`, 'zh-CN': `未发送：Slack 拒绝了该消息（${err.error}${meaning ? `：${meaning['zh-CN']}` : ''}）`,
  }), { channel: c.channel, error: err.error });
}

export async function slackSend(c: SlackConnection, message: OutboundMessage, idempotencyKey: string): Promise<{ providerId: string }> {
  try {
    if (message.kind !== 'alert') throw new NodeError('unsupported_message_kind', inBothLanguages(UNSUPPORTED), { channel: c.channel, kind: message.kind });
    if (!c.token) throw new NodeError('channel_not_connected', inBothLanguages(NOT_CONNECTED), { channel: c.channel });
    const target = CHANNEL_ID.test(message.to.trim()) ? message.to.trim() : c.settings.channelId;
    if (!target) throw new NodeError('slack_no_channel', inBothLanguages(NO_CHANNEL), { channel: c.channel, to: message.to });
    const ts = await postMessage({ token: c.token, apiBaseUrl: c.settings.apiBaseUrl }, target, message.text);
    return { providerId: ts ? `${target}:${ts}` : `${c.channel}:${idempotencyKey}` };
  } catch (err) {
    const out = asNodeError(err, c);
    if (out instanceof NodeError) await recordRefusal(c.store, idempotencyKey, out);
    throw out;
  }
}
