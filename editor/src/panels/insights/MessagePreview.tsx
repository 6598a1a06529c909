/**
 * "Preview for…": a message node's texts as one real contact would get them, under the node's form. The contact is
 * found like a test run's seed (ContactPicker); rendering is the runtime's own template code, in the browser, so
 * the preview follows every keystroke. A variable with no value for that contact is flagged where it would be, and
 * the panel says the message would not be sent to them.
 */
import { useEffect, useMemo, useState } from 'react';
import type { NodeManifest } from '../../../../nodes/contract';
import { api, errorText } from '../../api/client';
import type { ContactSummary, TimelineItem } from '../../api/types';
import { useLang, useT } from '../../i18n/language-store';
import { ContactPicker, contactName } from '../test-run/ContactPicker';
import { messageParts } from '../test-run/message-parts';
import { MessageText } from '../test-run/MessageText';
import { renderFields, templateFields } from './message-preview';

/** The picked contact and its latest event (undefined: still loading it). */
export interface PreviewContact { contact: ContactSummary; event?: TimelineItem | null }

export function MessagePreview({ manifest, config, picked, onPick }: {
  manifest: NodeManifest<any> | undefined; config: Record<string, unknown> | undefined; picked: PreviewContact | null; onPick(p: PreviewContact | null): void;
}) {
  const t = useT();
  const lang = useLang();
  const [error, setError] = useState<string | null>(null);
  const fields = useMemo(() => templateFields(manifest, config, lang), [manifest, config, lang]);
  const contactId = picked?.contact.id;
  const needsEvent = picked !== null && picked.event === undefined;

  useEffect(() => {
    if (!contactId || !needsEvent || !picked) return;
    let stale = false;
    api.contactTimeline(contactId).then((r) => {
      if (!stale) onPick({ contact: picked.contact, event: r.items.find((i) => i.kind === 'event') ?? null });
    }, (err) => { if (!stale) { setError(errorText(err)); onPick({ contact: picked.contact, event: null }); } });
    return () => { stale = true; };
  }, [contactId, needsEvent, picked, onPick]);

  if (!fields.length) return null;
  const rendered = picked && picked.event !== undefined ? renderFields(fields, picked.contact, picked.event) : null;
  const missing = [...new Set(rendered?.flatMap((f) => f.unresolved) ?? [])];
  const name = picked ? contactName(picked.contact) ?? t('test.seedUnnamed') : '';

  return (
    <section className="message-preview" data-testid="message-preview">
      <h3>{t('preview.heading')}</h3>
      <ContactPicker picked={picked?.contact ?? null} onPick={(c) => { setError(null); onPick(c ? { contact: c } : null); }} />
      {!picked && <p className="muted small">{t('preview.hint')}</p>}
      {error && <p role="alert" className="error small">{error}</p>}
      {picked && picked.event === undefined && <p className="muted small">{t('common.loading')}</p>}
      {picked && picked.event !== undefined && (
        <p className="muted small" data-testid="preview-event">
          {picked.event
            ? t('preview.event', { name, type: picked.event.type, channel: picked.event.channel ?? '—', when: new Date(picked.event.occurredAt).toLocaleString(lang) })
            : t('preview.noEvent', { name })}
        </p>
      )}
      {rendered?.map((f) => (
        <div key={f.path} className="preview-field" data-testid={`preview-field-${f.path}`}>
          <h4>{f.title}</h4>
          <MessageText text={f.text} parts={messageParts(f.template, f.text, f.unresolved)} missing={f.unresolved} />
        </div>
      ))}
      {rendered && (missing.length
        ? <p className="warning small" role="status" data-testid="preview-unresolved">{t('preview.unresolved', { name, variables: missing.map((v) => `{{${v}}}`).join(', ') })}</p>
        : <p className="ok small" data-testid="preview-ok">{t('preview.ok', { name })}</p>)}
      {rendered && manifest && <TestSend manifest={manifest} config={config ?? {}} rendered={rendered} blocked={missing.length > 0} defaultChannel={picked?.event?.channel ?? ''} />}
    </section>
  );
}

/** "Send a test to…": the texts as rendered above, sent for real to the address typed (POST /api/v1/test-sends). */
function TestSend({ manifest, config, rendered, blocked, defaultChannel }: {
  manifest: NodeManifest<any>; config: Record<string, unknown>; rendered: { path: string; text: string }[]; blocked: boolean; defaultChannel: string;
}) {
  const t = useT();
  const email = manifest.type === 'response.email';
  const [to, setTo] = useState('');
  const [channel, setChannel] = useState(email ? 'email' : (typeof config.channel === 'string' && config.channel) || defaultChannel);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (path: string) => rendered.find((f) => f.path === path)?.text;
  const send = async () => {
    setBusy(true);
    setResult(null);
    try {
      const html = email ? field('html') : undefined;
      const text = (email ? field('text') ?? html?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() : field('message')) || '';
      const r = await api.testSend({ channel, to: to.trim(), kind: email ? 'email' : 'dm', text, ...(email ? { subject: field('subject') ?? '', ...(html ? { html } : {}) } : {}) });
      setResult({ ok: true, text: r.status === 'sent' ? t('preview.testSent', { to: to.trim() }) : t('preview.testRecorded', { channel }) });
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="test-send" data-testid="test-send">
      <h4>{t('preview.testHeading')}</h4>
      <div className="row">
        <input value={to} onChange={(e) => setTo(e.target.value)} placeholder={email ? 'you@brand.com' : t('preview.testHandle')} aria-label={t('preview.testTo')} data-testid="test-send-to" />
        {!email && <input value={channel} onChange={(e) => setChannel(e.target.value)} placeholder="wechat" aria-label={t('preview.testChannel')} data-testid="test-send-channel" />}
        <button type="button" disabled={busy || blocked || !to.trim() || !channel.trim()} onClick={() => void send()} data-testid="test-send-button">{t('preview.testSend')}</button>
      </div>
      {result && <p role="status" className={`${result.ok ? 'ok' : 'error'} small`} data-testid="test-send-result">{result.text}</p>}
    </div>
  );
}
