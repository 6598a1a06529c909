/**
 * What WeCom lets an enterprise send to a customer (客户联系), as data, so that a journey step the platform would
 * refuse is refused before anything is sent, with a reason a marketer can read (the reply node's `blocked` port):
 * - The welcome message (发送新客户欢迎语, https://developer.work.weixin.qq.com/document/path/92137) uses the
 *   WelcomeCode of the add_external_contact callback: only within 20 seconds of the callback, only once, and only
 *   when the staff member has no welcome message configured in the admin console (WeCom then sends no code).
 * - A mass message to a customer (企业群发, https://developer.work.weixin.qq.com/document/path/92135): a customer
 *   receives at most one mass message a day from the enterprise. Sends are counted per CorpID, customer and day
 *   (China Standard Time) in a small ledger (`wecom_mass_sends`), one slot per message allowed: a slot is taken
 *   before the call (a retry of the same send finds its own) and given back when WeCom did not take the message.
 *   Mass messages sent outside Journeys are not seen: WeCom then lists the customer in `fail_list`.
 */
import type { LocalizedText } from '../../../nodes/contract';
import type { Store } from '../../store/db';
import { isDuplicateKey } from '../../store/errors';

export const WELCOME_POLICY = {
  /** How long after the callback WeCom accepts its welcome code. */
  validForMs: 20_000,
  /** Our clock starts when the callback reached us, WeCom's a little earlier: codes this close to the end are not tried. */
  safetyMarginMs: 1_000,
  /** Events whose answer is the welcome message. */
  eventTypes: ['wecom.contact_added', 'wecom.contact_half_added'],
};

export const MASS_MESSAGE_POLICY = {
  /** Mass messages one customer may receive from the enterprise in a day. */
  perCustomerPerDay: 1,
  /** The day WeCom counts in. */
  timeZone: 'Asia/Shanghai',
};

export type WecomRefusal = 'welcome_code_expired' | 'welcome_code_used' | 'no_welcome_code' | 'mass_message_daily_limit' | 'mass_message_refused';

export const WECOM_REFUSALS: Record<WecomRefusal, LocalizedText> = {
  welcome_code_expired: {
    en: 'not sent: WeCom accepts a welcome message only within 20 seconds of the customer being added; this answer came too late',
    'zh-CN': '未发送：企业微信只允许在添加客户后 20 秒内发送欢迎语，此回复已超时',
  },
  welcome_code_used: {
    en: 'not sent: the customer already received a welcome message or started chatting (a welcome code can be used once, by one app)',
    'zh-CN': '未发送：客户已收到欢迎语或已开始聊天（欢迎语凭证只能由一个应用使用一次）',
  },
  no_welcome_code: {
    en: 'not sent: WeCom gave no welcome code for this customer (the staff member has a welcome message configured in the admin console)',
    'zh-CN': '未发送：企业微信未提供此客户的欢迎语凭证（该成员已在管理后台配置了欢迎语）',
  },
  mass_message_daily_limit: {
    en: 'not sent: a customer receives at most one mass message a day from the enterprise on WeCom, and this customer already has one today',
    'zh-CN': '未发送：企业微信规定每位客户每天最多接收企业的 1 条群发消息，该客户今天已有一条',
  },
  mass_message_refused: {
    en: 'not sent: WeCom would not send a mass message to this customer (not a customer of the sending staff member, or already messaged today)',
    'zh-CN': '未发送：企业微信拒绝向此客户群发（不是发送成员的客户，或今天已收到群发消息）',
  },
};

export interface AnsweredEvent {
  type: string;
  data?: Record<string, unknown>;
  /** When the callback reached us. */
  receivedAt: Date;
}

/** Whether a reply to `answered` goes out as its welcome message, and with which code. */
export function welcomeVerdict(answered: AnsweredEvent, now: Date, policy = WELCOME_POLICY): { ok: true; welcomeCode: string } | { ok: false; reason: WecomRefusal } {
  const code = answered.data?.welcomeCode;
  if (typeof code !== 'string' || !code) return { ok: false, reason: 'no_welcome_code' };
  if (now.getTime() - answered.receivedAt.getTime() > policy.validForMs - policy.safetyMarginMs) return { ok: false, reason: 'welcome_code_expired' };
  return { ok: true, welcomeCode: code };
}

/** The calendar day of `at` in the policy's time zone, as YYYY-MM-DD. */
export function policyDay(at: Date, timeZone = MASS_MESSAGE_POLICY.timeZone): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

interface MassSendDoc { _id: string; workspaceId: string; corpId: string; externalUserId: string; day: string; key: string; channel: string; at: Date }

const massSends = (s: Store) => s.db.collection<MassSendDoc>('wecom_mass_sends');
let sinceSweep = 0;

export interface MassSendSlot { workspaceId: string; corpId: string; externalUserId: string; channel: string; key: string }

const slotId = (m: MassSendSlot, day: string, n: number) => `${m.workspaceId}|${m.corpId}|${m.externalUserId}|${day}|${n}`;

/**
 * Takes one of the customer's mass-message slots of the day for the send `key`: true when taken (or already taken by
 * this send: a retry), false when the day's slots are all taken by other sends.
 */
export async function takeMassSendSlot(s: Store, m: MassSendSlot, now = new Date(), policy = MASS_MESSAGE_POLICY): Promise<boolean> {
  const day = policyDay(now, policy.timeZone);
  for (let n = 0; n < policy.perCustomerPerDay; n++) {
    const _id = slotId(m, day, n);
    try {
      await massSends(s).insertOne({ _id, workspaceId: m.workspaceId, corpId: m.corpId, externalUserId: m.externalUserId, day, key: m.key, channel: m.channel, at: now });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const holder = await massSends(s).findOne({ _id });
      if (holder?.key === m.key) return true;
      continue;
    }
    // The embedded store has no TTL indexes: slots older than two days are swept now and then.
    if (++sinceSweep >= 200) {
      sinceSweep = 0;
      await massSends(s).deleteMany({ at: { $lt: new Date(now.getTime() - 2 * 86_400_000) } });
    }
    return true;
  }
  return false;
}

/** Gives back the slot `key` holds (WeCom did not take the message). */
export async function releaseMassSendSlot(s: Store, m: MassSendSlot): Promise<void> {
  await massSends(s).deleteMany({ workspaceId: m.workspaceId, corpId: m.corpId, externalUserId: m.externalUserId, key: m.key });
}
