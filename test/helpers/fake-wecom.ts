/**
 * A fake WeCom server API (qyapi.weixin.qq.com) on 127.0.0.1 (random port), answering as WeCom documents it — HTTP 200
 * with `{errcode, errmsg}`, errcode 0 on success:
 * - GET /cgi-bin/gettoken?corpid&corpsecret → {access_token, expires_in}: the same token while it is valid
 *   (expires_in is what remains), a new one once it expired. Errors: 41002 no corpid, 41004 no corpsecret, 40013 unknown
 *   CorpID, 40001 wrong Secret.
 * - Every other API checks access_token: 41001 missing, 40014 unknown, 42001 expired (`expireTokens()`).
 * - POST /cgi-bin/externalcontact/send_welcome_msg {welcome_code, text}: a code the fake issued with an add callback,
 *   once (41051 after) and within 20 s. WeCom documents no errcode of its own for a code past its 20 s; the fake answers
 *   those and unknown codes 40058 (invalid parameter), the code WeCom gives a bad parameter.
 * - POST /cgi-bin/externalcontact/add_msg_template {chat_type, external_userid, sender?, text}: a mass-message task;
 *   a customer already given one today is listed in fail_list, as WeCom does.
 * - GET /cgi-bin/externalcontact/get?external_userid: 40096 malformed id, 84061 no staff member has the customer.
 * - POST /cgi-bin/externalcontact/get_corp_tag_list, POST /cgi-bin/externalcontact/mark_tag {userid, external_userid,
 *   add_tag, remove_tag}: 40068 unknown tag id, 84061 the staff member does not have the customer.
 * - `failNext(n, errcode)` answers the next n API calls (not gettoken) with that errcode (45009 rate limit, -1 busy…).
 * Every request is recorded (`requests`); the host:port is allow-listed while the fake runs.
 * Also WeCom's side of callbacks, written from its documentation independently of the code under test (the AES layout
 * and signature are the shared helpers of fake-wechat.ts, which are WeChat's own): signed, encrypted for the CorpID,
 * and redelivered with a fresh signature as WeCom does when no answer came in time.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { allowOutbound } from './outbound-allow';
import { wechatEncrypt, wechatSign, type Delivery } from './fake-wechat';

export interface WecomRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
}

export interface FakeTag { id: string; name: string; group: string }
export interface FakeFollowUser { userid: string; remark?: string; state?: string; createtime: number; tagIds: string[] }
export interface FakeCustomer { name: string; avatar?: string; type: 1 | 2; corp_name?: string; follow: FakeFollowUser[] }

export interface FakeWecom {
  url: string;
  corpId: string;
  secret: string;
  token: string;
  aesKey: string;
  requests: WecomRequest[];
  customers: Record<string, FakeCustomer>;
  tags: FakeTag[];
  tokenCalls(): number;
  welcomeMessages(): any[];
  massMessages(): any[];
  markTagCalls(): any[];
  expireTokens(): void;
  failNext(n: number, errcode: number): void;
  /** A customer added by a staff member through a channel QR code: the callback's XML (WelcomeCode issued now). */
  customerAdded(externalUserId: string, o: { staff: string; state?: string; name?: string; welcomeCode?: boolean; at?: number }): { xml: string; welcomeCode?: string };
  /** Any change_external_contact callback's XML. */
  contactChange(externalUserId: string, changeType: string, o: { staff?: string; at?: number; extra?: Record<string, string> }): string;
  /** A change_external_tag callback's XML. */
  tagLibraryChange(tagId: string, changeType: string): string;
  /** The query and body WeCom posts for a callback: msg_signature over the Encrypt field, encrypted for the CorpID. */
  callback(xml: string, o?: { timestamp?: number; nonce?: string; corpId?: string; token?: string; aesKey?: string }): Delivery;
  /** The URL verification's query (GET): msg_signature over the encrypted echostr, and the plaintext expected back. */
  verification(o?: { timestamp?: number; corpId?: string }): { query: Record<string, string>; plain: string };
  /** Posts a callback through `send`; `redeliver`: WeCom got no answer in time and posts it again, signed afresh. */
  push(xml: string, send: (d: Delivery) => Promise<{ statusCode: number; body: string }>, o?: { redeliver?: boolean }): Promise<{ statusCode: number; body: string }[]>;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40058: 'invalid Parameter',
  40068: 'invalid tagid',
  40096: 'invalid external userid',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  41051: 'externaluser has started chatting',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  84061: 'not external contact',
};

const cdata = (v: string | number) => (typeof v === 'number' ? String(v) : `<![CDATA[${v}]]>`);
const xmlOf = (fields: Record<string, string | number>) => `<xml>${Object.entries(fields).map(([k, v]) => `<${k}>${cdata(v)}</${k}>`).join('')}</xml>`;
const day = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));

export async function startFakeWecom(opts: { corpId?: string; secret?: string; token?: string; aesKey?: string; expiresIn?: number } = {}): Promise<FakeWecom> {
  const corpId = opts.corpId ?? 'ww0123456789abcdef';
  const secret = opts.secret ?? 'fake-customer-contact-secret-0123456789abcd';
  const token = opts.token ?? 'wecomCallbackToken2024';
  const aesKey = opts.aesKey ?? 'WecomAesKey0123456789abcdefghijklmnopqrstuv';
  const lifetimeS = opts.expiresIn ?? 7200;
  const requests: WecomRequest[] = [];
  const customers: Record<string, FakeCustomer> = {};
  const tags: FakeTag[] = [
    { id: 'etVIP000000000000000000000000001', name: 'VIP', group: '客户等级' },
    { id: 'etNEW000000000000000000000000002', name: 'new', group: '客户等级' },
    { id: 'etFAIR00000000000000000000000003', name: 'spring-fair', group: '来源' },
  ];
  const issued = new Map<string, { expiresAt: number; expired: boolean }>();
  const welcomeCodes = new Map<string, { at: number; used: boolean; externalUserId: string; staff: string }>();
  const accepted = { welcome: [] as any[], mass: [] as any[], marks: [] as any[] };
  /** Mass messages each customer received, by day (China Standard Time). */
  const massByDay = new Map<string, number>();
  let current: string | undefined;
  let failures = 0;
  let failErrcode = 45009;
  let seq = 0;

  const valid = (t: string | undefined) => {
    const rec = t ? issued.get(t) : undefined;
    return !!rec && !rec.expired && Date.now() < rec.expiresAt;
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const query = Object.fromEntries(u.searchParams);
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      requests.push({ method: req.method ?? 'GET', path: u.pathname, query, body });
      const json = (data: Record<string, unknown>) => res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...data }));
      const error = (errcode: number) => res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' })
        .end(JSON.stringify({ errcode, errmsg: `${ERRMSG[errcode] ?? 'error'}, hint: [${Date.now()}_fake_${++seq}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}` }));

      if (u.pathname === '/cgi-bin/gettoken') {
        if (!query.corpid) return error(41002);
        if (!query.corpsecret) return error(41004);
        if (query.corpid !== corpId) return error(40013);
        if (query.corpsecret !== secret) return error(40001);
        if (!valid(current)) {
          current = `FAKE_WECOM_TOKEN_${++seq}_${randomBytes(6).toString('hex')}`;
          issued.set(current, { expiresAt: Date.now() + lifetimeS * 1000, expired: false });
        }
        return json({ access_token: current, expires_in: Math.ceil((issued.get(current!)!.expiresAt - Date.now()) / 1000) });
      }
      const api = ['/cgi-bin/externalcontact/send_welcome_msg', '/cgi-bin/externalcontact/add_msg_template', '/cgi-bin/externalcontact/get', '/cgi-bin/externalcontact/get_corp_tag_list', '/cgi-bin/externalcontact/mark_tag'];
      if (!api.includes(u.pathname)) return res.writeHead(404).end('not found');
      if (!query.access_token) return error(41001);
      const tok = issued.get(query.access_token);
      if (!tok) return error(40014);
      if (tok.expired || Date.now() >= tok.expiresAt) return error(42001);
      if (failures > 0) {
        failures--;
        return error(failErrcode);
      }
      const b = (body && typeof body === 'object' ? body : {}) as Record<string, any>;
      const isPost = req.method === 'POST';

      if (u.pathname === '/cgi-bin/externalcontact/get') {
        const id = query.external_userid ?? '';
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return error(40096);
        const c = customers[id];
        if (!c || !c.follow.length) return error(84061);
        return json({
          external_contact: { external_userid: id, name: c.name, type: c.type, ...(c.avatar ? { avatar: c.avatar } : {}), ...(c.corp_name ? { corp_name: c.corp_name } : {}), gender: 0 },
          follow_user: c.follow.map((f) => ({
            userid: f.userid, remark: f.remark ?? '', description: '', createtime: f.createtime, ...(f.state ? { state: f.state } : {}), add_way: 1,
            tags: f.tagIds.map((tid) => tags.find((t) => t.id === tid)).filter(Boolean).map((t) => ({ group_name: t!.group, tag_name: t!.name, tag_id: t!.id, type: 1 })),
          })),
        });
      }
      if (!isPost || typeof body !== 'object' || !body) return error(40058);
      if (u.pathname === '/cgi-bin/externalcontact/send_welcome_msg') {
        const code = welcomeCodes.get(String(b.welcome_code ?? ''));
        if (!code || Date.now() - code.at > 20_000) return error(40058);
        if (code.used) return error(41051);
        if (typeof b.text?.content !== 'string' || !b.text.content || Buffer.byteLength(b.text.content) > 4000) return error(40058);
        code.used = true;
        accepted.welcome.push({ ...b, externalUserId: code.externalUserId, staff: code.staff });
        return json({});
      }
      if (u.pathname === '/cgi-bin/externalcontact/add_msg_template') {
        if ((b.chat_type ?? 'single') !== 'single' || !Array.isArray(b.external_userid) || typeof b.text?.content !== 'string') return error(40058);
        const failList: string[] = [];
        for (const id of b.external_userid as string[]) {
          const c = customers[id];
          const k = `${id}|${day(Date.now())}`;
          if (!c || (b.sender && !c.follow.some((f) => f.userid === b.sender)) || (massByDay.get(k) ?? 0) >= 1) failList.push(id);
          else massByDay.set(k, (massByDay.get(k) ?? 0) + 1);
        }
        const msgid = `msgFAKE${++seq}${randomBytes(4).toString('hex')}`;
        accepted.mass.push({ ...b, msgid, failList });
        return json({ fail_list: failList, msgid });
      }
      if (u.pathname === '/cgi-bin/externalcontact/get_corp_tag_list') {
        const groups = [...new Set(tags.map((t) => t.group))];
        return json({
          tag_group: groups.map((g, i) => ({
            group_id: `etGROUP${i}`, group_name: g, create_time: 1_700_000_000, order: i, deleted: false,
            tag: tags.filter((t) => t.group === g).map((t, j) => ({ id: t.id, name: t.name, create_time: 1_700_000_000, order: j, deleted: false })),
          })),
        });
      }
      // mark_tag
      const c = customers[String(b.external_userid ?? '')];
      const f = c?.follow.find((x) => x.userid === b.userid);
      if (!c || !f) return error(84061);
      const add: string[] = Array.isArray(b.add_tag) ? b.add_tag : [];
      const remove: string[] = Array.isArray(b.remove_tag) ? b.remove_tag : [];
      if (!add.length && !remove.length) return error(40058);
      if ([...add, ...remove].some((id) => !tags.some((t) => t.id === id))) return error(40068);
      f.tagIds = [...new Set([...f.tagIds, ...add])].filter((id) => !remove.includes(id));
      accepted.marks.push(b);
      return json({});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  const now = () => Math.floor(Date.now() / 1000);

  const fake: FakeWecom = {
    url: `http://127.0.0.1:${port}`, corpId, secret, token, aesKey, requests, customers, tags,
    tokenCalls: () => requests.filter((r) => r.path === '/cgi-bin/gettoken').length,
    welcomeMessages: () => accepted.welcome,
    massMessages: () => accepted.mass,
    markTagCalls: () => accepted.marks,
    expireTokens() {
      for (const t of issued.values()) t.expired = true;
    },
    failNext(n, errcode) {
      failures = n;
      failErrcode = errcode;
    },
    customerAdded(externalUserId, o) {
      const at = o.at ?? now();
      const c = customers[externalUserId] ??= { name: o.name ?? `Customer ${externalUserId.slice(-4)}`, type: 1, follow: [] };
      if (!c.follow.some((f) => f.userid === o.staff)) c.follow.push({ userid: o.staff, state: o.state, createtime: at, tagIds: [] });
      const welcomeCode = o.welcomeCode === false ? undefined : `WELCOME_${randomBytes(12).toString('hex')}`;
      if (welcomeCode) welcomeCodes.set(welcomeCode, { at: Date.now(), used: false, externalUserId, staff: o.staff });
      const xml = xmlOf({
        ToUserName: corpId, FromUserName: 'sys', CreateTime: at, MsgType: 'event', Event: 'change_external_contact', ChangeType: 'add_external_contact',
        UserID: o.staff, ExternalUserID: externalUserId, ...(o.state ? { State: o.state } : {}), ...(welcomeCode ? { WelcomeCode: welcomeCode } : {}),
      });
      return { xml, welcomeCode };
    },
    contactChange(externalUserId, changeType, o) {
      return xmlOf({
        ToUserName: corpId, FromUserName: 'sys', CreateTime: o.at ?? now(), MsgType: 'event', Event: 'change_external_contact', ChangeType: changeType,
        ...(o.staff ? { UserID: o.staff } : {}), ExternalUserID: externalUserId, ...o.extra,
      });
    },
    tagLibraryChange(tagId, changeType) {
      return xmlOf({ ToUserName: corpId, FromUserName: 'sys', CreateTime: now(), MsgType: 'event', Event: 'change_external_tag', Id: tagId, TagType: 'tag', ChangeType: changeType });
    },
    callback(xml, o = {}) {
      const timestamp = String(o.timestamp ?? now());
      const nonce = o.nonce ?? String(Math.floor(Math.random() * 1e10));
      const encrypt = wechatEncrypt(xml, o.aesKey ?? aesKey, o.corpId ?? corpId);
      return {
        query: { msg_signature: wechatSign(o.token ?? token, timestamp, nonce, encrypt), timestamp, nonce },
        body: `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><AgentID><![CDATA[]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
      };
    },
    verification(o = {}) {
      const timestamp = String(o.timestamp ?? now());
      const nonce = String(Math.floor(Math.random() * 1e10));
      const plain = String(BigInt(`0x${randomBytes(8).toString('hex')}`));
      const echostr = wechatEncrypt(plain, aesKey, o.corpId ?? corpId);
      return { query: { msg_signature: wechatSign(token, timestamp, nonce, echostr), timestamp, nonce, echostr }, plain };
    },
    async push(xml, send, o = {}) {
      const answers = [await send(fake.callback(xml))];
      if (o.redeliver) answers.push(await send(fake.callback(xml)));
      return answers;
    },
    close: () => new Promise<void>((r) => {
      revoke();
      server.close(() => r());
    }),
  };
  return fake;
}
