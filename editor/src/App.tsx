import { useEffect, useState } from 'react';

interface CatalogNode { type: string; title: { en: string; 'zh-CN': string }; icon: string }
interface Catalog { categories: { category: string; nodes: CatalogNode[] }[] }

/** Placeholder shell until the canvas lands: shows the node catalog the API serves. */
export function App() {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch('/api/v1/nodes')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(setCatalog, (e: Error) => setError(e.message));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui', padding: 24 }}>
      <h1>Journeys</h1>
      {error && <p role="alert">Could not load the node catalog: {error}</p>}
      {!catalog && !error && <p>Loading…</p>}
      {catalog?.categories.map((c) => (
        <section key={c.category}>
          <h2>{c.category}</h2>
          <ul>{c.nodes.map((n) => <li key={n.type}>{n.icon} {n.title.en} · {n.title['zh-CN']}</li>)}</ul>
        </section>
      ))}
    </main>
  );
}
