/** Every validation issue of the draft, as "node title › field title message"; clicking one selects and focuses its node. */
import { memo } from 'react';
import type { NodeManifest } from '../../../nodes/contract';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import { issueText } from '../graph/issue-text';
import { useLang, useT } from '../i18n/language-store';

/** What the list needs to name a node: its manifest (titles of the node and its fields) and its label on the canvas. */
export type NodeInfo = (nodeId: string) => { manifest?: NodeManifest<any>; label?: string } | undefined;

export const ProblemsList = memo(function ProblemsList({ issues, onFocus, nodeInfo }: { issues: ValidationIssue[]; onFocus(nodeId: string): void; nodeInfo?: NodeInfo }) {
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
        {issues.map((i, k) => {
          const info = i.nodeId ? nodeInfo?.(i.nodeId) : undefined;
          return (
            <li key={k} className={`issue-${i.severity}`} data-testid="problem">
              <button type="button" disabled={!i.nodeId} onClick={() => i.nodeId && onFocus(i.nodeId)} data-testid={i.nodeId ? `problem-${i.nodeId}` : 'problem-journey'}
                title={i.nodeId ? `${i.nodeId} ${i.path}` : undefined}>
                <span className="sev">{i.severity === 'error' ? '⛔' : '⚠️'}</span>
                {issueText(i, info?.manifest, lang, { withNode: true, nodeTitle: info?.label })}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
});
