/**
 * Runs the draft for a test contact (dry run: outbound nodes record instead of sending) and follows it step by
 * step. Fast-forward ends the current wait through the engine's simulated clock, the same code path as real time.
 */
import { useEffect, useState } from 'react';
import { api, ApiError, errorText } from '../api/client';
import type { EnrollmentView } from '../api/types';
import { DICTIONARIES, type MessageKey } from '../i18n/dictionary';
import { useLang, useT } from '../i18n/language-store';
import { RunMessagesSummary } from './test-run/RunMessagesSummary';
import type { RunNodeInfo } from './test-run/run-node-info';
import { eventsSeen, stepTimings } from './test-run/step-details';
import { StepInspector } from './test-run/StepInspector';
import { StepList } from './test-run/StepList';
import { TestRunForm, type TestRunRequestBody } from './test-run/TestRunForm';
import type { TriggerDefaults } from './test-run/trigger-defaults';

interface Props {
  journeyId: string; trigger: TriggerDefaults; nodeInfo: RunNodeInfo; hasErrors: boolean; beforeStart(): Promise<void>;
  run: EnrollmentView | null; onRun(run: EnrollmentView | null): void;
}

const awaitedTypes = (nodeInfo: RunNodeInfo) => (nodeId: string) => {
  const types = nodeInfo(nodeId)?.config?.eventTypes;
  return Array.isArray(types) ? types.map(String) : undefined;
};

export function TestRunPanel({ journeyId, trigger, nodeInfo, hasErrors, beforeStart, run, onRun }: Props) {
  const t = useT();
  const lang = useLang();
  const [reply, setReply] = useState({ type: 'social.dm', text: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [runId, setRunId] = useState<string | null>(run?.id ?? null);
  // null: follow the newest step as the run goes on; a number: the step the marketer chose.
  const [chosenSeq, setChosenSeq] = useState<number | null>(null);

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

  const start = (body: TestRunRequestBody) => act(async () => {
    await beforeStart();
    onRun(null);
    setChosenSeq(null);
    const res = await api.startTestRun(journeyId, body);
    setRunId(null);
    setRunId(res.enrollmentId);
  });
  const refollow = () => { const id = runId; setRunId(null); setTimeout(() => setRunId(id), 0); };
  const fastForward = () => act(async () => { await api.fastForward(run!.id); refollow(); });
  const sendEvent = () => act(async () => { await api.sendRunEvent(run!.id, { type: reply.type, ...(reply.text ? { text: reply.text } : {}) }); refollow(); });

  const chosenIndex = run && chosenSeq !== null ? run.steps.findIndex((s) => s.seq === chosenSeq) : -1;
  const selectedIndex = run ? (chosenIndex >= 0 ? chosenIndex : run.steps.length - 1) : -1;
  const selected = run && selectedIndex >= 0 ? run.steps[selectedIndex] : undefined;

  return (
    <section className="side-panel" data-testid="test-run-panel">
      <h2>{t('test.heading')}</h2>
      {hasErrors && <p className="error">{t('test.invalid')}</p>}
      <TestRunForm trigger={trigger} disabled={busy || hasErrors} onStart={start} />
      {error && <p role="alert" className="error" data-testid="test-error">{error}</p>}
      {run && (
        <div className="run" data-testid="test-run">
          <p><strong data-testid="test-run-status">{t('test.status', { status: runStatus(run.status) })}</strong>{run.outcome && <span className="muted small"> ({run.outcome})</span>}</p>
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
          <RunMessagesSummary run={run} />
          <h3>{t('test.steps')}</h3>
          {run.steps.length === 0 && <p className="muted">{t('test.noSteps')}</p>}
          <StepList run={run} nodeInfo={nodeInfo} selectedSeq={selected?.seq ?? null} onSelect={setChosenSeq} />
          {selected && (
            <StepInspector key={selected.seq} step={selected} timing={stepTimings(run)[selectedIndex]}
              seen={eventsSeen(run, awaitedTypes(nodeInfo))[selectedIndex]} nodeInfo={nodeInfo} />
          )}
        </div>
      )}
    </section>
  );
}
