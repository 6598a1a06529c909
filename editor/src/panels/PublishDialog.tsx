/**
 * Publish with a version note; the server's answer (a new version or readable errors) is shown here. Before the
 * marketer confirms: how many contacts the triggers would reach (the saved draft's estimate), and the messages some
 * contacts would not get because a variable has no fallback.
 */
import { useEffect, useState } from 'react';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import { api, errorText } from '../api/client';
import type { AudienceEstimate as Estimate } from '../api/types';
import { issueText } from '../graph/issue-text';
import { useLang, useT } from '../i18n/language-store';
import { AudienceEstimate } from './insights/AudienceEstimate';
import { nodeTitle, type RunNodeInfo } from './test-run/run-node-info';

export function PublishDialog({ journeyId, beforePublish, onClose, onPublished, issues = [], nodeInfo }: {
  journeyId: string; beforePublish(): Promise<void>; onClose(): void; onPublished(version: number): void;
  issues?: ValidationIssue[]; nodeInfo?: RunNodeInfo;
}) {
  const t = useT();
  const lang = useLang();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [estimateError, setEstimateError] = useState<string | null>(null);

  // The estimate is of the draft as saved: save first (autosave may still be waiting).
  useEffect(() => {
    let stale = false;
    beforePublish().then(() => api.audience(journeyId)).then((e) => { if (!stale) setEstimate(e); }, (err) => { if (!stale) setEstimateError(errorText(err)); });
    return () => { stale = true; };
  }, [journeyId]); // eslint-disable-line react-hooks/exhaustive-deps

  const titleOf = (nodeId: string) => {
    const info = nodeInfo?.(nodeId);
    return nodeTitle(info, { nodeId, nodeType: '' }, lang);
  };
  const noFallback = issues.filter((i) => i.code === 'variable_without_fallback');

  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      await beforePublish();
      const v = await api.publish(journeyId, note.trim());
      onPublished(v.version);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="publish-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="modal" data-testid="publish-dialog">
        <h2 id="publish-title">{t('publish.heading')}</h2>
        <AudienceEstimate estimate={estimate} error={estimateError} titleOf={titleOf} />
        {noFallback.length > 0 && (
          <section className="publish-warnings" data-testid="publish-fallback-warnings">
            <h3>{t('publish.noFallbackHeading', { count: noFallback.length })}</h3>
            <ul>
              {noFallback.map((i, n) => {
                const info = i.nodeId ? nodeInfo?.(i.nodeId) : undefined;
                return <li key={n} className="warning small" data-testid="publish-fallback-warning" data-node={i.nodeId}>{issueText(i, info?.manifest, lang, { withNode: true, nodeTitle: info?.label })}</li>;
              })}
            </ul>
            <p className="muted small">{t('publish.noFallbackHint')}</p>
          </section>
        )}
        <label className="stacked">
          {t('publish.note')}
          <textarea autoFocus rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="publish-note" />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button type="button" className="primary" disabled={busy} onClick={publish} data-testid="publish-confirm">{t('publish.confirm')}</button>
        </div>
      </div>
    </div>
  );
}
