/**
 * The contacts behind one of a node's live counts (clicked on the canvas): who entered it, who waits there now, or
 * who left by a port, in the version the canvas shows; newest first, 50 at a time. Each one opens its trace (the
 * run's path drawn on the canvas, as "Show path" does).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText } from '../../api/client';
import type { EnrollmentView, NodeContact } from '../../api/types';
import type { CountQuery } from '../../canvas/count-actions';
import { useLang, useT } from '../../i18n/language-store';

export function NodeContactsPanel({ journeyId, version, query, total, nodeTitle, portLabels, onTrace, onClose }: {
  journeyId: string; version: number; query: CountQuery; nodeTitle: string; portLabels: Record<string, string>;
  /** The count as the canvas shows it now: when it changes, the first page is read again (unless more were loaded). */
  total: number | undefined;
  onTrace(run: EnrollmentView): void; onClose(): void;
}) {
  const t = useT();
  const lang = useLang();
  const [rows, setRows] = useState<NodeContact[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tracing, setTracing] = useState<string | null>(null);
  const [pages, setPages] = useState(0);
  const { nodeId, state, port } = query;

  // Only the latest request's answer is shown (a count that changed, then another version chosen…).
  const latest = useRef(0);
  const load = useCallback(async (before: string | undefined, into: NodeContact[]) => {
    const mine = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.nodeContacts(journeyId, nodeId, { version, state, port, before });
      if (mine !== latest.current) return;
      setRows([...into, ...page.contacts]);
      setNext(page.next);
      setPages(into.length ? (n) => n + 1 : 1);
    } catch (err) {
      if (mine !== latest.current) return;
      setError(errorText(err));
      setRows(into);
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  }, [journeyId, nodeId, version, state, port]);

  useEffect(() => {
    setRows(null);
    setNext(null);
    void load(undefined, []);
  }, [load]);
  // A live journey moves on: the list follows the number while the marketer has not paged further.
  const [seenTotal, setSeenTotal] = useState(total);
  useEffect(() => {
    if (total === seenTotal) return;
    setSeenTotal(total);
    if (pages <= 1) void load(undefined, []);
  }, [total, seenTotal, pages, load]);

  const trace = async (row: NodeContact) => {
    setTracing(row.enrollmentId);
    setError(null);
    try {
      onTrace(await api.enrollment(row.enrollmentId));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setTracing(null);
    }
  };

  const heading = state === 'waiting' ? t('insights.heading.waiting', { node: nodeTitle })
    : state === 'port' ? t('insights.heading.port', { node: nodeTitle, port: (port !== undefined ? portLabels[port] ?? port : '') })
      : t('insights.heading.entered', { node: nodeTitle });
  return (
    <section className="side-panel node-contacts" data-testid="node-contacts" data-node={nodeId} data-state={state} data-port={port ?? ''} data-total={total ?? ''}>
      <div className="row">
        <h2 data-testid="node-contacts-heading">{heading}</h2>
        <span className="spacer" />
        <button type="button" className="btn-small" disabled={loading} onClick={() => void load(undefined, [])} data-testid="node-contacts-refresh">{t('insights.refresh')}</button>
        <button type="button" className="btn-small" onClick={onClose} data-testid="node-contacts-close">{t('common.close')}</button>
      </div>
      <p className="muted small" data-testid="node-contacts-version">{version === 0 ? t('insights.ofTestRuns') : t('insights.ofVersion', { version })}</p>
      {error && <p role="alert" className="error">{error}</p>}
      {rows === null && !error && <p className="muted">{t('common.loading')}</p>}
      {rows?.length === 0 && !loading && <p className="muted" data-testid="node-contacts-none">{t('insights.none')}</p>}
      {rows && rows.length > 0 && (
        <ol className="node-contact-list" data-testid="node-contacts-list">
          {rows.map((r) => (
            <li key={`${r.enrollmentId}|${r.at}`} data-testid="node-contact" data-contact={r.contactId}>
              <div>
                <strong>{r.erased ? t('insights.erased') : r.name ?? t('test.seedUnnamed')}</strong>{' '}
                {r.identity && <span className="muted small" data-testid="node-contact-identity">{r.identity}</span>}
                {r.test && <span className="pill">{t('insights.testContact')}</span>}
              </div>
              <div className="small muted">
                <time dateTime={r.at}>{new Date(r.at).toLocaleString(lang)}</time>
                {' · '}{r.outcome === 'waiting' ? t('insights.outcome.waiting') : r.outcome === 'error' ? t('insights.outcome.error') : r.port ? t('insights.outcome.port', { port: portLabels[r.port] ?? r.port }) : t('insights.outcome.exited')}
              </div>
              <button type="button" className="btn-small" disabled={tracing !== null} onClick={() => void trace(r)} data-testid="node-contact-trace">{t('analytics.traceFind')}</button>
            </li>
          ))}
        </ol>
      )}
      {next && (
        <button type="button" disabled={loading} onClick={() => void load(next, rows ?? [])} data-testid="node-contacts-more">
          {loading ? t('common.loading') : t('insights.more')}
        </button>
      )}
    </section>
  );
}
