/**
 * Channel connections (holders of `credentials.manage`, i.e. admins): the connected channels with which secrets are
 * stored, a form to connect or edit one — WeChat Official Account, WeCom customer contact, Meta (Messenger, Instagram,
 * WhatsApp), X (Twitter), generic HTTP platform or SMTP — and a "Test connection" button per channel. Secrets are write-only:
 * never prefilled, shown as "stored"; leaving one empty keeps the stored one. After saving a WeChat, WeCom, Meta or X
 * channel the page shows the webhook URL and the Token (Meta: the verify token) to paste into the platform's console.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, errorText } from '../api/client';
import type { ChannelConfigView, ChannelSettingsView, ChannelTestResult } from '../api/types';
import { usePolling } from '../hooks/usePolling';
import type { MessageKey } from '../i18n/dictionary';
import { useT } from '../i18n/language-store';
import { useSession } from '../session';
import { NavBar, NoAccess } from './NavBar';

type Kind = 'wechat' | 'wecom' | 'meta' | 'x' | 'http' | 'smtp' | SimpleKind;
type XPlan = NonNullable<Extract<ChannelSettingsView, { kind: 'x' }>['plan']>;
const X_PLANS: XPlan[] = ['free', 'basic', 'pro', 'enterprise'];
/** Platforms whose form is a few text settings, a token and maybe a webhook secret (SMS, Telegram, Slack). */
type SimpleKind = 'sms' | 'telegram' | 'slack';
const SIMPLE: Record<SimpleKind, { fields: { key: string; label: MessageKey; placeholder: string; required?: boolean }[]; token: MessageKey; secret?: MessageKey; hint: MessageKey }> = {
  sms: {
    fields: [
      { key: 'accountSid', label: 'channels.sms.accountSid', placeholder: 'AC…', required: true }, { key: 'from', label: 'channels.sms.from', placeholder: '+15551234567' },
      { key: 'messagingServiceSid', label: 'channels.sms.messagingServiceSid', placeholder: 'MG…' }, { key: 'apiBaseUrl', label: 'channels.sms.apiBaseUrl', placeholder: 'https://api.twilio.com' },
    ],
    token: 'channels.sms.authToken', hint: 'channels.sms.webhookHint',
  },
  telegram: {
    fields: [{ key: 'botUsername', label: 'channels.telegram.botUsername', placeholder: 'MyShopBot' }, { key: 'apiBaseUrl', label: 'channels.telegram.apiBaseUrl', placeholder: 'https://api.telegram.org' }],
    token: 'channels.telegram.botToken', secret: 'channels.telegram.secretToken', hint: 'channels.telegram.webhookHint',
  },
  slack: {
    fields: [{ key: 'channelId', label: 'channels.slack.channelId', placeholder: 'C0123456789' }, { key: 'apiBaseUrl', label: 'channels.slack.apiBaseUrl', placeholder: 'https://slack.com/api' }],
    token: 'channels.slack.botToken', hint: 'channels.slack.hint',
  },
};
const isSimple = (k: string): k is SimpleKind => k in SIMPLE;
type WecomSettingsView = Extract<ChannelSettingsView, { kind: 'wecom' }>;
type MetaSettingsView = Extract<ChannelSettingsView, { kind: 'meta' }>;
type MetaPlatform = MetaSettingsView['platform'];
const META_PLATFORMS: MetaPlatform[] = ['messenger', 'instagram', 'whatsapp'];
const MESSAGE_TAGS = ['HUMAN_AGENT', 'ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'];

/** A verify token to paste into Meta's console: only the handshake checks it, so any random printable string does. */
function newVerifyToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return `jrny_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

interface FormState {
  kind: Kind;
  channel: string;
  // WeChat
  appId: string; appSecret: string; wechatToken: string; aesKey: string; encodingMode: 'plain' | 'safe'; apiBaseUrl: string;
  // WeCom
  corpId: string; wecomSecret: string; wecomToken: string; wecomAesKey: string; wecomApiBaseUrl: string;
  // Meta
  metaPlatform: MetaPlatform; verifyToken: string; metaAppSecret: string; metaToken: string; pageId: string; phoneNumberId: string;
  businessAccountId: string; templateLanguage: string; messageTag: string; metaApiBaseUrl: string;
  // X
  xUserId: string; xPlan: XPlan | ''; xConsumerSecret: string; xToken: string; xApiBaseUrl: string; xConsumerKey: string; xTokenSecret: string;
  // HTTP
  baseUrl: string; replyPath: string; dmPath: string; profilePath: string; httpToken: string; webhookSecret: string;
  // SMTP
  host: string; port: string; secure: boolean; user: string; from: string; password: string;
  // SMS, Telegram, Slack
  extra: Record<string, string>; extraToken: string; extraSecret: string;
}

const EMPTY: FormState = {
  kind: 'wechat', channel: 'wechat',
  appId: '', appSecret: '', wechatToken: '', aesKey: '', encodingMode: 'plain', apiBaseUrl: '',
  corpId: '', wecomSecret: '', wecomToken: '', wecomAesKey: '', wecomApiBaseUrl: '',
  metaPlatform: 'messenger', verifyToken: '', metaAppSecret: '', metaToken: '', pageId: '', phoneNumberId: '',
  businessAccountId: '', templateLanguage: '', messageTag: '', metaApiBaseUrl: '',
  xUserId: '', xPlan: '', xConsumerSecret: '', xToken: '', xApiBaseUrl: '', xConsumerKey: '', xTokenSecret: '',
  baseUrl: '', replyPath: '', dmPath: '', profilePath: '', httpToken: '', webhookSecret: '',
  host: '', port: '587', secure: false, user: '', from: '', password: '',
  extra: {}, extraToken: '', extraSecret: '',
};

const DEFAULT_NAME: Record<Kind, string> = { wechat: 'wechat', wecom: 'wecom', meta: 'messenger', x: 'x', http: 'helpdesk', smtp: 'email', sms: 'sms', telegram: 'telegram', slack: 'slack' };

/** The form's label of each field the server may name in a 400 (`body/settings/appId` …). */
const FIELD_LABELS: Record<Kind, Record<string, MessageKey>> = {
  wechat: {
    'settings/appId': 'channels.wechat.appId', 'settings/apiBaseUrl': 'channels.wechat.apiBaseUrl', 'settings/encodingMode': 'channels.wechat.mode',
    token: 'channels.wechat.appSecret', webhookSecret: 'channels.wechat.token', encodingAesKey: 'channels.wechat.aesKey',
  },
  wecom: {
    'settings/corpId': 'channels.wecom.corpId', 'settings/apiBaseUrl': 'channels.wecom.apiBaseUrl',
    token: 'channels.wecom.secret', webhookSecret: 'channels.wecom.token', encodingAesKey: 'channels.wecom.aesKey',
  },
  meta: {
    'settings/platform': 'channels.meta.platform', 'settings/verifyToken': 'channels.meta.verifyToken', 'settings/pageId': 'channels.meta.pageId',
    'settings/phoneNumberId': 'channels.meta.phoneNumberId', 'settings/businessAccountId': 'channels.meta.businessAccountId',
    'settings/templateLanguage': 'channels.meta.templateLanguage', 'settings/messageTag': 'channels.meta.messageTag',
    'settings/apiBaseUrl': 'channels.meta.apiBaseUrl', token: 'channels.meta.accessToken', webhookSecret: 'channels.meta.appSecret',
  },
  x: {
    'settings/userId': 'channels.x.userId', 'settings/plan': 'channels.x.plan', 'settings/apiBaseUrl': 'channels.x.apiBaseUrl',
    token: 'channels.x.accessToken', webhookSecret: 'channels.x.consumerSecret',
  },
  http: {
    'settings/baseUrl': 'channels.http.baseUrl', 'settings/replyPath': 'channels.http.replyPath', 'settings/dmPath': 'channels.http.dmPath',
    'settings/profilePath': 'channels.http.profilePath', token: 'channels.http.token', webhookSecret: 'channels.http.webhookSecret',
  },
  smtp: {
    'settings/host': 'channels.smtp.host', 'settings/port': 'channels.smtp.port', 'settings/user': 'channels.smtp.user',
    'settings/from': 'channels.smtp.from', token: 'channels.smtp.password',
  },
  ...Object.fromEntries(Object.entries(SIMPLE).map(([k, v]) => [k, {
    ...Object.fromEntries(v.fields.map((f) => [`settings/${f.key}`, f.label])), token: v.token, ...(v.secret ? { webhookSecret: v.secret } : {}),
  }])) as unknown as Record<SimpleKind, Record<string, MessageKey>>,
};

/** What each platform calls the secrets stored as `token` and `webhookSecret`. */
const TOKEN_LABEL: Record<Kind, MessageKey> = { wechat: 'channels.wechat.appSecret', wecom: 'channels.wecom.secret', meta: 'channels.meta.accessToken', x: 'channels.x.accessToken', http: 'channels.http.token', smtp: 'channels.smtp.password', sms: SIMPLE.sms.token, telegram: SIMPLE.telegram.token, slack: SIMPLE.slack.token };
const WEBHOOK_SECRET_LABEL: Record<Kind, MessageKey> = { wechat: 'channels.wechat.token', wecom: 'channels.wecom.token', meta: 'channels.meta.appSecret', x: 'channels.x.consumerSecret', http: 'channels.http.webhookSecret', smtp: 'channels.http.webhookSecret', sms: 'channels.http.webhookSecret', telegram: 'channels.telegram.secretToken', slack: 'channels.http.webhookSecret' };

function formOf(c: ChannelConfigView): FormState {
  const s = c.settings;
  const base = { ...EMPTY, channel: c.channel, kind: s.kind };
  if (s.kind === 'wecom') return { ...base, corpId: s.corpId, wecomApiBaseUrl: s.apiBaseUrl ?? '' };
  if (s.kind === 'x') return { ...base, xUserId: s.userId, xPlan: s.plan ?? '', xApiBaseUrl: s.apiBaseUrl ?? '', xConsumerKey: s.consumerKey ?? '' };
  if (s.kind === 'sms' || s.kind === 'telegram' || s.kind === 'slack') return { ...base, extra: Object.fromEntries(Object.entries(s).filter(([k, v]) => k !== 'kind' && typeof v === 'string')) as Record<string, string> };
  if (s.kind === 'meta') {
    return {
      ...base, metaPlatform: s.platform, verifyToken: s.verifyToken, pageId: s.pageId ?? '', phoneNumberId: s.phoneNumberId ?? '',
      businessAccountId: s.businessAccountId ?? '', templateLanguage: s.templateLanguage ?? '', messageTag: s.messageTag ?? '', metaApiBaseUrl: s.apiBaseUrl ?? '',
    };
  }
  if (s.kind === 'wechat') return { ...base, appId: s.appId, encodingMode: s.encodingMode, apiBaseUrl: s.apiBaseUrl ?? '' };
  if (s.kind === 'http') return { ...base, baseUrl: s.baseUrl, replyPath: s.replyPath ?? '', dmPath: s.dmPath ?? '', profilePath: s.profilePath ?? '' };
  return { ...base, host: s.host, port: String(s.port), secure: s.secure ?? false, user: s.user ?? '', from: s.from };
}

/** Only what was filled in: empty optional settings are left out, empty secrets keep the stored ones. */
function bodyOf(f: FormState): Parameters<typeof api.connectChannel>[1] {
  const opt = <K extends string>(key: K, v: string) => (v.trim() ? { [key]: v.trim() } as Record<K, string> : {});
  const secret = <K extends string>(key: K, v: string) => (v ? { [key]: v } as Record<K, string> : {});
  if (f.kind === 'wechat') {
    return {
      settings: { kind: 'wechat', appId: f.appId.trim(), encodingMode: f.encodingMode, ...opt('apiBaseUrl', f.apiBaseUrl) },
      ...secret('token', f.appSecret), ...secret('webhookSecret', f.wechatToken), ...secret('encodingAesKey', f.aesKey),
    };
  }
  if (f.kind === 'wecom') {
    const settings: WecomSettingsView = { kind: 'wecom', corpId: f.corpId.trim(), ...opt('apiBaseUrl', f.wecomApiBaseUrl) };
    return {
      settings,
      ...secret('token', f.wecomSecret), ...secret('webhookSecret', f.wecomToken), ...secret('encodingAesKey', f.wecomAesKey),
    };
  }
  if (f.kind === 'meta') {
    const whatsapp = f.metaPlatform === 'whatsapp';
    const settings: MetaSettingsView = {
      kind: 'meta', platform: f.metaPlatform, verifyToken: f.verifyToken.trim(),
      ...(whatsapp
        ? { ...opt('phoneNumberId', f.phoneNumberId), ...opt('businessAccountId', f.businessAccountId), ...opt('templateLanguage', f.templateLanguage) }
        : { ...opt('pageId', f.pageId), ...opt('messageTag', f.messageTag) }),
      ...opt('apiBaseUrl', f.metaApiBaseUrl),
    };
    return { settings, ...secret('token', f.metaToken), ...secret('webhookSecret', f.metaAppSecret) };
  }
  if (f.kind === 'x') {
    return {
      settings: { kind: 'x', userId: f.xUserId.trim(), ...(f.xPlan ? { plan: f.xPlan } : {}), ...opt('consumerKey', f.xConsumerKey), ...opt('apiBaseUrl', f.xApiBaseUrl) },
      ...secret('token', f.xToken), ...secret('webhookSecret', f.xConsumerSecret), ...(f.xConsumerKey.trim() ? secret('tokenSecret', f.xTokenSecret) : {}),
    };
  }
  if (isSimple(f.kind)) {
    const fields = Object.fromEntries(SIMPLE[f.kind].fields.map((x) => [x.key, (f.extra[x.key] ?? '').trim()]).filter(([, v]) => v));
    return { settings: { kind: f.kind, ...fields } as ChannelSettingsView, ...secret('token', f.extraToken), ...secret('webhookSecret', f.extraSecret) };
  }
  if (f.kind === 'http') {
    return {
      settings: { kind: 'http', baseUrl: f.baseUrl.trim(), ...opt('replyPath', f.replyPath), ...opt('dmPath', f.dmPath), ...opt('profilePath', f.profilePath) },
      ...secret('token', f.httpToken), ...secret('webhookSecret', f.webhookSecret),
    };
  }
  return {
    settings: { kind: 'smtp', host: f.host.trim(), port: Number(f.port), secure: f.secure, from: f.from.trim(), ...opt('user', f.user) },
    ...secret('token', f.password),
  };
}

function summaryOf(s: ChannelSettingsView): string {
  if (s.kind === 'wechat') return `${s.appId} · ${s.encodingMode}`;
  if (s.kind === 'wecom') return s.corpId;
  if (s.kind === 'meta') return `${s.platform} · ${s.platform === 'whatsapp' ? s.phoneNumberId ?? '' : s.pageId ?? ''}`;
  if (s.kind === 'x') return `${s.userId}${s.plan ? ` · ${s.plan}` : ''}`;
  if (s.kind === 'http') return s.baseUrl;
  if (s.kind === 'sms') return `${s.accountSid} · ${s.from ?? s.messagingServiceSid ?? ''}`;
  if (s.kind === 'telegram') return s.botUsername ? `@${s.botUsername}` : 'Telegram';
  if (s.kind === 'slack') return s.channelId ?? 'Slack';
  return `${s.host}:${s.port} · ${s.from}`;
}

export function ChannelsPage({ onSignOut }: { onSignOut(): void }) {
  const { can } = useSession();
  return (
    <div className="list-page channels-page" data-testid="channels-page">
      <NavBar current="channels" onSignOut={onSignOut} />
      {can('credentials.manage') ? <ChannelsSection /> : <NoAccess />}
    </div>
  );
}

function ChannelsSection() {
  const t = useT();
  const { me } = useSession();
  const list = usePolling(() => api.channels(), 30_000, []);
  const [form, setForm] = useState<FormState>(EMPTY);
  const [editing, setEditing] = useState<ChannelConfigView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; fields: { label: string; message: string }[] } | null>(null);
  const [saved, setSaved] = useState<ChannelConfigView | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [result, setResult] = useState<{ channel: string; answer: ChannelTestResult } | { channel: string; error: string } | null>(null);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const stored = (has: boolean | undefined) => (editing && has ? t('channels.storedPlaceholder') : '');

  // The settings are one of three shapes: the server names the fields of every shape; those of the chosen one count.
  const fieldErrorsOf = (err: ApiError) => {
    const all = (err.fields ?? []).map((f) => {
      const path = (f.field ?? f.path ?? '').replace(/^body\/?/, '').replace(/^\//, '');
      const key = FIELD_LABELS[form.kind][path];
      return { path, label: key ? t(key) : path, message: f.message, known: !!key };
    });
    const relevant = all.filter((f) => f.known || !f.path.startsWith('settings'));
    return (relevant.length ? relevant : all).map(({ label, message }) => ({ label, message }));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(null);
    setBusy(true);
    try {
      const doc = await api.connectChannel(form.channel.trim(), bodyOf(form));
      setSaved(doc);
      setEditing(doc);
      setForm((f) => ({ ...f, appSecret: '', wechatToken: '', aesKey: '', wecomSecret: '', wecomToken: '', wecomAesKey: '', metaAppSecret: '', metaToken: '', xConsumerSecret: '', xToken: '', xTokenSecret: '', httpToken: '', webhookSecret: '', password: '', extraToken: '', extraSecret: '' }));
      list.refresh();
    } catch (err) {
      if (err instanceof ApiError && err.fields?.length) setError({ message: t('channels.saveFailed'), fields: fieldErrorsOf(err) });
      else setError({ message: errorText(err), fields: [] });
    } finally { setBusy(false); }
  };

  const test = async (channel: string) => {
    setTesting(channel);
    setResult(null);
    try { setResult({ channel, answer: await api.testChannel(channel) }); } catch (err) { setResult({ channel, error: errorText(err) }); } finally { setTesting(null); }
  };

  const edit = (c: ChannelConfigView) => {
    setEditing(c);
    setSaved(null);
    setError(null);
    setForm(formOf(c));
  };
  const startNew = () => {
    setEditing(null);
    setSaved(null);
    setError(null);
    setForm(EMPTY);
  };

  const webhookUrl = (channel: string) => `${window.location.origin}/api/v1/hooks/${encodeURIComponent(me?.workspace.id ?? 'default')}/${encodeURIComponent(channel)}`;

  return (
    <>
      <section className="page-section" data-testid="channels-section">
        <header className="section-head"><h2>{t('channels.heading')}</h2><p className="muted small">{t('channels.hint')}</p></header>
        {!list.data && !list.error && <p className="muted">{t('common.loading')}</p>}
        {list.error && <p role="alert" className="error">{list.error}</p>}
        {list.data?.channels.length === 0 && <p className="empty" data-testid="channels-empty">{t('channels.empty')}</p>}
        {!!list.data?.channels.length && (
          <table data-testid="channels-table">
            <thead><tr><th>{t('channels.name')}</th><th>{t('channels.platform')}</th><th>{t('channels.settings')}</th><th>{t('channels.secrets')}</th><th /></tr></thead>
            <tbody>
              {list.data.channels.map((c) => (
                <tr key={c.channel} data-testid={`channel-row-${c.channel}`}>
                  <td><code>{c.channel}</code></td>
                  <td>{t(`channels.kind.${c.settings.kind}` as MessageKey)}</td>
                  <td>{summaryOf(c.settings)}</td>
                  <td>
                    {c.hasToken && <span className="pill pill-published">{t(TOKEN_LABEL[c.settings.kind])} · {t('channels.stored')}</span>}
                    {c.hasWebhookSecret && <span className="pill pill-published">{t(WEBHOOK_SECRET_LABEL[c.settings.kind])} · {t('channels.stored')}</span>}
                    {c.hasEncodingAesKey && <span className="pill pill-published">EncodingAESKey · {t('channels.stored')}</span>}
                    {c.hasTokenSecret && <span className="pill pill-published">{t('channels.x.tokenSecret')} · {t('channels.stored')}</span>}
                  </td>
                  <td className="row">
                    <button type="button" disabled={testing !== null} onClick={() => void test(c.channel)} data-testid={`channel-test-${c.channel}`}>
                      {testing === c.channel ? t('channels.testing') : t('channels.test')}
                    </button>
                    <button type="button" onClick={() => edit(c)} data-testid={`channel-edit-${c.channel}`}>{t('channels.edit')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {result && (
          <div role="status" className={'answer' in result && result.answer.ok ? 'notice' : 'error'} data-testid="channel-test-result" data-ok={'answer' in result ? String(result.answer.ok) : 'false'}>
            <strong>{result.channel}</strong>: {'answer' in result
              ? <>{result.answer.ok ? '✓' : '✗'} {result.answer.message}</>
              : result.error}
          </div>
        )}
      </section>

      <section className="page-section" data-testid="channel-form-section">
        <header className="section-head">
          <h2>{editing ? t('channels.editHeading', { channel: editing.channel }) : t('channels.connectHeading')}</h2>
          {editing && <button type="button" onClick={startNew} data-testid="channel-new">{t('channels.new')}</button>}
        </header>
        <form className="template-form channel-form" onSubmit={(e) => void save(e)} data-testid="channel-form">
          <label className="stacked">{t('channels.platform')}
            <select value={form.kind} disabled={!!editing} onChange={(e) => { const kind = e.target.value as Kind; setForm((f) => ({ ...f, kind, channel: DEFAULT_NAME[kind], ...(kind === 'meta' && !f.verifyToken ? { verifyToken: newVerifyToken() } : {}) })); }} data-testid="channel-kind">
              {(['wechat', 'wecom', 'meta', 'x', 'http', 'smtp', 'sms', 'telegram', 'slack'] as Kind[]).map((k) => <option key={k} value={k}>{t(`channels.kind.${k}` as MessageKey)}</option>)}
            </select>
          </label>
          <Field label={t('channels.name')} hint={t('channels.nameHint')}>
            <input required readOnly={!!editing} maxLength={64} value={form.channel} onChange={(e) => set('channel', e.target.value)} data-testid="channel-name" />
          </Field>

          {form.kind === 'wechat' && (
            <>
              <p className="muted small">{t('channels.wechat.where')}</p>
              <Field label={t('channels.wechat.appId')} hint={t('channels.wechat.appIdHint')}>
                <input required value={form.appId} onChange={(e) => set('appId', e.target.value)} placeholder="wx0123456789abcdef" data-testid="channel-wechat-appId" />
              </Field>
              <Field label={t('channels.wechat.appSecret')} stored={editing?.hasToken}>
                <input type="password" autoComplete="new-password" value={form.appSecret} required={!editing?.hasToken} placeholder={stored(editing?.hasToken)} onChange={(e) => set('appSecret', e.target.value)} data-testid="channel-wechat-appSecret" />
              </Field>
              <Field label={t('channels.wechat.token')} hint={t('channels.wechat.tokenHint')} stored={editing?.hasWebhookSecret}>
                <input type="password" autoComplete="new-password" value={form.wechatToken} placeholder={stored(editing?.hasWebhookSecret)} onChange={(e) => set('wechatToken', e.target.value)} data-testid="channel-wechat-token" />
              </Field>
              <label className="stacked">{t('channels.wechat.mode')}
                <select value={form.encodingMode} onChange={(e) => set('encodingMode', e.target.value as 'plain' | 'safe')} data-testid="channel-wechat-mode">
                  <option value="plain">{t('channels.wechat.modePlain')}</option>
                  <option value="safe">{t('channels.wechat.modeSafe')}</option>
                </select>
              </label>
              <Field label={t('channels.wechat.aesKey')} hint={t('channels.wechat.aesKeyHint')} stored={editing?.hasEncodingAesKey}>
                <input type="password" autoComplete="new-password" value={form.aesKey} placeholder={stored(editing?.hasEncodingAesKey)} onChange={(e) => set('aesKey', e.target.value)} data-testid="channel-wechat-aesKey" />
              </Field>
              <Field label={t('channels.wechat.apiBaseUrl')} hint={t('channels.wechat.apiBaseUrlHint')}>
                <input value={form.apiBaseUrl} onChange={(e) => set('apiBaseUrl', e.target.value)} placeholder="https://api.weixin.qq.com" data-testid="channel-wechat-apiBaseUrl" />
              </Field>
            </>
          )}

          {form.kind === 'wecom' && (
            <>
              <p className="muted small">{t('channels.wecom.where')}</p>
              <Field label={t('channels.wecom.corpId')} hint={t('channels.wecom.corpIdHint')}>
                <input required value={form.corpId} onChange={(e) => set('corpId', e.target.value)} placeholder="ww0123456789abcdef" data-testid="channel-wecom-corpId" />
              </Field>
              <Field label={t('channels.wecom.secret')} hint={t('channels.wecom.secretHint')} stored={editing?.hasToken}>
                <input type="password" autoComplete="new-password" value={form.wecomSecret} required={!editing?.hasToken} placeholder={stored(editing?.hasToken)} onChange={(e) => set('wecomSecret', e.target.value)} data-testid="channel-wecom-secret" />
              </Field>
              <Field label={t('channels.wecom.token')} hint={t('channels.wecom.tokenHint')} stored={editing?.hasWebhookSecret}>
                <input type="password" autoComplete="new-password" value={form.wecomToken} required={!editing?.hasWebhookSecret} placeholder={stored(editing?.hasWebhookSecret)} onChange={(e) => set('wecomToken', e.target.value)} data-testid="channel-wecom-token" />
              </Field>
              <Field label={t('channels.wecom.aesKey')} hint={t('channels.wecom.aesKeyHint')} stored={editing?.hasEncodingAesKey}>
                <input type="password" autoComplete="new-password" value={form.wecomAesKey} required={!editing?.hasEncodingAesKey} placeholder={stored(editing?.hasEncodingAesKey)} onChange={(e) => set('wecomAesKey', e.target.value)} data-testid="channel-wecom-aesKey" />
              </Field>
              <Field label={t('channels.wecom.apiBaseUrl')} hint={t('channels.wecom.apiBaseUrlHint')}>
                <input value={form.wecomApiBaseUrl} onChange={(e) => set('wecomApiBaseUrl', e.target.value)} placeholder="https://qyapi.weixin.qq.com" data-testid="channel-wecom-apiBaseUrl" />
              </Field>
            </>
          )}

          {form.kind === 'meta' && (
            <>
              <label className="stacked">{t('channels.meta.platform')}
                <select value={form.metaPlatform} disabled={!!editing} onChange={(e) => { const p = e.target.value as MetaPlatform; setForm((f) => ({ ...f, metaPlatform: p, channel: editing ? f.channel : p })); }} data-testid="channel-meta-platform">
                  {META_PLATFORMS.map((p) => <option key={p} value={p}>{t(`channels.meta.platform.${p}` as MessageKey)}</option>)}
                </select>
              </label>
              <p className="muted small">{t(form.metaPlatform === 'whatsapp' ? 'channels.meta.whereWhatsapp' : 'channels.meta.where')}</p>
              <Field label={t('channels.meta.appSecret')} hint={t('channels.meta.appSecretHint')} stored={editing?.hasWebhookSecret}>
                <input type="password" autoComplete="new-password" value={form.metaAppSecret} required={!editing?.hasWebhookSecret} placeholder={stored(editing?.hasWebhookSecret)} onChange={(e) => set('metaAppSecret', e.target.value)} data-testid="channel-meta-appSecret" />
              </Field>
              <Field label={t('channels.meta.accessToken')} hint={t(form.metaPlatform === 'whatsapp' ? 'channels.meta.accessTokenHintWhatsapp' : 'channels.meta.accessTokenHint')} stored={editing?.hasToken}>
                <input type="password" autoComplete="new-password" value={form.metaToken} required={!editing?.hasToken} placeholder={stored(editing?.hasToken)} onChange={(e) => set('metaToken', e.target.value)} data-testid="channel-meta-accessToken" />
              </Field>
              <Field label={t('channels.meta.verifyToken')} hint={t('channels.meta.verifyTokenHint')}>
                <span className="row">
                  <input required value={form.verifyToken} onChange={(e) => set('verifyToken', e.target.value)} data-testid="channel-meta-verifyToken" />
                  <button type="button" onClick={() => set('verifyToken', newVerifyToken())} data-testid="channel-meta-verifyToken-new">{t('channels.meta.generate')}</button>
                </span>
              </Field>
              {form.metaPlatform === 'whatsapp' ? (
                <>
                  <Field label={t('channels.meta.phoneNumberId')} hint={t('channels.meta.phoneNumberIdHint')}>
                    <input required value={form.phoneNumberId} onChange={(e) => set('phoneNumberId', e.target.value)} placeholder="106540352242922" data-testid="channel-meta-phoneNumberId" />
                  </Field>
                  <Field label={t('channels.meta.businessAccountId')}>
                    <input value={form.businessAccountId} onChange={(e) => set('businessAccountId', e.target.value)} placeholder="102290129340398" data-testid="channel-meta-businessAccountId" />
                  </Field>
                  <Field label={t('channels.meta.templateLanguage')} hint={t('channels.meta.templateLanguageHint')}>
                    <input value={form.templateLanguage} onChange={(e) => set('templateLanguage', e.target.value)} placeholder="en_US" data-testid="channel-meta-templateLanguage" />
                  </Field>
                </>
              ) : (
                <>
                  <Field label={t('channels.meta.pageId')} hint={t(form.metaPlatform === 'instagram' ? 'channels.meta.pageIdHintInstagram' : 'channels.meta.pageIdHint')}>
                    <input required value={form.pageId} onChange={(e) => set('pageId', e.target.value)} placeholder="104812345678901" data-testid="channel-meta-pageId" />
                  </Field>
                  <label className="stacked">{t('channels.meta.messageTag')}
                    <select value={form.messageTag} onChange={(e) => set('messageTag', e.target.value)} data-testid="channel-meta-messageTag">
                      <option value="">{t('channels.meta.messageTagNone')}</option>
                      {MESSAGE_TAGS.filter((tag) => form.metaPlatform === 'messenger' || tag === 'HUMAN_AGENT').map((tag) => <option key={tag} value={tag}>{tag}</option>)}
                    </select>
                    <span className="muted small">{t('channels.meta.messageTagHint')}</span>
                  </label>
                </>
              )}
              <Field label={t('channels.meta.apiBaseUrl')} hint={t('channels.meta.apiBaseUrlHint')}>
                <input value={form.metaApiBaseUrl} onChange={(e) => set('metaApiBaseUrl', e.target.value)} placeholder="https://graph.facebook.com" data-testid="channel-meta-apiBaseUrl" />
              </Field>
            </>
          )}

          {form.kind === 'x' && (
            <>
              <p className="muted small">{t('channels.x.where')}</p>
              <Field label={t('channels.x.consumerSecret')} hint={t('channels.x.consumerSecretHint')} stored={editing?.hasWebhookSecret}>
                <input type="password" autoComplete="new-password" value={form.xConsumerSecret} required={!editing?.hasWebhookSecret} placeholder={stored(editing?.hasWebhookSecret)} onChange={(e) => set('xConsumerSecret', e.target.value)} data-testid="channel-x-consumerSecret" />
              </Field>
              <Field label={t('channels.x.consumerKey')} hint={t('channels.x.consumerKeyHint')}>
                <input value={form.xConsumerKey} onChange={(e) => set('xConsumerKey', e.target.value)} placeholder="xvz1evFS4wEEPTGEFPHBog" data-testid="channel-x-consumerKey" />
              </Field>
              <Field label={t('channels.x.accessToken')} hint={t('channels.x.accessTokenHint')} stored={editing?.hasToken}>
                <input type="password" autoComplete="new-password" value={form.xToken} required={!editing?.hasToken} placeholder={stored(editing?.hasToken)} onChange={(e) => set('xToken', e.target.value)} data-testid="channel-x-accessToken" />
              </Field>
              {form.xConsumerKey.trim() && (
                <Field label={t('channels.x.tokenSecret')} hint={t('channels.x.tokenSecretHint')} stored={editing?.hasTokenSecret}>
                  <input type="password" autoComplete="new-password" value={form.xTokenSecret} required={!editing?.hasTokenSecret} placeholder={stored(editing?.hasTokenSecret)} onChange={(e) => set('xTokenSecret', e.target.value)} data-testid="channel-x-tokenSecret" />
                </Field>
              )}
              <Field label={t('channels.x.userId')} hint={t('channels.x.userIdHint')}>
                <input required value={form.xUserId} onChange={(e) => set('xUserId', e.target.value)} placeholder="1450000000000000001" data-testid="channel-x-userId" />
              </Field>
              <label className="stacked">{t('channels.x.plan')}
                <select value={form.xPlan} onChange={(e) => set('xPlan', e.target.value as XPlan | '')} data-testid="channel-x-plan">
                  <option value="">{t('channels.x.planDefault')}</option>
                  {X_PLANS.map((p) => <option key={p} value={p}>{t(`channels.x.plan.${p}` as MessageKey)}</option>)}
                </select>
                <span className="muted small">{t('channels.x.planHint')}</span>
              </label>
              <Field label={t('channels.x.apiBaseUrl')} hint={t('channels.x.apiBaseUrlHint')}>
                <input value={form.xApiBaseUrl} onChange={(e) => set('xApiBaseUrl', e.target.value)} placeholder="https://api.x.com" data-testid="channel-x-apiBaseUrl" />
              </Field>
            </>
          )}

          {isSimple(form.kind) && (() => {
            const spec = SIMPLE[form.kind];
            return (
              <>
                {spec.fields.map((x) => (
                  <Field key={x.key} label={t(x.label)}>
                    <input required={x.required} value={form.extra[x.key] ?? ''} placeholder={x.placeholder} onChange={(e) => setForm((f) => ({ ...f, extra: { ...f.extra, [x.key]: e.target.value } }))} data-testid={`channel-${form.kind}-${x.key}`} />
                  </Field>
                ))}
                <Field label={t(spec.token)} stored={editing?.hasToken}>
                  <input type="password" autoComplete="new-password" value={form.extraToken} required={!editing?.hasToken} placeholder={stored(editing?.hasToken)} onChange={(e) => set('extraToken', e.target.value)} data-testid={`channel-${form.kind}-token`} />
                </Field>
                {spec.secret && (
                  <Field label={t(spec.secret)} hint={t('channels.telegram.secretTokenHint')} stored={editing?.hasWebhookSecret}>
                    <span className="row">
                      <input value={form.extraSecret} required={!editing?.hasWebhookSecret} placeholder={stored(editing?.hasWebhookSecret)} onChange={(e) => set('extraSecret', e.target.value)} data-testid={`channel-${form.kind}-secret`} />
                      <button type="button" onClick={() => set('extraSecret', newVerifyToken())} data-testid={`channel-${form.kind}-secret-new`}>{t('channels.meta.generate')}</button>
                    </span>
                  </Field>
                )}
              </>
            );
          })()}
          {form.kind === 'http' && (
            <>
              <Field label={t('channels.http.baseUrl')}><input required value={form.baseUrl} onChange={(e) => set('baseUrl', e.target.value)} placeholder="https://api.example.com" data-testid="channel-http-baseUrl" /></Field>
              <Field label={t('channels.http.replyPath')}><input value={form.replyPath} onChange={(e) => set('replyPath', e.target.value)} placeholder="/replies" data-testid="channel-http-replyPath" /></Field>
              <Field label={t('channels.http.dmPath')}><input value={form.dmPath} onChange={(e) => set('dmPath', e.target.value)} placeholder="/messages/{handle}" data-testid="channel-http-dmPath" /></Field>
              <Field label={t('channels.http.profilePath')}><input value={form.profilePath} onChange={(e) => set('profilePath', e.target.value)} placeholder="/users/{handle}" data-testid="channel-http-profilePath" /></Field>
              <Field label={t('channels.http.token')} stored={editing?.hasToken}>
                <input type="password" autoComplete="new-password" value={form.httpToken} placeholder={stored(editing?.hasToken)} onChange={(e) => set('httpToken', e.target.value)} data-testid="channel-http-token" />
              </Field>
              <Field label={t('channels.http.webhookSecret')} hint={t('channels.http.webhookSecretHint')} stored={editing?.hasWebhookSecret}>
                <input type="password" autoComplete="new-password" value={form.webhookSecret} placeholder={stored(editing?.hasWebhookSecret)} onChange={(e) => set('webhookSecret', e.target.value)} data-testid="channel-http-webhookSecret" />
              </Field>
            </>
          )}

          {form.kind === 'smtp' && (
            <>
              <Field label={t('channels.smtp.host')}><input required value={form.host} onChange={(e) => set('host', e.target.value)} placeholder="smtp.example.com" data-testid="channel-smtp-host" /></Field>
              <Field label={t('channels.smtp.port')}><input required type="number" min={1} max={65535} value={form.port} onChange={(e) => set('port', e.target.value)} data-testid="channel-smtp-port" /></Field>
              <label className="row small"><input type="checkbox" checked={form.secure} onChange={(e) => set('secure', e.target.checked)} data-testid="channel-smtp-secure" />{t('channels.smtp.secure')}</label>
              <Field label={t('channels.smtp.user')}><input value={form.user} autoComplete="off" onChange={(e) => set('user', e.target.value)} data-testid="channel-smtp-user" /></Field>
              <Field label={t('channels.smtp.from')}><input required value={form.from} onChange={(e) => set('from', e.target.value)} placeholder="Brand <care@example.com>" data-testid="channel-smtp-from" /></Field>
              <Field label={t('channels.smtp.password')} stored={editing?.hasToken}>
                <input type="password" autoComplete="new-password" value={form.password} placeholder={stored(editing?.hasToken)} onChange={(e) => set('password', e.target.value)} data-testid="channel-smtp-password" />
              </Field>
            </>
          )}

          {error && (
            <div role="alert" className="error" data-testid="channel-form-error">
              <p>{error.message}</p>
              {!!error.fields.length && (
                <ul>{error.fields.map((f, i) => <li key={i} data-testid="channel-field-error"><strong>{f.label}</strong>: {f.message}</li>)}</ul>
              )}
            </div>
          )}
          <button type="submit" className="primary" disabled={busy} data-testid="channel-save">{t('channels.save')}</button>
        </form>

        {saved && (
          <div className="secret-box" role="status" data-testid="channel-saved">
            <p><strong>{t('channels.savedHeading', { channel: saved.channel })}</strong></p>
            {saved.settings.kind === 'wechat' && (
              <>
                <p>{t('channels.wechat.webhookHint')}</p>
                <input readOnly value={webhookUrl(saved.channel)} className="secret" onFocus={(e) => e.target.select()} aria-label={t('channels.wechat.webhookUrl')} data-testid="channel-webhook-url" />
                <p data-testid="channel-webhook-token">{t('channels.wechat.tokenReminder', { mode: t(saved.settings.encodingMode === 'safe' ? 'channels.wechat.modeSafe' : 'channels.wechat.modePlain') })}</p>
              </>
            )}
            {saved.settings.kind === 'wecom' && (
              <>
                <p>{t('channels.wecom.webhookHint')}</p>
                <input readOnly value={webhookUrl(saved.channel)} className="secret" onFocus={(e) => e.target.select()} aria-label={t('channels.wechat.webhookUrl')} data-testid="channel-webhook-url" />
                <p data-testid="channel-webhook-token">{t('channels.wecom.tokenReminder')}</p>
              </>
            )}
            {isSimple(saved.settings.kind) && (
              <>
                <p>{t(SIMPLE[saved.settings.kind].hint)}</p>
                {saved.settings.kind !== 'slack' && <input readOnly value={webhookUrl(saved.channel)} className="secret" onFocus={(e) => e.target.select()} aria-label={t('channels.wechat.webhookUrl')} data-testid="channel-webhook-url" />}
              </>
            )}
            {saved.settings.kind === 'meta' && (
              <>
                <p>{t(saved.settings.platform === 'whatsapp' ? 'channels.meta.webhookHintWhatsapp' : 'channels.meta.webhookHint')}</p>
                <input readOnly value={webhookUrl(saved.channel)} className="secret" onFocus={(e) => e.target.select()} aria-label={t('channels.wechat.webhookUrl')} data-testid="channel-webhook-url" />
                <p>{t('channels.meta.verifyToken')}</p>
                <input readOnly value={saved.settings.verifyToken} className="secret" onFocus={(e) => e.target.select()} aria-label={t('channels.meta.verifyToken')} data-testid="channel-meta-verify-token" />
                <p data-testid="channel-webhook-token">{t(`channels.meta.fields.${saved.settings.platform}` as MessageKey)}</p>
              </>
            )}
            {saved.settings.kind === 'x' && (
              <>
                <p>{t('channels.x.webhookHint')}</p>
                <input readOnly value={webhookUrl(saved.channel)} className="secret" onFocus={(e) => e.target.select()} aria-label={t('channels.wechat.webhookUrl')} data-testid="channel-webhook-url" />
                <p data-testid="channel-webhook-token">{t('channels.x.subscribeHint')}</p>
              </>
            )}
          </div>
        )}
      </section>
    </>
  );
}

function Field({ label, hint, stored, children }: { label: string; hint?: string; stored?: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <label className="stacked">
      <span>{label}{stored && <span className="pill pill-published" data-testid="secret-stored">{t('channels.stored')}</span>}</span>
      {children}
      {hint && <span className="muted small">{hint}</span>}
    </label>
  );
}
