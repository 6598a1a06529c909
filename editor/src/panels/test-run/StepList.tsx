/** A run's steps in order: node, port taken, when and how long; choosing one opens it in the inspector. */
import type { EnrollmentView } from '../../api/types';
import { useLang, useT } from '../../i18n/language-store';
import { nodeTitle, portLabel, textOr, type RunNodeInfo } from './run-node-info';
import { deliveryOf, formatDuration, stepTimings } from './step-details';

export function StepList({ run, nodeInfo, selectedSeq, onSelect }: { run: EnrollmentView; nodeInfo: RunNodeInfo; selectedSeq: number | null; onSelect(seq: number): void }) {
  const t = useT();
  const lang = useLang();
  const timings = stepTimings(run);
  return (
    <ol className="steps" data-testid="test-steps">
      {run.steps.map((s, i) => {
        const info = nodeInfo(s.nodeId);
        const delivery = deliveryOf(s);
        const recordedHint = delivery === 'dry-run' ? t('test.recordedHint') : delivery === 'recorded' ? t('test.recordedNoChannel') : undefined;
        return (
          <li key={s.seq} className={`step step-${s.outcome}${s.seq === selectedSeq ? ' step-selected' : ''}`} data-testid={`test-step-${s.nodeId}`} data-seq={s.seq}>
            <button type="button" className="step-row" aria-pressed={s.seq === selectedSeq} onClick={() => onSelect(s.seq)}>
              <span className="step-node">{info?.manifest?.icon ?? '❓'} {nodeTitle(info, s, lang)}</span>
              {s.port && s.outcome !== 'waiting'
                ? <span className="step-port" title={recordedHint} data-testid="step-port">→ {portLabel(info, s, lang, t)}</span>
                : <span className="step-port">{textOr(t, `step.${s.outcome}`, s.outcome)}</span>}
              {delivery === 'dry-run' && <span className="pill pill-dry-run" title={recordedHint}>{t('test.dryRun')}</span>}
              <span className="step-time muted small">
                {t('step.started', { time: formatDuration(timings[i].offsetMs) })}
                {s.outcome === 'waiting' ? '' : ` · ${t('step.took', { time: formatDuration(timings[i].durationMs) })}`}
              </span>
            </button>
            {s.error && <div className="error small">{typeof s.error === 'string' ? s.error : s.error.message}</div>}
          </li>
        );
      })}
    </ol>
  );
}
