/** Loads the node catalog once (the registry the canvas, forms and validation share) and routes by hash. */
import { useEffect, useMemo, useState } from 'react';
import { NodeRegistry } from '../../nodes/registry';
import { api, ApiError, errorText, onUnauthorized } from './api/client';
import type { Catalog, JourneyView } from './api/types';
import { useT } from './i18n/language-store';
import { JourneyEditorPage } from './pages/JourneyEditorPage';
import { JourneyListPage } from './pages/JourneyListPage';
import { SignInPage } from './pages/SignInPage';

function useHashRoute(): [string, (h: string) => void] {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [hash, (h) => { window.location.hash = h; }];
}

export function App() {
  const t = useT();
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hash, go] = useHashRoute();
  const [signedOut, setSignedOut] = useState(false);
  const [session, setSession] = useState(0);
  useEffect(() => onUnauthorized(() => setSignedOut(true)), []);
  useEffect(() => {
    setError(null);
    api.catalog().then(setCatalog, (e) => { if (!(e instanceof ApiError && e.status === 401)) setError(errorText(e)); });
  }, [session]);
  const registry = useMemo(() => (catalog ? new NodeRegistry(catalog.categories.flatMap((c) => c.nodes)) : null), [catalog]);
  const journeyId = /^#\/journeys\/(.+)$/.exec(hash)?.[1];

  // Signing in again shows over the page, so an editor with unsaved changes stays mounted underneath.
  const signIn = signedOut && <div className="modal-backdrop"><SignInPage onSignedIn={() => { setSignedOut(false); setSession((n) => n + 1); }} /></div>;
  let page;
  if (error) page = <p role="alert" className="error page-error">{error}</p>;
  else if (!registry) page = signedOut ? null : <p className="muted page-loading">{t('common.loading')}</p>;
  else if (journeyId) page = <JourneyLoader key={`${journeyId}:${session}`} id={decodeURIComponent(journeyId)} registry={registry} onBack={() => go('#/')} />;
  else page = <JourneyListPage key={session} onOpen={(id) => go(`#/journeys/${encodeURIComponent(id)}`)} onSignOut={() => setSignedOut(true)} />;
  return <>{page}{signIn}</>;
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
