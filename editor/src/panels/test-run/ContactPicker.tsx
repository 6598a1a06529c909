/** Finds a real contact of the workspace, by a part of a handle or name, to seed the test contact from. */
import { useEffect, useState } from 'react';
import { api, errorText } from '../../api/client';
import type { ContactSummary } from '../../api/types';
import { useT } from '../../i18n/language-store';

/** Typing pauses this long before the search is sent (one request per word, not per key). */
const SEARCH_DEBOUNCE_MS = 250;

export const contactName = (c: ContactSummary): string | undefined => (typeof c.profile.name === 'string' && c.profile.name ? c.profile.name : undefined);

export function ContactPicker({ picked, onPick }: { picked: ContactSummary | null; onPick(c: ContactSummary | null): void }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ query: string; contacts: ContactSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const q = query.trim();
    if (!q) { setFound(null); return; }
    let stale = false;
    const timer = setTimeout(() => {
      api.searchContacts(q).then((r) => { if (!stale) { setFound({ query: q, contacts: r.contacts }); setError(null); } }, (err) => { if (!stale) setError(errorText(err)); });
    }, SEARCH_DEBOUNCE_MS);
    return () => { stale = true; clearTimeout(timer); };
  }, [query]);

  if (picked) {
    const identity = picked.identities[0];
    return (
      <div className="seed-picked" data-testid="test-seed-picked">
        <span title={t('test.seedHint')}>
          {t('test.seededFrom', { name: contactName(picked) ?? t('test.seedUnnamed'), identity: identity ? `${identity.channel}:${identity.handle}` : picked.id })}
        </span>{' '}
        <button type="button" className="btn-small" onClick={() => onPick(null)} data-testid="test-seed-clear">{t('test.seedClear')}</button>
      </div>
    );
  }
  return (
    <div className="seed-search">
      <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('test.seedSearch')} aria-label={t('test.seed')} data-testid="test-seed-search" />
      {error && <p className="error small" role="alert">{error}</p>}
      {found && found.contacts.length === 0 && <p className="muted small" data-testid="test-seed-none">{t('test.seedNone', { query: found.query })}</p>}
      {found && found.contacts.length > 0 && (
        <ul className="seed-results" data-testid="test-seed-results">
          {found.contacts.map((c) => (
            <li key={c.id}>
              <button type="button" onClick={() => { onPick(c); setQuery(''); }} data-testid={`test-seed-${c.id}`}>
                <strong>{contactName(c) ?? t('test.seedUnnamed')}</strong>{' '}
                <span className="muted small">{c.identities.map((i) => `${i.channel}:${i.handle}`).join(' · ')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
