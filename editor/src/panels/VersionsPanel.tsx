/**
 * Published versions, newest first: look at a version (read-only, notes included) or its numbers, copy its graph
 * back into the draft, or compare two of them (or one with the current draft) on the canvas.
 */
import { useState } from 'react';
import type { VersionView } from '../api/types';
import { useLang, useT } from '../i18n/language-store';

/** A side of a comparison: a version number or the draft being edited. */
export type CompareSide = number | 'draft';

export function VersionsPanel({ versions, error, liveVersion, onShowStats, onRestore, onView, onCompare }: {
  versions: VersionView[] | null; error: string | null; liveVersion: number | null; onShowStats(v: number): void; onRestore(v: VersionView): void;
  onView(v: VersionView): void; onCompare(from: CompareSide, to: CompareSide): void;
}) {
  const t = useT();
  const lang = useLang();
  const [from, setFrom] = useState<string>('');
  const [to, setTo] = useState<string>('draft');
  const side = (v: string): CompareSide => (v === 'draft' ? 'draft' : Number(v));
  // By default: the newest version against the draft (what publishing now would change).
  const fromValue = from || String(versions?.[0]?.version ?? '');
  const options = [
    <option key="draft" value="draft">{t('versions.draft')}</option>,
    ...(versions ?? []).map((v) => <option key={v.version} value={String(v.version)}>v{v.version}</option>),
  ];
  return (
    <section className="side-panel" data-testid="versions-panel">
      <h2>{t('versions.heading')}</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {!versions && !error && <p className="muted">{t('common.loading')}</p>}
      {versions?.length === 0 && <p className="muted">{t('versions.none')}</p>}
      {versions && versions.length > 0 && (
        <form className="compare row" onSubmit={(e) => { e.preventDefault(); onCompare(side(fromValue), side(to)); }} data-testid="compare-form">
          <strong>{t('versions.compare')}</strong>
          <label>{t('versions.compareFrom')} <select value={fromValue} onChange={(e) => setFrom(e.target.value)} data-testid="compare-from">{options}</select></label>
          <label>{t('versions.compareTo')} <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="compare-to">{options}</select></label>
          <button type="submit" className="btn-small" disabled={fromValue === to} data-testid="compare-show">{t('versions.showChanges')}</button>
        </form>
      )}
      <ol className="versions">
        {versions?.map((v) => (
          <li key={v.version} data-testid={`version-${v.version}`}>
            <strong>v{v.version}</strong>{v.version === liveVersion && <span className="pill pill-live">{t('status.live')}</span>}
            <span className="muted small"> {new Date(v.publishedAt).toLocaleString(lang)}</span>
            {v.note && <p className="note">{v.note}</p>}
            <div className="row">
              <button type="button" className="btn-small" onClick={() => onView(v)} data-testid={`version-view-${v.version}`}>{t('versions.view')}</button>
              <button type="button" className="btn-small" onClick={() => onShowStats(v.version)}>{t('versions.showStats')}</button>
              <button type="button" className="btn-small" onClick={() => onRestore(v)}>{t('versions.restore')}</button>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
