/** A filter's condition as it was checked: each rule, the value found, and whether it held. */
import { OPERATOR_LABELS } from '../../i18n/dictionary';
import { localized, useLang, useT } from '../../i18n/language-store';
import type { RuleCheck } from './step-details';

const shown = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? `“${v}”` : Array.isArray(v) ? v.map((x) => String(x)).join(', ') : String(v));

export function ConditionCheck({ result, rules }: { result: boolean; rules: RuleCheck[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="condition-check" data-testid="condition-check">
      <p className="small"><strong>{t('inspect.condition')}</strong>: <span className={result ? 'ok' : 'error'}>{result ? t('inspect.conditionMet') : t('inspect.conditionNotMet')}</span></p>
      <ul className="rule-checks">
        {rules.map((r, i) => (
          <li key={i} className={r.result ? 'ok' : 'error'}>
            {r.result ? '✓' : '✗'} <code>{r.field}</code> {OPERATOR_LABELS[r.op] ? localized(OPERATOR_LABELS[r.op], lang) : r.op} {shown(r.value)}
            <span className="muted"> — {t('inspect.ruleActual', { value: r.actual === undefined || r.actual === null || r.actual === '' ? t('inspect.empty') : shown(r.actual) })}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
