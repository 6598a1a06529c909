/**
 * Twilio's REST API (or a gateway speaking it): POST /2010-04-01/Accounts/{AccountSid}/Messages.json to send, GET
 * /2010-04-01/Accounts/{AccountSid}.json for the connection test; basic auth AccountSid:AuthToken, form-encoded
 * bodies. Errors are a non-2xx status with `{"code","message","more_info","status"}`
 * (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions): `code` decides. Throttling (429,
 * code 20429) is repeated a bounded number of times; every exchange goes through the outbound destination policy.
 */
import type { LocalizedText } from '../../../nodes/contract';
import { outboundHttp } from '../../outbound/destination-policy';
import { ChannelSendError } from '../http-adapter';

export const TWILIO_API_BASE = 'https://api.twilio.com';

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  apiBaseUrl?: string;
}

/** The recipient replied STOP (or opted out with the carrier): Twilio refuses every message to them. */
export const UNSUBSCRIBED_CODE = 21610;
export const RATE_LIMIT_CODE = 20429;

const CODE_TEXT: Record<number, LocalizedText> = {
  20003: { en: 'authentication failed: check the Account SID and Auth Token', 'zh-CN': '认证失败：请检查 Account SID 和 Auth Token' },
  20404: { en: 'the resource was not found (a wrong Account SID?)', 'zh-CN': '资源不存在（Account SID 是否有误？）' },
  20429: { en: 'too many requests', 'zh-CN': '请求过多' },
  21211: { en: 'the "To" number is not a valid phone number', 'zh-CN': '“To”号码不是有效的电话号码' },
  21408: { en: 'this account may not send to that region', 'zh-CN': '此账户无权向该地区发送' },
  21606: { en: 'the "From" number cannot send SMS', 'zh-CN': '“From”号码不能发送短信' },
  21610: { en: 'the recipient has unsubscribed (replied STOP)', 'zh-CN': '收件人已退订（回复了 STOP）' },
  21614: { en: 'the "To" number is not a mobile number', 'zh-CN': '“To”号码不是手机号码' },
};

export const twilioCodeText = (code: number | undefined): LocalizedText | undefined => (code === undefined ? undefined : CODE_TEXT[code]);

export class TwilioApiError extends ChannelSendError {
  override name = 'TwilioApiError';
  constructor(readonly operation: string, readonly code: number | undefined, readonly twilioMessage: string, readonly moreInfo: string | undefined, status: number) {
    super(`Twilio ${operation}: ${status}${code !== undefined ? ` code ${code}` : ''}${twilioMessage ? `: ${twilioMessage}` : ''}`, status);
  }

  get throttled(): boolean {
    return this.status === 429 || this.code === RATE_LIMIT_CODE;
  }

  get authFailed(): boolean {
    return this.status === 401 || this.code === 20003;
  }

  /** Another attempt later may succeed; anything else is the request or the setup. */
  get transient(): boolean {
    return this.throttled || this.status >= 500;
  }
}

export const twilioClientOptions = { rateLimitBackoffMs: [1000, 2000, 4000], timeoutMs: 10_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const baseOf = (a: TwilioAccount) => (a.apiBaseUrl ?? TWILIO_API_BASE).replace(/\/+$/, '');

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function exchangeOnce(a: TwilioAccount, operation: string, path: string, form?: Record<string, string>) {
  const res = await outboundHttp(`${baseOf(a)}/2010-04-01/Accounts/${encodeURIComponent(a.accountSid)}${path}`, {
    method: form ? 'POST' : 'GET',
    headers: {
      authorization: `Basic ${Buffer.from(`${a.accountSid}:${a.authToken}`).toString('base64')}`, accept: 'application/json',
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
    timeoutMs: twilioClientOptions.timeoutMs,
    maxBodyChars: 64_000,
    // Twilio's error object is read for its code and message; nothing else of an error answer is kept.
    maxErrorBodyChars: 4_000,
  });
  const body = parseJson(res.body);
  if (!res.ok) {
    const code = typeof body?.code === 'number' ? body.code : undefined;
    const message = typeof body?.message === 'string' ? body.message.slice(0, 300) : '';
    throw new TwilioApiError(operation, code, message, typeof body?.more_info === 'string' ? body.more_info.slice(0, 200) : undefined, res.status);
  }
  if (!body) throw new ChannelSendError(`Twilio ${operation}: the answer is not JSON`, res.status);
  return body;
}

async function twilioCall(a: TwilioAccount, operation: string, path: string, form?: Record<string, string>): Promise<Record<string, unknown>> {
  for (let n = 0; ; n++) {
    try {
      return await exchangeOnce(a, operation, path, form);
    } catch (err) {
      if (!(err instanceof TwilioApiError && err.throttled) || n >= twilioClientOptions.rateLimitBackoffMs.length) throw err;
      await sleep(twilioClientOptions.rateLimitBackoffMs[n]);
    }
  }
}

export interface SmsToSend {
  to: string;
  body: string;
  from?: string;
  messagingServiceSid?: string;
  statusCallback?: string;
}

/** One message; its SID (SM…/MM…), which the status callbacks name. */
export async function createMessage(a: TwilioAccount, m: SmsToSend): Promise<string | undefined> {
  const form: Record<string, string> = { To: m.to, Body: m.body };
  if (m.messagingServiceSid) form.MessagingServiceSid = m.messagingServiceSid;
  else if (m.from) form.From = m.from;
  if (m.statusCallback) form.StatusCallback = m.statusCallback;
  const body = await twilioCall(a, 'message', '/Messages.json', form);
  return typeof body.sid === 'string' && body.sid ? body.sid : undefined;
}

/** The connection test: the account's friendly name and status. */
export async function fetchAccount(a: TwilioAccount): Promise<{ name: string; status: string }> {
  const body = await twilioCall(a, 'account', '.json');
  const s = (v: unknown) => (typeof v === 'string' ? v.slice(0, 120) : '');
  return { name: s(body.friendly_name), status: s(body.status) };
}
