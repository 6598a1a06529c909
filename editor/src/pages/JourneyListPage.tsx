/** All journeys with status, live version and enrolment counts; search and filter, create, duplicate, import, open. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import type { JourneySummary } from '../api/types';
import { DICTIONARIES, type MessageKey } from '../i18n/dictionary';
import { useLang, useT, type T } from '../i18n/language-store';
import { usePolling } from '../hooks/usePolling';
import { preloadEditorWhenIdle } from '../page-chunks';
import { distinctName } from '../../../workflows/model/journey-names';
import type { JourneyDocument } from '../../../workflows/model/journey-schema';
import { NavBar } from './NavBar';

/** The statuses the server gives a journey (core/store/journeys.ts); any other one the list holds is offered too. */
const KNOWN_STATUSES = ['draft', 'live'];

function statusLabel(t: T, status: string): string {
  const key = `status.${status}`;
  return key in DICTIONARIES.en ? t(key as MessageKey) : status;
}

/**
 * One problem of a 400 as a marketer reads it: `body/edges/0/port` + "is required" → "Edge 1: port is required",
 * `body/nodes/2/config/message` → "Node 3 (“reply-1”): config/message is required".
 */
function fieldProblem(t: T, f: { field?: string; path?: string; message: string }, doc: Record<string, unknown>): string {
  const segments = (f.field ?? f.path ?? '').split('/').filter(Boolean);
  if (segments[0] === 'body') segments.shift();
  let where: string | undefined;
  const index = Number(segments[1]);
  if ((segments[0] === 'nodes' || segments[0] === 'edges') && segments[1] !== undefined && Number.isInteger(index)) {
    const n = index + 1;
    if (segments[0] === 'edges') where = t('list.problemEdge', { n });
    else {
      const id = (Array.isArray(doc.nodes) ? (doc.nodes[index] as { id?: unknown } | undefined)?.id : undefined);
      where = typeof id === 'string' && id ? t('list.problemNodeId', { n, id }) : t('list.problemNode', { n });
    }
    segments.splice(0, 2);
  }
  const field = segments.length === 1 && segments[0] === 'name' ? t('list.name') : segments.join('/');
  const problem = field ? t('list.problemField', { field, message: f.message }) : f.message;
  return where ? t('list.problemAt', { where, problem }) : problem;
}

export function JourneyListPage({ onOpen, onSignOut }: { onOpen(id: string): void; onSignOut(): void }) {
  const t = useT();
  const lang = useLang();
  const list = usePolling(() => api.listJourneys(), 5000, []);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [statusFilter, setStatusFilter] = useState('all');
  const [cloning, setCloning] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  useEffect(() => preloadEditorWhenIdle(), []);

  const create = async () => {
    setError(null);
    try {
      const j = await api.createJourney({ name: t('list.newName'), nodes: [], edges: [] });
      onOpen(j.id);
    } catch (err) { setError(errorText(err)); }
  };
  const clone = async (id: string) => {
    setError(null);
    setCloning(id);
    try {
      // The server names the copy in the UI's language: "… (copy)" / "…（副本）".
      const copy = await api.cloneJourney(id);
      onOpen(copy.id);
    } catch (err) {
      setError(t('list.cloneFailed', { message: errorText(err) }));
      setCloning(null);
    }
  };
  const importFile = async (f: File) => {
    setError(null);
    let text: string;
    try {
      text = await f.text();
    } catch (err) {
      setError(t('list.importFailed', { message: errorText(err) }));
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      setError(t('list.notJson', { file: f.name }));
      return;
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      setError(t('list.notJourney', { file: f.name, problems: t('list.noJourneyInside') }));
      return;
    }
    const { id: _i, status: _s, liveVersion: _l, revision: _r, createdAt: _c, updatedAt: _u, issues: _x, clonedFrom: _f, ...clean } = doc as Record<string, unknown>;
    try {
      // A name the workspace already uses becomes "… (imported)" / "…（导入）", the way the server names copies.
      if (typeof clean.name === 'string') {
        const taken = (list.data ?? (await api.listJourneys())).journeys.map((j) => j.name);
        clean.name = distinctName(clean.name, taken, 'imported', lang);
      }
      const j = await api.createJourney(clean as unknown as JourneyDocument);
      onOpen(j.id);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 413 || err.status === 422)) {
        const problems = err.fields?.length ? err.fields.map((fe) => fieldProblem(t, fe, clean)).join('; ') : err.message;
        setError(t('list.notJourney', { file: f.name, problems }));
      } else setError(errorText(err));
    }
  };

  const journeys: JourneySummary[] | undefined = list.data?.journeys;
  const statuses = useMemo(() => [...new Set([...KNOWN_STATUSES, ...(journeys ?? []).map((j) => j.status)])], [journeys]);
  const needle = query.trim().toLocaleLowerCase();
  const shown = journeys?.filter((j) => (statusFilter === 'all' || j.status === statusFilter)
    && (!needle || j.name.toLocaleLowerCase().includes(needle) || (j.description ?? '').toLocaleLowerCase().includes(needle)));
  return (
    <div className="list-page" data-testid="journey-list">
      <NavBar current="journeys" onSignOut={onSignOut} />
      <header className="toolbar">
        <h1>{t('list.heading')}</h1>
        <span className="spacer" />
        <a href="#/templates" className="button-link" data-testid="from-template">{t('list.fromTemplate')}</a>
        <button type="button" onClick={() => file.current?.click()} data-testid="import">{t('list.import')}</button>
        <input ref={file} type="file" accept="application/json,.json" hidden data-testid="import-file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
        <button type="button" className="primary" onClick={create} data-testid="new-journey">{t('list.new')}</button>
      </header>
      {(error || list.error) && <p role="alert" className="error" data-testid="list-error">{error ?? list.error} {list.error && <button type="button" onClick={list.refresh}>{t('common.retry')}</button>}</p>}
      {!journeys && !list.error && <p className="muted">{t('common.loading')}</p>}
      {journeys?.length === 0 && <p className="empty" data-testid="list-empty">{t('list.empty')}</p>}
      {journeys && journeys.length > 0 && (
        <div className="toolbar">
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('list.search')} aria-label={t('list.search')} data-testid="journey-search" />
          <select value={statusFilter} onChange={(e) => setStatusFilter(e.target.value)} aria-label={t('list.filterStatus')} data-testid="journey-status-filter">
            <option value="all">{t('list.allStatuses')}</option>
            {statuses.map((s) => <option key={s} value={s}>{statusLabel(t, s)}</option>)}
          </select>
        </div>
      )}
      {journeys && journeys.length > 0 && shown?.length === 0 && <p className="empty" data-testid="list-no-match">{t('list.noMatch')}</p>}
      {shown && shown.length > 0 && (
        <table className="journeys">
          <thead>
            <tr>
              <th>{t('list.name')}</th><th>{t('list.status')}</th><th>{t('list.nodes')}</th><th>{t('list.liveVersion')}</th>
              <th title={t('list.enrolledHint')}>{t('list.enrolled')}</th><th>{t('list.active')}</th><th>{t('list.updated')}</th><th>{t('list.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((j) => (
              <tr key={j.id} data-testid={`journey-row-${j.id}`}>
                <td>
                  <a href={`#/journeys/${encodeURIComponent(j.id)}`} onClick={(e) => { e.preventDefault(); onOpen(j.id); }} data-testid={`journey-name-${j.id}`}>{j.name}</a>
                  {j.description && <div className="muted small">{j.description}</div>}
                </td>
                <td><span className={`pill pill-${j.status}`}>{statusLabel(t, j.status)}</span></td>
                <td data-testid={`journey-nodes-${j.id}`}>{j.nodeCount ?? '—'}</td>
                <td>{j.liveVersion ?? '—'}</td>
                <td>{j.enrolled}</td>
                <td>{j.active}</td>
                <td>{new Date(j.updatedAt).toLocaleString(lang)}</td>
                <td>
                  <button type="button" onClick={() => void clone(j.id)} disabled={cloning !== null} data-testid={`clone-${j.id}`}>{t('list.clone')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
