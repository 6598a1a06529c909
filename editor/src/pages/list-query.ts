/**
 * The journey list's search, folder and filters as the URL's query (`#/?q=…&folder=…&status=…&trigger=…`), so a
 * reload, a shared link or coming back from a journey shows the same list.
 */
export interface ListQuery { q: string; folder: string; status: string; trigger: string }

export const EMPTY_QUERY: ListQuery = { q: '', folder: '', status: '', trigger: '' };
const KEYS = ['q', 'folder', 'status', 'trigger'] as const;
const LAST_KEY = 'journeys.listQuery';

export function parseListQuery(hash: string): ListQuery {
  const at = hash.indexOf('?');
  const params = new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
  return Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as ListQuery;
}

export function listHash(q: ListQuery): string {
  const params = new URLSearchParams(KEYS.filter((k) => q[k]).map((k) => [k, q[k]]));
  const qs = params.toString();
  return qs ? `#/?${qs}` : '#/';
}

/** Puts the query in the URL without a new history entry per keystroke, and remembers it for the way back. */
export function rememberListQuery(q: ListQuery): void {
  const hash = listHash(q);
  if (window.location.hash !== hash && !(hash === '#/' && !window.location.hash)) window.history.replaceState(null, '', hash);
  try { sessionStorage.setItem(LAST_KEY, hash); } catch { /* not remembered: back goes to the whole list */ }
}

/** Where "← Journeys" goes: the list as it was left. */
export function lastListHash(): string {
  try { return sessionStorage.getItem(LAST_KEY) ?? '#/'; } catch { return '#/'; }
}
