/**
 * The WeCom customer-contact API calls Journeys makes (客户联系, https://developer.work.weixin.qq.com/document/path/92109):
 * the new-customer welcome message, a mass message task for one customer, a customer's details, the corp tag library
 * and marking tags. Each goes through the destination policy (api.ts) with the corp's access_token
 * (access-token.ts): a token WeCom refuses (40014/41001/42001) is replaced once and the call repeated; busy answers
 * are repeated with back-off.
 */
import { wecomAccessToken } from './access-token';
import { baseOf, errcodeOf, exchange, PERMANENT_ERRCODES, TOKEN_ERRCODES, WecomApiError, whileBusy, type WecomAccount } from './api';

export { checkWecomCredentials, clearWecomTokens } from './access-token';
export { WECOM_API_BASE, WecomApiError, wecomClientOptions, wecomErrcodeText, type WecomAccount } from './api';

/** A call with the access_token: replaced once when WeCom refuses it, repeated while WeCom is busy. */
export async function wecomCall(a: WecomAccount, operation: string, path: string, init: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown }): Promise<Record<string, unknown>> {
  const url = (token: string) => `${baseOf(a)}${path}?${new URLSearchParams({ access_token: token, ...init.query })}`;
  let token = await wecomAccessToken(a);
  let body = await whileBusy(() => exchange(url(token), operation, init));
  let code = errcodeOf(body);
  if (TOKEN_ERRCODES.has(code)) {
    token = await wecomAccessToken(a, { refused: token });
    body = await whileBusy(() => exchange(url(token), operation, init));
    code = errcodeOf(body);
  }
  if (code !== 0) throw new WecomApiError(code, operation, PERMANENT_ERRCODES.has(code));
  return body;
}

/** 发送新客户欢迎语 (https://developer.work.weixin.qq.com/document/path/92137): once per welcome code, within 20 s. */
export async function sendWelcomeMessage(a: WecomAccount, welcomeCode: string, content: string): Promise<void> {
  await wecomCall(a, 'welcome message', '/cgi-bin/externalcontact/send_welcome_msg', { method: 'POST', body: { welcome_code: welcomeCode, text: { content } } });
}

/**
 * 创建企业群发 (https://developer.work.weixin.qq.com/document/path/92135) to one customer: a task the sending staff
 * member confirms in the WeCom client. Its msgid, and whether WeCom listed the customer as one it cannot send to
 * (`fail_list`).
 */
export async function addMassMessage(a: WecomAccount, m: { externalUserId: string; sender?: string; content: string }): Promise<{ msgid?: string; refused: boolean }> {
  const body = await wecomCall(a, 'mass message', '/cgi-bin/externalcontact/add_msg_template', {
    method: 'POST',
    body: { chat_type: 'single', external_userid: [m.externalUserId], ...(m.sender ? { sender: m.sender } : {}), text: { content: m.content } },
  });
  const failList = Array.isArray(body.fail_list) ? body.fail_list : [];
  return { msgid: typeof body.msgid === 'string' ? body.msgid : undefined, refused: failList.includes(m.externalUserId) };
}

export interface WecomFollowUser {
  userid: string;
  remark?: string;
  description?: string;
  createtime?: number;
  state?: string;
  add_way?: number;
  tags?: { group_name?: string; tag_name?: string; tag_id?: string; type?: number }[];
  [field: string]: unknown;
}

export interface WecomExternalContact {
  external_contact: { external_userid: string; name?: string; avatar?: string; type?: number; gender?: number; corp_name?: string; corp_full_name?: string; position?: string; unionid?: string };
  follow_user: WecomFollowUser[];
}

/** 获取客户详情 (https://developer.work.weixin.qq.com/document/path/92114); undefined for a customer WeCom does not know here. */
export async function externalContact(a: WecomAccount, externalUserId: string): Promise<WecomExternalContact | undefined> {
  try {
    const body = await wecomCall(a, 'customer details', '/cgi-bin/externalcontact/get', { method: 'GET', query: { external_userid: externalUserId } });
    const contact = body.external_contact;
    if (!contact || typeof contact !== 'object') return undefined;
    return { external_contact: contact as WecomExternalContact['external_contact'], follow_user: Array.isArray(body.follow_user) ? (body.follow_user as WecomFollowUser[]) : [] };
  } catch (err) {
    if (err instanceof WecomApiError && (err.errcode === 40096 || err.errcode === 84061)) return undefined;
    throw err;
  }
}

export interface WecomTag { id: string; name: string; groupName: string }

/** 获取企业标签库 (https://developer.work.weixin.qq.com/document/path/92117): every corp tag, deleted ones left out. */
export async function corpTagList(a: WecomAccount): Promise<WecomTag[]> {
  const body = await wecomCall(a, 'tag library', '/cgi-bin/externalcontact/get_corp_tag_list', { method: 'POST', body: {} });
  const out: WecomTag[] = [];
  for (const g of Array.isArray(body.tag_group) ? body.tag_group as Record<string, unknown>[] : []) {
    if (!g || g.deleted === true) continue;
    for (const t of Array.isArray(g.tag) ? g.tag as Record<string, unknown>[] : []) {
      if (t && typeof t.id === 'string' && typeof t.name === 'string' && t.deleted !== true) out.push({ id: t.id, name: t.name, groupName: typeof g.group_name === 'string' ? g.group_name : '' });
    }
  }
  return out;
}

/** 编辑客户企业标签 (https://developer.work.weixin.qq.com/document/path/92118): tags a staff member set on a customer. */
export async function markTags(a: WecomAccount, m: { userid: string; externalUserId: string; add: string[]; remove: string[] }): Promise<void> {
  await wecomCall(a, 'mark tags', '/cgi-bin/externalcontact/mark_tag', {
    method: 'POST',
    body: { userid: m.userid, external_userid: m.externalUserId, ...(m.add.length ? { add_tag: m.add } : {}), ...(m.remove.length ? { remove_tag: m.remove } : {}) },
  });
}
