/**
 * All journeys with status, folder, live version and enrolment counts; folders (open, create, rename, move a journey
 * in), search and filters by status and trigger (answered by the server, kept in the URL), create, duplicate,
 * import, open.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import type { Catalog, JourneySummary } from '../api/types';
import { DICTIONARIES, type MessageKey } from '../i18n/dictionary';
import { localized, useLang, useT, type T } from '../i18n/language-store';
import { usePolling } from '../hooks/usePolling';
import { preloadEditorWhenIdle } from '../page-chunks';
import { distinctName } from '../../../workflows/model/journey-names';
import { JOURNEY_STATUSES, type JourneyDocument } from '../../../workflows/model/journey-schema';
import { childFolders, folderName, isFolderPath, normalizeFolder } from '../../../workflows/model/journey-folders';
import { NavBar } from './NavBar';
import { parseListQuery, rememberListQuery, type ListQuery } from './list-query';

/** Typing in the search box asks the server once the marketer pauses, not per key. */
const SEARCH_DEBOUNCE_MS = 200;

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

export function JourneyListPage({ catalog, onOpen, onSignOut }: { catalog?: Catalog; onOpen(id: string): void; onSignOut(): void }) {
  const t = useT();
  const lang = useLang();
  const [filter, setFilter] = useState<ListQuery>(() => parseListQuery(window.location.hash));
  const [typed, setTyped] = useState(filter.q);
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.q === typed ? f : { ...f, q: typed })), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  useEffect(() => rememberListQuery(filter), [filter]);
  // A link or the browser's back button changed the query: follow it (our own updates replace it silently).
  useEffect(() => {
    const onHash = () => {
      const q = parseListQuery(window.location.hash);
      setFilter(q);
      setTyped(q.q);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const list = usePolling(() => api.listJourneys(filter), 5000, [filter.q, filter.folder, filter.status, filter.trigger]);
  const [error, setError] = useState<string | null>(null);
  const [cloning, setCloning] = useState<string | null>(null);
  // Folders made in this visit that hold no journey yet (a folder exists on the server once a journey is in it).
  const [madeFolders, setMadeFolders] = useState<string[]>([]);
  const [naming, setNaming] = useState<'new' | 'rename' | null>(null);
  const [folderInput, setFolderInput] = useState('');
  const [moving, setMoving] = useState<{ id: string; to: string } | null>(null);
  const file = useRef<HTMLInputElement>(null);
  useEffect(() => preloadEditorWhenIdle(), []);
  const setQuery = (patch: Partial<ListQuery>) => setFilter((f) => ({ ...f, ...patch }));
  const openFolder = (folder: string) => { setNaming(null); setQuery({ folder }); };

  const create = async () => {
    setError(null);
    try {
      // A journey made inside a folder goes in it.
      const j = await api.createJourney({ name: t('list.newName'), nodes: [], edges: [] }, filter.folder || undefined);
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
  /** The folder typed, as a path; '' is the top level; null (and a message) when it is no folder name. */
  const typedFolder = (text: string, allowTop: boolean): string | null => {
    const path = normalizeFolder(text);
    if ((!path && allowTop) || (path && isFolderPath(path))) return path;
    setError(t('list.badFolder'));
    return null;
  };
  const move = async () => {
    if (!moving) return;
    setError(null);
    const to = typedFolder(moving.to, true);
    if (to === null) return;
    try {
      await api.moveJourney(moving.id, to || null);
      setMoving(null);
      list.refresh();
    } catch (err) { setError(t('list.moveFailed', { message: errorText(err) })); }
  };
  const makeFolder = () => {
    setError(null);
    const name = typedFolder(folderInput, false);
    if (name === null) return;
    const path = filter.folder ? `${filter.folder}/${name}` : name;
    setMadeFolders((m) => [...new Set([...m, path])]);
    setNaming(null);
    setFolderInput('');
    openFolder(path);
  };
  // Renaming a folder is moving every journey in it (and below it) to the new path.
  const renameFolder = async () => {
    const from = filter.folder;
    if (!from) return;
    setError(null);
    const name = typedFolder(folderInput, false);
    if (name === null) return;
    const parent = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
    const to = parent ? `${parent}/${name}` : name;
    try {
      const inside = (await api.listJourneys({ folder: from })).journeys;
      for (const j of inside) await api.moveJourney(j.id, to + (j.folder ?? from).slice(from.length));
      setMadeFolders((m) => m.map((p) => (p === from || p.startsWith(`${from}/`) ? to + p.slice(from.length) : p)));
      setNaming(null);
      setFolderInput('');
      openFolder(to);
    } catch (err) { setError(t('list.renameFailed', { message: errorText(err) })); }
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
    // Where the exported journey was filed is not part of the journey: an import goes into the folder open now.
    const { id: _i, status: _s, liveVersion: _l, revision: _r, createdAt: _c, updatedAt: _u, issues: _x, clonedFrom: _f, folder: _d, ...clean } = doc as Record<string, unknown>;
    try {
      // A name the workspace already uses becomes "… (imported)" / "…（导入）", the way the server names copies.
      if (typeof clean.name === 'string') {
        const taken = (await api.listJourneys()).journeys.map((j) => j.name);
        clean.name = distinctName(clean.name, taken, 'imported', lang);
      }
      const j = await api.createJourney(clean as unknown as JourneyDocument, filter.folder || undefined);
      onOpen(j.id);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 413 || err.status === 422)) {
        const problems = err.fields?.length ? err.fields.map((fe) => fieldProblem(t, fe, clean)).join('; ') : err.message;
        setError(t('list.notJourney', { file: f.name, problems }));
      } else setError(errorText(err));
    }
  };

  const shown: JourneySummary[] | undefined = list.data?.journeys;
  const folders = useMemo(() => [...new Set([...(list.data?.folders ?? []), ...madeFolders])].sort((a, b) => a.localeCompare(b)), [list.data?.folders, madeFolders]);
  const subfolders = useMemo(() => childFolders(folders, filter.folder), [folders, filter.folder]);
  const triggers = useMemo(() => (catalog?.categories.find((c) => c.category === 'trigger')?.nodes ?? []).map((m) => ({ type: m.type, title: localized(m.title, lang) })), [catalog, lang]);
  const triggerTitle = (type: string) => triggers.find((x) => x.type === type)?.title ?? type;
  const filtered = !!(filter.q || filter.folder || filter.status || filter.trigger);
  // Nothing at all in the workspace: the welcome line instead of the list's tools.
  const nothingYet = !!list.data && !filtered && shown?.length === 0 && folders.length === 0;
  const crumbs = filter.folder ? filter.folder.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/')) : [];
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
      {!list.data && !list.error && <p className="muted">{t('common.loading')}</p>}
      {nothingYet && <p className="empty" data-testid="list-empty">{t('list.empty')}</p>}
      {list.data && !nothingYet && (
        <>
          <nav className="toolbar folder-bar" aria-label={t('list.folders')} data-testid="folder-bar">
            <button type="button" className={filter.folder ? 'btn-link' : 'btn-link active'} onClick={() => openFolder('')} data-testid="folder-crumb-root">{t('list.allJourneys')}</button>
            {crumbs.map((p) => (
              <span key={p}>› <button type="button" className={p === filter.folder ? 'btn-link active' : 'btn-link'} onClick={() => openFolder(p)} data-testid={`folder-crumb-${p}`}>{folderName(p)}</button></span>
            ))}
            <span className="spacer" />
            {naming ? (
              <form className="row" onSubmit={(e) => { e.preventDefault(); if (naming === 'new') makeFolder(); else void renameFolder(); }}>
                <input value={folderInput} onChange={(e) => setFolderInput(e.target.value)} autoFocus maxLength={200}
                  aria-label={naming === 'new' ? t('list.newFolderName') : t('list.renameTo', { name: folderName(filter.folder) })}
                  placeholder={naming === 'new' ? t('list.newFolderName') : folderName(filter.folder)} data-testid="folder-name-input" />
                <button type="submit" className="primary" data-testid="folder-name-confirm">{naming === 'new' ? t('list.createFolder') : t('list.renameFolder')}</button>
                <button type="button" onClick={() => setNaming(null)}>{t('common.cancel')}</button>
              </form>
            ) : (
              <>
                <button type="button" onClick={() => { setFolderInput(''); setNaming('new'); }} title={t('list.newFolderHint')} data-testid="new-folder">📁 {t('list.newFolder')}</button>
                {filter.folder && <button type="button" onClick={() => { setFolderInput(folderName(filter.folder)); setNaming('rename'); }} data-testid="rename-folder">{t('list.renameFolder')}</button>}
              </>
            )}
          </nav>
          {subfolders.length > 0 && (
            <ul className="folder-list" aria-label={t('list.folders')}>
              {subfolders.map((p) => (
                <li key={p}><button type="button" onClick={() => openFolder(p)} data-testid={`folder-${p}`}>📁 {folderName(p)}</button></li>
              ))}
            </ul>
          )}
          <div className="toolbar">
            <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={200} placeholder={t('list.search')} aria-label={t('list.search')} data-testid="journey-search" />
            <select value={filter.status || 'all'} onChange={(e) => setQuery({ status: e.target.value === 'all' ? '' : e.target.value })} aria-label={t('list.filterStatus')} data-testid="journey-status-filter">
              <option value="all">{t('list.allStatuses')}</option>
              {JOURNEY_STATUSES.map((st) => <option key={st} value={st}>{statusLabel(t, st)}</option>)}
            </select>
            <select value={filter.trigger || 'all'} onChange={(e) => setQuery({ trigger: e.target.value === 'all' ? '' : e.target.value })} aria-label={t('list.filterTrigger')} data-testid="journey-trigger-filter">
              <option value="all">{t('list.allTriggers')}</option>
              {triggers.map((x) => <option key={x.type} value={x.type}>{x.title}</option>)}
            </select>
          </div>
        </>
      )}
      {list.data && !nothingYet && shown?.length === 0 && (
        filter.folder && !filter.q && !filter.status && !filter.trigger && !list.data.folders.some((p) => p === filter.folder || p.startsWith(`${filter.folder}/`))
          ? <p className="empty" data-testid="folder-empty">{t('list.folderEmpty')}</p>
          : <p className="empty" data-testid="list-no-match">{t('list.noMatch')}</p>
      )}
      {shown && shown.length > 0 && (
        <table className="journeys">
          <thead>
            <tr>
              <th>{t('list.name')}</th><th>{t('list.status')}</th><th>{t('list.folder')}</th><th>{t('list.filterTrigger')}</th><th>{t('list.nodes')}</th><th>{t('list.liveVersion')}</th>
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
                <td data-testid={`journey-folder-${j.id}`}>
                  {j.folder ? <button type="button" className="btn-link" onClick={() => openFolder(j.folder!)}>📁 {j.folder}</button> : <span className="muted">—</span>}
                </td>
                <td className="small">{j.triggers.map(triggerTitle).join(', ') || '—'}</td>
                <td data-testid={`journey-nodes-${j.id}`}>{j.nodeCount ?? '—'}</td>
                <td>{j.liveVersion ?? '—'}</td>
                <td>{j.enrolled}</td>
                <td>{j.active}</td>
                <td>{new Date(j.updatedAt).toLocaleString(lang)}</td>
                <td>
                  {moving?.id === j.id ? (
                    <form className="row" onSubmit={(e) => { e.preventDefault(); void move(); }}>
                      <input list="journey-folders" value={moving.to} onChange={(e) => setMoving({ id: j.id, to: e.target.value })} autoFocus maxLength={200}
                        aria-label={t('list.moveTo', { name: j.name })} title={t('list.moveHint')} placeholder={t('list.topLevel')} data-testid={`move-input-${j.id}`} />
                      <button type="submit" className="primary" data-testid={`move-confirm-${j.id}`}>{t('list.move')}</button>
                      <button type="button" onClick={() => setMoving(null)}>{t('common.cancel')}</button>
                    </form>
                  ) : (
                    <>
                      <button type="button" onClick={() => void clone(j.id)} disabled={cloning !== null} data-testid={`clone-${j.id}`}>{t('list.clone')}</button>
                      {' '}<button type="button" onClick={() => setMoving({ id: j.id, to: j.folder ?? '' })} title={t('list.moveHint')} data-testid={`move-${j.id}`}>{t('list.move')}</button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <datalist id="journey-folders">{folders.map((p) => <option key={p} value={p} />)}</datalist>
    </div>
  );
}
