/**
 * What a decrypted WeCom customer-contact callback means (客户联系 › 事件,
 * https://developer.work.weixin.qq.com/document/path/92130 and 92277):
 * - `change_external_contact` is a contact event on the customer's handle (ExternalUserID):
 *   add_external_contact → wecom.contact_added, add_half_external_contact → wecom.contact_half_added,
 *   edit_external_contact → wecom.contact_edited, del_external_contact → wecom.contact_deleted (the staff member deleted
 *   the customer), del_follow_user → wecom.follow_user_deleted (the customer deleted the staff member),
 *   transfer_fail → wecom.transfer_failed; data `{ staff, state?, welcomeCode?, changeType, … }`.
 *   Its id is the customer, the staff member, CreateTime and ChangeType: WeCom's retries of one callback are one event.
 * - `change_external_tag` is a change of the corp tag library, about no customer: nothing is ingested, the cached
 *   tag library is dropped (tags.ts).
 * - Anything else naming an ExternalUserID is kept as `wecom.<event>`; anything else is acknowledged and dropped.
 * A 400 names the part of the XML that is wrong.
 */
import type { ContactEvent } from '../../../nodes/contract';
import { fieldMessage } from '../../../nodes/field-messages';
import { AppError, badRequest } from '../../errors';
import { textField, type XmlObject } from '../wechat/xml';

export const CHANGE_TYPES: Record<string, string> = {
  add_external_contact: 'wecom.contact_added',
  add_half_external_contact: 'wecom.contact_half_added',
  edit_external_contact: 'wecom.contact_edited',
  del_external_contact: 'wecom.contact_deleted',
  del_follow_user: 'wecom.follow_user_deleted',
  transfer_fail: 'wecom.transfer_failed',
};

/** The event a customer's add carries its welcome code and channel-QR state in. */
export const CONTACT_ADDED = 'wecom.contact_added';

export type CallbackMeaning =
  | { kind: 'contact'; event: ContactEvent }
  | { kind: 'tag_library'; changeType: string; tagId?: string }
  | { kind: 'ignored'; event: string };

const EVENT_ID_MAX = 200;

function badXml(path: string, en: string, zh: string): AppError {
  return badRequest([{ path, message: en, code: 'invalid_xml', i18n: { en, 'zh-CN': zh } }]);
}

export function callbackMeaning(xml: XmlObject, channel: string): CallbackMeaning {
  const optional = (tag: string, valid: (v: string) => boolean, en: string, zh: string) => {
    const v = textField(xml, tag);
    if (v === undefined || v === '') return undefined;
    if (!valid(v)) throw badXml(`/xml/${tag}`, en, zh);
    return v;
  };
  const required = (tag: string, valid: (v: string) => boolean, en: string, zh: string) => {
    const v = optional(tag, valid, en, zh);
    if (v === undefined) throw badRequest([{ path: `/xml/${tag}`, message: 'is required', code: 'required', i18n: fieldMessage('required') }]);
    return v;
  };
  const noSpaces = (max: number) => (v: string) => v.length <= max && !/\s/.test(v);
  const createTime = required('CreateTime', (v) => /^\d{1,12}$/.test(v.trim()), 'must be Unix seconds', '必须是 Unix 秒数').trim();
  const msgType = required('MsgType', (v) => /^[A-Za-z_]{1,32}$/.test(v), 'must be a WeCom message type (event…)', '必须是企业微信消息类型（event…）');
  const name = msgType === 'event'
    ? required('Event', (v) => /^[A-Za-z0-9_]{1,64}$/.test(v), 'must be a WeCom event name (change_external_contact…)', '必须是企业微信事件名称（change_external_contact…）')
    : msgType;

  if (name === 'change_external_tag') {
    const changeType = optional('ChangeType', (v) => /^[a-z_]{1,32}$/.test(v), 'must be create, update, delete or shuffle', '必须是 create、update、delete 或 shuffle') ?? 'update';
    return { kind: 'tag_library', changeType, tagId: optional('Id', noSpaces(128), 'must be a tag id', '必须是标签 ID') };
  }
  const externalUserId = optional('ExternalUserID', noSpaces(128), 'must be an external_userid (at most 128 characters, no spaces)', '必须是 external_userid（最多 128 个字符，不含空白）');
  if (!externalUserId) {
    if (name === 'change_external_contact') throw badRequest([{ path: '/xml/ExternalUserID', message: 'is required', code: 'required', i18n: fieldMessage('required') }]);
    return { kind: 'ignored', event: name };
  }
  const occurredAt = new Date(Number(createTime) * 1000).toISOString();

  let type: string;
  let key: string;
  const data: Record<string, unknown> = {};
  if (name === 'change_external_contact') {
    const changeType = required('ChangeType', (v) => /^[a-z_]{1,64}$/.test(v), 'must be a change type (add_external_contact…)', '必须是变更类型（add_external_contact…）');
    const staff = changeType === 'transfer_fail'
      ? optional('UserID', noSpaces(64), 'must be a UserID (at most 64 characters, no spaces)', '必须是成员 UserID（最多 64 个字符，不含空白）')
      : required('UserID', noSpaces(64), 'must be a UserID (at most 64 characters, no spaces)', '必须是成员 UserID（最多 64 个字符，不含空白）');
    // WeCom documents the state as at most 30 characters; a little leeway, but nothing a contact tag cannot hold.
    const state = optional('State', (v) => v.length <= 60, 'must be at most 60 characters', '不能超过 60 个字符');
    const welcomeCode = optional('WelcomeCode', noSpaces(512), 'must be a welcome code (no spaces)', '必须是欢迎语凭证（不含空白）');
    const source = optional('Source', noSpaces(64), 'must be a source name', '必须是来源名称');
    const failReason = optional('FailReason', noSpaces(64), 'must be a failure reason', '必须是失败原因');
    type = CHANGE_TYPES[changeType] ?? `wecom.${changeType}`;
    key = `${externalUserId}:${staff ?? ''}:${createTime}:${changeType}`;
    Object.assign(data, { changeType, ...(staff ? { staff } : {}), ...(state !== undefined ? { state } : {}), ...(welcomeCode ? { welcomeCode } : {}), ...(source ? { source } : {}), ...(failReason ? { failReason } : {}) });
  } else {
    type = `wecom.${name.toLowerCase()}`;
    key = `${externalUserId}:${createTime}:${name}`;
    const staff = optional('UserID', noSpaces(64), 'must be a UserID (at most 64 characters, no spaces)', '必须是成员 UserID（最多 64 个字符，不含空白）');
    if (staff) data.staff = staff;
    for (const [k, v] of Object.entries(xml)) if (typeof v === 'string' && !['ToUserName', 'FromUserName', 'CreateTime', 'Encrypt', 'ExternalUserID', 'UserID'].includes(k)) data[k] = v;
  }
  const event: ContactEvent = { id: `wecom:${key}`, type, channel, handle: externalUserId, data, occurredAt };
  if (event.id.length > EVENT_ID_MAX) throw badXml('/xml', 'makes an event id longer than 200 characters', '生成的事件 ID 超过 200 个字符');
  return { kind: 'contact', event };
}
