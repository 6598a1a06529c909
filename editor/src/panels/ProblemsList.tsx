/** Every validation issue of the draft; clicking one selects and focuses its node. */
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import { localized, useLang, useT } from '../i18n/language-store';

export function ProblemsList({ issues, onFocus }: { issues: ValidationIssue[]; onFocus(nodeId: string): void }) {
  const t = useT();
  const lang = useLang();
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  return (
    <section className="problems" aria-label={t('problems.heading')} data-testid="problems">
      <h2>
        {t('problems.heading')}{' '}
        <span className={errors ? 'count-error' : 'count-ok'} data-testid="problems-error-count">{t('problems.errors', { count: errors })}</span>
        {' · '}<span className="count-warning">{t('problems.warnings', { count: warnings })}</span>
      </h2>
      {issues.length === 0 && <p className="ok" data-testid="problems-none">{t('problems.none')}</p>}
      <ul>
        {issues.map((i, k) => (
          <li key={k} className={`issue-${i.severity}`} data-testid="problem">
            <button type="button" disabled={!i.nodeId} onClick={() => i.nodeId && onFocus(i.nodeId)} data-testid={i.nodeId ? `problem-${i.nodeId}` : 'problem-journey'}>
              <span className="sev">{i.severity === 'error' ? '⛔' : '⚠️'}</span>
              {i.nodeId && <code>{i.nodeId}</code>} {i.path !== '/' && <code className="muted">{i.path}</code>} {localized(i.i18n, lang) || i.message}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
