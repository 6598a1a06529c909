/**
 * Loads the node catalog once (the registry the canvas, forms and validation share) and who is signed in (their
 * permissions decide which sections show), and routes by hash:
 * `#/` journeys · `#/journeys/:id` editor · `#/templates` library · `#/templates/node/new|:id` node template ·
 * `#/users` users & tokens · `#/audit` audit log.
 */
import { useEffect, useMemo, useState } from 'react';
import { NodeRegistry } from '../../nodes/registry';
import { api, ApiError, errorText, onUnauthorized } from './api/client';
import type { Catalog, JourneyView, Me } from './api/types';
import { useT } from './i18n/language-store';
import { AuditPage } from './pages/AuditPage';
import { JourneyEditorPage } from './pages/JourneyEditorPage';
import { JourneyListPage } from './pages/JourneyListPage';
import { NodeTemplateEditorPage } from './pages/NodeTemplateEditorPage';
import { SignInPage } from './pages/SignInPage';
import { TemplatesPage } from './pages/TemplatesPage';
import { UsersPage } from './pages/UsersPage';
import { SessionContext, sessionOf } from './session';

function useHashRoute(): [string, (h: string) => void] {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [hash, (h) => { window.location.hash = h; }];
}

export type Route =
  | { page: 'journeys' } | { page: 'journey'; id: string } | { page: 'templates' } | { page: 'node-template'; id: string | null }
  | { page: 'users' } | { page: 'audit' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  let m: RegExpExecArray | null;
  if ((m = /^\/journeys\/(.+)$/.exec(path))) return { page: 'journey', id: decodeURIComponent(m[1]) };
  if ((m = /^\/templates\/node\/(.+)$/.exec(path))) return { page: 'node-template', id: m[1] === 'new' ? null : decodeURIComponent(m[1]) };
  if (/^\/templates\/?$/.test(path)) return { page: 'templates' };
  if (/^\/users\/?$/.test(path)) return { page: 'users' };
  if (/^\/audit\/?$/.test(path)) return { page: 'audit' };
  return { page: 'journeys' };
}

export function App() {
  const t = useT();
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hash, go] = useHashRoute();
  const [signedOut, setSignedOut] = useState(false);
  const [session, setSession] = useState(0);
  useEffect(() => onUnauthorized(() => setSignedOut(true)), []);
  useEffect(() => {
    setError(null);
    const fail = (e: unknown) => { if (!(e instanceof ApiError && e.status === 401)) setError(errorText(e)); };
    api.catalog().then(setCatalog, fail);
    api.me().then(setMe, fail);
  }, [session]);
  const registry = useMemo(() => (catalog ? new NodeRegistry(catalog.categories.flatMap((c) => c.nodes)) : null), [catalog]);
  const sessionValue = useMemo(() => sessionOf(me), [me]);
  const route = parseRoute(hash);
  const openJourney = (id: string) => go(`#/journeys/${encodeURIComponent(id)}`);
  const signOut = () => { setMe(null); setSignedOut(true); };

  // Signing in again shows over the page, so an editor with unsaved changes stays mounted underneath.
  const signIn = signedOut && <div className="modal-backdrop"><SignInPage onSignedIn={() => { setSignedOut(false); setSession((n) => n + 1); }} /></div>;
  let page;
  if (error) page = <p role="alert" className="error page-error">{error}</p>;
  else if (!registry || !me) page = signedOut ? null : <p className="muted page-loading">{t('common.loading')}</p>;
  else if (route.page === 'journey') page = <JourneyLoader key={`${route.id}:${session}`} id={route.id} registry={registry} onBack={() => go('#/')} />;
  else if (route.page === 'templates') page = <TemplatesPage key={session} registry={registry} onOpenJourney={openJourney} onSignOut={signOut} />;
  else if (route.page === 'node-template') {
    page = <NodeTemplateEditorPage key={`${route.id ?? 'new'}:${session}`} registry={registry} id={route.id} onSaved={(id) => go(`#/templates/node/${encodeURIComponent(id)}`)} onSignOut={signOut} />;
  } else if (route.page === 'users') page = <UsersPage key={session} onSignOut={signOut} />;
  else if (route.page === 'audit') page = <AuditPage key={session} onSignOut={signOut} />;
  else page = <JourneyListPage key={session} onOpen={openJourney} onSignOut={signOut} />;
  return <SessionContext.Provider value={sessionValue}><>{page}{signIn}</></SessionContext.Provider>;
}

function JourneyLoader({ id, registry, onBack }: { id: string; registry: NodeRegistry; onBack(): void }) {
  const t = useT();
  const [journey, setJourney] = useState<JourneyView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { api.getJourney(id).then(setJourney, (e) => setError(errorText(e))); }, [id]);
  if (error) return <div className="page-error"><p role="alert" className="error">{error}</p><button type="button" onClick={onBack}>{t('editor.back')}</button></div>;
  if (!journey) return <p className="muted page-loading">{t('common.loading')}</p>;
  return <JourneyEditorPage registry={registry} journey={journey} onBack={onBack} />;
}
