/**
 * One step of a run, read as a person would: what it received (the event), what it worked out (the message it
 * rendered, the condition it checked, the points it added) and what it passed on (port, output). The raw record
 * stays one toggle away.
 */
import { useState, type ReactNode } from 'react';
import type { RunEvent, RunStep } from '../../api/types';
import { useLang, useT } from '../../i18n/language-store';
import { ConditionCheck } from './ConditionCheck';
import { EffectList } from './EffectList';
import { FieldList } from './FieldList';
import { MessageText, MissingVariables } from './MessageText';
import { nodeTitle, portLabel, type RunNodeInfo } from './run-node-info';
import {
  deliveryOf, effectSummaries, fieldsOf, formatDuration, MESSAGE_KEYS, renderedMessages, ruleChecks, templatesOf, unresolvedOf, type StepTiming,
} from './step-details';

const EVENT_SHOWN = ['type', 'channel', 'handle', 'text', 'threadId', 'data'];
const eventFields = (e: RunEvent) => fieldsOf(Object.fromEntries(EVENT_SHOWN.filter((k) => k in e).map((k) => [k, e[k as keyof RunEvent]])));

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="inspect-section" data-testid={testId}>
      <h4>{title}</h4>
      {children}
    </section>
  );
}

export function StepInspector({ step, timing, seen, nodeInfo }: {
  step: RunStep; timing: StepTiming; seen: { input?: RunEvent; received?: RunEvent }; nodeInfo: RunNodeInfo;
}) {
  const t = useT();
  const lang = useLang();
  const [raw, setRaw] = useState(false);
  const info = nodeInfo(step.nodeId);
  const messages = renderedMessages(step, templatesOf(info?.manifest?.configSchema, info?.config));
  const missing = unresolvedOf(step);
  const check = ruleChecks(step.evaluated);
  const effects = effectSummaries(step);
  const delivery = deliveryOf(step);
  // A message only recorded says so in its status too, not "sent".
  const statusOverride: Record<string, string> = delivery === 'dry-run' || delivery === 'recorded' ? { status: t('test.recorded') } : {};
  const output = fieldsOf(step.output ?? undefined, [...MESSAGE_KEYS.filter((k) => messages.some((m) => m.key === k)), 'unresolved']);
  const hasEvaluated = messages.length > 0 || missing.length > 0 || check || effects.length > 0 || step.evaluated !== undefined;

  return (
    <div className="step-inspector" data-testid="step-inspector" data-seq={step.seq}>
      <h3>{t('inspect.heading', { seq: step.seq, title: nodeTitle(info, step, lang) })}</h3>
      <p className="muted small" data-testid="step-timing">
        {new Date(step.at).toLocaleString(lang)} · {t('step.started', { time: formatDuration(timing.offsetMs) })}
        {step.outcome === 'waiting' ? '' : ` · ${t('step.took', { time: formatDuration(timing.durationMs) })}`}
      </p>

      <Section title={t('inspect.input')} testId="step-input">
        {seen.input ? <><h5>{t('inspect.event')}</h5><FieldList fields={eventFields(seen.input)} /></> : <p className="muted small">{t('inspect.noEvent')}</p>}
      </Section>

      <Section title={t('inspect.evaluated')} testId="step-evaluated">
        {messages.map((m) => (
          <div key={m.key} className="inspect-message" data-testid={`step-message-${m.key}`}>
            <h5>{t(m.key === 'subject' ? 'inspect.message.subject' : 'inspect.message.text')}</h5>
            <MessageText text={m.text} parts={m.parts} missing={missing} />
          </div>
        ))}
        {messages.length === 0 && missing.length > 0 && <MissingVariables paths={missing} />}
        {check ? <ConditionCheck result={check.result} rules={check.rules} /> : step.evaluated !== undefined && <FieldList fields={fieldsOf(step.evaluated)} testId="step-evaluated-fields" />}
        <EffectList effects={effects} />
        {!hasEvaluated && <p className="muted small">{t('inspect.nothing')}</p>}
      </Section>

      <Section title={t('inspect.output')} testId="step-output">
        <dl className="fields">
          {step.port && step.outcome !== 'waiting' && (
            <div className="field-row" data-field="port">
              <dt>{t('inspect.port')}</dt>
              <dd data-testid="step-output-port" title={delivery === 'dry-run' ? t('test.recordedHint') : delivery === 'recorded' ? t('test.recordedNoChannel') : undefined}>{portLabel(info, step, lang, t)}</dd>
            </div>
          )}
          {step.outcome === 'waiting' && step.resumeAt && (
            <div className="field-row"><dt>{t('step.waiting')}</dt><dd>{t('test.waitingUntil', { time: new Date(step.resumeAt).toLocaleString(lang) })}</dd></div>
          )}
        </dl>
        {seen.received && <><h5>{t('inspect.received')}</h5><FieldList fields={eventFields(seen.received)} /></>}
        <FieldList fields={output} overrides={statusOverride} testId="step-output-fields" />
        {step.error && (
          <p className="error small" data-testid="step-error">
            <strong>{t('inspect.error')}</strong>: {typeof step.error === 'string' ? step.error : `${step.error.message ?? ''}${step.error.code ? ` (${step.error.code})` : ''}`}
          </p>
        )}
      </Section>

      <button type="button" className="btn-small" aria-expanded={raw} onClick={() => setRaw(!raw)} data-testid="step-raw-toggle">{raw ? t('inspect.hideRaw') : t('inspect.showRaw')}</button>
      {raw && <pre className="raw-json" data-testid="step-raw">{JSON.stringify(step, null, 2)}</pre>}
    </div>
  );
}
