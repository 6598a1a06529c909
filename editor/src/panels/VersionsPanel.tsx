/** Published versions, newest first: look at a version's numbers, or copy its graph back into the draft. */
import type { VersionView } from '../api/types';
import { useLang, useT } from '../i18n/language-store';

export function VersionsPanel({ versions, error, liveVersion, onShowStats, onRestore }: {
  versions: VersionView[] | null; error: string | null; liveVersion: number | null; onShowStats(v: number): void; onRestore(v: VersionView): void;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <section className="side-panel" data-testid="versions-panel">
      <h2>{t('versions.heading')}</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {!versions && !error && <p className="muted">{t('common.loading')}</p>}
      {versions?.length === 0 && <p className="muted">{t('versions.none')}</p>}
      <ol className="versions">
        {versions?.map((v) => (
          <li key={v.version} data-testid={`version-${v.version}`}>
            <strong>v{v.version}</strong>{v.version === liveVersion && <span className="pill pill-live">{t('status.live')}</span>}
            <span className="muted small"> {new Date(v.publishedAt).toLocaleString(lang)}</span>
            {v.note && <p className="note">{v.note}</p>}
            <div className="row">
              <button type="button" className="btn-small" onClick={() => onShowStats(v.version)}>{t('versions.showStats')}</button>
              <button type="button" className="btn-small" onClick={() => onRestore(v)}>{t('versions.restore')}</button>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
