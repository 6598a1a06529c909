/**
 * Loads the node catalog once (the registry the canvas, forms and validation share) and who is signed in (their
 * permissions decide which sections show), and routes by hash:
 * `#/` journeys · `#/journeys/:id` editor · `#/templates` library · `#/templates/node/new|:id` node template ·
 * `#/users` users & tokens · `#/channels` channel connections · `#/audit` audit log.
 */
import { lazy, Suspense, useEffect, useMemo, useState, type ComponentType } from 'react';
import type { NodeRegistry } from '../../nodes/registry';
import { api, ApiError, errorText, onUnauthorized } from './api/client';
import type { Catalog, JourneyView, Me } from './api/types';
import { useT } from './i18n/language-store';
import { loadEditorPage, prefetchJourney, takeJourney } from './page-chunks';
import { JourneyListPage } from './pages/JourneyListPage';
import { SignInPage } from './pages/SignInPage';
import { lastListHash } from './pages/list-query';
import { SessionContext, sessionOf } from './session';

/**
 * Pages load when first shown (the first script holds the list and sign-in only); those that need the node
 * registry get it built from the catalog inside their own chunk.
 */
function withRegistry<Props extends { registry: NodeRegistry }>(load: () => Promise<ComponentType<Props>>) {
  return lazy(async () => {
    const [Page, { registryOf }] = await Promise.all([load(), import('./registry-of')]);
    const WithRegistry = ({ catalog, ...props }: Omit<Props, 'registry'> & { catalog: Catalog }) => <Page {...(props as unknown as Props)} registry={registryOf(catalog)} />;
    return { default: WithRegistry };
  });
}
const JourneyEditorPage = withRegistry(loadEditorPage);
const TemplatesPage = withRegistry(() => import('./pages/TemplatesPage').then((m) => m.TemplatesPage));
const NodeTemplateEditorPage = withRegistry(() => import('./pages/NodeTemplateEditorPage').then((m) => m.NodeTemplateEditorPage));
const UsersPage = lazy(() => import('./pages/UsersPage').then((m) => ({ default: m.UsersPage })));
const ChannelsPage = lazy(() => import('./pages/ChannelsPage').then((m) => ({ default: m.ChannelsPage })));
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })));

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
  | { page: 'users' } | { page: 'channels' } | { page: 'audit' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  let m: RegExpExecArray | null;
  if ((m = /^\/journeys\/(.+)$/.exec(path))) return { page: 'journey', id: decodeURIComponent(m[1]) };
  if ((m = /^\/templates\/node\/(.+)$/.exec(path))) return { page: 'node-template', id: m[1] === 'new' ? null : decodeURIComponent(m[1]) };
  if (/^\/templates\/?$/.test(path)) return { page: 'templates' };
  if (/^\/users\/?$/.test(path)) return { page: 'users' };
  if (/^\/channels\/?$/.test(path)) return { page: 'channels' };
  if (/^\/audit\/?$/.test(path)) return { page: 'audit' };
  return { page: 'journeys' };
}

// Opened straight on a journey: its document and the editor load alongside the catalog and the session.
const opening = parseRoute(window.location.hash);
if (opening.page === 'journey') prefetchJourney(opening.id);

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
  const sessionValue = useMemo(() => sessionOf(me), [me]);
  const route = parseRoute(hash);
  const openJourney = (id: string) => go(`#/journeys/${encodeURIComponent(id)}`);
  const signOut = () => { setMe(null); setSignedOut(true); };

  // Signing in again shows over the page, so an editor with unsaved changes stays mounted underneath.
  const signIn = signedOut && <div className="modal-backdrop"><SignInPage onSignedIn={() => { setSignedOut(false); setSession((n) => n + 1); }} /></div>;
  let page;
  if (error) page = <p role="alert" className="error page-error">{error}</p>;
  else if (!catalog || !me) page = signedOut ? null : <p className="muted page-loading">{t('common.loading')}</p>;
  else if (route.page === 'journey') page = <JourneyLoader key={`${route.id}:${session}`} id={route.id} catalog={catalog} onBack={() => go(lastListHash())} />;
  else if (route.page === 'templates') page = <TemplatesPage key={session} catalog={catalog} onOpenJourney={openJourney} onSignOut={signOut} />;
  else if (route.page === 'node-template') {
    page = <NodeTemplateEditorPage key={`${route.id ?? 'new'}:${session}`} catalog={catalog} id={route.id} onSaved={(id) => go(`#/templates/node/${encodeURIComponent(id)}`)} onSignOut={signOut} />;
  } else if (route.page === 'users') page = <UsersPage key={session} onSignOut={signOut} />;
  else if (route.page === 'channels') page = <ChannelsPage key={session} onSignOut={signOut} />;
  else if (route.page === 'audit') page = <AuditPage key={session} onSignOut={signOut} />;
  else page = <JourneyListPage key={session} catalog={catalog} onOpen={openJourney} onSignOut={signOut} />;
  const loading = <p className="muted page-loading">{t('common.loading')}</p>;
  return <SessionContext.Provider value={sessionValue}><Suspense fallback={loading}>{page}</Suspense>{signIn}</SessionContext.Provider>;
}

function JourneyLoader({ id, catalog, onBack }: { id: string; catalog: Catalog; onBack(): void }) {
  const t = useT();
  const [journey, setJourney] = useState<JourneyView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadEditorPage().catch(() => undefined); // the chunk downloads while the journey loads
    takeJourney(id).then(setJourney, () => api.getJourney(id).then(setJourney, (e) => setError(errorText(e))));
  }, [id]);
  if (error) return <div className="page-error"><p role="alert" className="error">{error}</p><button type="button" onClick={onBack}>{t('editor.back')}</button></div>;
  if (!journey) return <p className="muted page-loading">{t('common.loading')}</p>;
  return <JourneyEditorPage catalog={catalog} journey={journey} onBack={onBack} />;
}
