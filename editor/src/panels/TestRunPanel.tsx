/**
 * Runs the draft for a test contact (dry run: outbound nodes record instead of sending) and follows it step by
 * step. Fast-forward ends the current wait through the engine's simulated clock, the same code path as real time.
 */
import { useEffect, useState } from 'react';
import { api, ApiError, errorText } from '../api/client';
import type { EnrollmentView } from '../api/types';
import { DICTIONARIES, type MessageKey } from '../i18n/dictionary';
import { useLang, useT } from '../i18n/language-store';

interface Props {
  journeyId: string; defaultEventType: string; hasErrors: boolean; beforeStart(): Promise<void>;
  run: EnrollmentView | null; onRun(run: EnrollmentView | null): void;
}

export function TestRunPanel({ journeyId, defaultEventType, hasErrors, beforeStart, run, onRun }: Props) {
  const t = useT();
  const lang = useLang();
  const [channel, setChannel] = useState('weibo');
  const [handle, setHandle] = useState('@test-contact');
  const [name, setName] = useState('Tess');
  const [eventType, setEventType] = useState(defaultEventType);
  const [text, setText] = useState('');
  const [reply, setReply] = useState({ type: 'social.dm', text: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [runId, setRunId] = useState<string | null>(run?.id ?? null);

  useEffect(() => { if (!eventType && defaultEventType) setEventType(defaultEventType); }, [defaultEventType, eventType]);

  // Follow the run until it ends (and a little after a fast-forward or an event, which restart it).
  useEffect(() => {
    if (!runId) return;
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const r = await api.enrollment(runId);
        if (stop) return;
        onRun(r);
        if (r.status === 'active') timer = setTimeout(poll, 500);
      } catch (err) {
        if (!stop) setError(errorText(err));
      }
    };
    void poll();
    return () => { stop = true; clearTimeout(timer); };
  }, [runId]); // eslint-disable-line react-hooks/exhaustive-deps

  const runStatus = (st: string) => (`run.${st}` in DICTIONARIES.en ? t(`run.${st}` as MessageKey) : st);
  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try { await fn(); } catch (err) {
      setError(err instanceof ApiError && err.issues?.length ? `${err.message}: ${err.issues.filter((i) => i.severity === 'error').map((i) => `${i.nodeId ?? ''} ${i.message}`).join('; ')}` : errorText(err));
    } finally { setBusy(false); }
  };

  const start = () => act(async () => {
    await beforeStart();
    onRun(null);
    const res = await api.startTestRun(journeyId, {
      contact: { channel, handle, ...(name ? { profile: { name } } : {}) },
      event: { type: eventType, ...(text ? { text } : {}) },
    });
    setRunId(null);
    setRunId(res.enrollmentId);
  });
  const refollow = () => { const id = runId; setRunId(null); setTimeout(() => setRunId(id), 0); };
  const fastForward = () => act(async () => { await api.fastForward(run!.id); refollow(); });
  const sendEvent = () => act(async () => { await api.sendRunEvent(run!.id, { type: reply.type, ...(reply.text ? { text: reply.text } : {}) }); refollow(); });

  return (
    <section className="side-panel" data-testid="test-run-panel">
      <h2>{t('test.heading')}</h2>
      {hasErrors && <p className="error">{t('test.invalid')}</p>}
      <fieldset>
        <legend>{t('test.contact')}</legend>
        <label className="stacked">{t('test.channel')}<input value={channel} onChange={(e) => setChannel(e.target.value)} data-testid="test-channel" /></label>
        <label className="stacked">{t('test.handle')}<input value={handle} onChange={(e) => setHandle(e.target.value)} data-testid="test-handle" /></label>
        <label className="stacked">{t('test.name')}<input value={name} onChange={(e) => setName(e.target.value)} data-testid="test-name" /></label>
      </fieldset>
      <fieldset>
        <legend>{t('test.event')}</legend>
        <label className="stacked">{t('test.eventType')}<input value={eventType} onChange={(e) => setEventType(e.target.value)} data-testid="test-event-type" /></label>
        <label className="stacked">{t('test.text')}<input value={text} onChange={(e) => setText(e.target.value)} data-testid="test-event-text" /></label>
      </fieldset>
      <button type="button" className="primary" disabled={busy || hasErrors || !eventType} onClick={start} data-testid="test-start">{t('test.start')}</button>
      {error && <p role="alert" className="error" data-testid="test-error">{error}</p>}
      {run && (
        <div className="run" data-testid="test-run">
          <p><strong data-testid="test-run-status">{t('test.status', { status: runStatus(run.status) })}</strong>{run.outcome && <span className="muted small"> ({run.outcome})</span>}<strong></strong></p>
          {run.waitingUntil && run.status === 'active' && (
            <p data-testid="test-waiting">
              {t('test.waitingUntil', { time: new Date(run.waitingUntil).toLocaleString(lang) })}{' '}
              <button type="button" disabled={busy} onClick={fastForward} data-testid="test-fast-forward">⏩ {t('test.fastForward')}</button>
            </p>
          )}
          {run.status === 'active' && (
            <div className="row">
              <input value={reply.type} onChange={(e) => setReply({ ...reply, type: e.target.value })} aria-label={t('test.eventType')} data-testid="test-reply-type" />
              <input value={reply.text} onChange={(e) => setReply({ ...reply, text: e.target.value })} aria-label={t('test.text')} data-testid="test-reply-text" />
              <button type="button" className="btn-small" disabled={busy} onClick={sendEvent} data-testid="test-send-event">{t('test.sendEvent')}</button>
            </div>
          )}
          <h3>{t('test.steps')}</h3>
          {run.steps.length === 0 && <p className="muted">{t('test.noSteps')}</p>}
          <ol className="steps" data-testid="test-steps">
            {run.steps.map((s) => (
              <li key={s.seq} className={`step step-${s.outcome}`} data-testid={`test-step-${s.nodeId}`}>
                <code>{s.nodeId}</code> {s.outcome}{s.port ? ` → ${s.port}` : ''}
                {s.output && Object.keys(s.output).length > 0 && <div className="muted small">{JSON.stringify(s.output)}</div>}
                {s.error && <div className="error small">{typeof s.error === 'string' ? s.error : s.error.message}</div>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
