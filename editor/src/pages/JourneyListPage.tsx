/** All journeys with status, live version and enrolment counts; create, import, open. */
import { useEffect, useRef, useState } from 'react';
import { api, errorText } from '../api/client';
import type { JourneySummary } from '../api/types';
import type { MessageKey } from '../i18n/dictionary';
import { useLang, useT } from '../i18n/language-store';
import { usePolling } from '../hooks/usePolling';
import { preloadEditorWhenIdle } from '../page-chunks';
import { NavBar } from './NavBar';

export function JourneyListPage({ onOpen, onSignOut }: { onOpen(id: string): void; onSignOut(): void }) {
  const t = useT();
  const lang = useLang();
  const list = usePolling(() => api.listJourneys(), 5000, []);
  const [error, setError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  useEffect(() => preloadEditorWhenIdle(), []);

  const create = async () => {
    setError(null);
    try {
      const j = await api.createJourney({ name: t('list.newName'), nodes: [], edges: [] });
      onOpen(j.id);
    } catch (err) { setError(errorText(err)); }
  };
  const importFile = async (f: File) => {
    setError(null);
    try {
      const doc = JSON.parse(await f.text());
      const { id: _i, status: _s, liveVersion: _l, revision: _r, createdAt: _c, updatedAt: _u, issues: _x, ...clean } = doc;
      const j = await api.createJourney(clean);
      onOpen(j.id);
    } catch (err) { setError(t('list.importFailed', { message: errorText(err) })); }
  };

  const journeys: JourneySummary[] | undefined = list.data?.journeys;
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
      {(error || list.error) && <p role="alert" className="error">{error ?? list.error} {list.error && <button type="button" onClick={list.refresh}>{t('common.retry')}</button>}</p>}
      {!journeys && !list.error && <p className="muted">{t('common.loading')}</p>}
      {journeys?.length === 0 && <p className="empty" data-testid="list-empty">{t('list.empty')}</p>}
      {journeys && journeys.length > 0 && (
        <table className="journeys">
          <thead>
            <tr><th>{t('list.name')}</th><th>{t('list.status')}</th><th>{t('list.liveVersion')}</th><th>{t('list.enrolled')}</th><th>{t('list.active')}</th><th>{t('list.updated')}</th></tr>
          </thead>
          <tbody>
            {journeys.map((j) => (
              <tr key={j.id} data-testid={`journey-row-${j.id}`}>
                <td><a href={`#/journeys/${encodeURIComponent(j.id)}`} onClick={(e) => { e.preventDefault(); onOpen(j.id); }}>{j.name}</a></td>
                <td><span className={`pill pill-${j.status}`}>{t((`status.${j.status}` as MessageKey)) ?? j.status}</span></td>
                <td>{j.liveVersion ?? '—'}</td>
                <td>{j.enrolled}</td>
                <td>{j.active}</td>
                <td>{new Date(j.updatedAt).toLocaleString(lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
