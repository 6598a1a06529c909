/** Chooses which version's live numbers the canvas shows, and traces one contact's path through it. */
import { useState } from 'react';
import { api, errorText } from '../api/client';
import type { EnrollmentView, JourneyStats } from '../api/types';
import { useT } from '../i18n/language-store';

export function AnalyticsBar({ journeyId, versions, version, onVersion, stats, statsError, onTrace }: {
  journeyId: string; versions: number[]; version: number | null; onVersion(v: number | null): void;
  stats: JourneyStats | null; statsError: string | null; onTrace(run: EnrollmentView | null): void;
}) {
  const t = useT();
  const [identity, setIdentity] = useState('');
  const [traceMsg, setTraceMsg] = useState<string | null>(null);
  const e = stats?.enrollments ?? {};
  const total = Object.values(e).reduce((a, b) => a + b, 0);

  const trace = async () => {
    setTraceMsg(null);
    try {
      const found = (await api.findContact(identity.trim())).contacts[0];
      const runs = found ? (await api.contactJourneys(found.id)).enrollments.filter((r) => r.journeyId === journeyId && (version === null || r.version === version)) : [];
      if (!runs.length) { setTraceMsg(t('analytics.traceNone')); onTrace(null); return; }
      onTrace(runs[0]);
    } catch (err) {
      setTraceMsg(errorText(err));
    }
  };

  return (
    <div className="analytics-bar" data-testid="analytics-bar">
      <label>
        {t('analytics.version')}{' '}
        <select value={version === null ? '' : String(version)} onChange={(ev) => onVersion(ev.target.value === '' ? null : Number(ev.target.value))} data-testid="analytics-version">
          <option value="">{t('analytics.off')}</option>
          {versions.map((v) => <option key={v} value={v}>{t('analytics.version.n', { version: v })}</option>)}
          <option value="0">{t('analytics.testRuns')}</option>
        </select>
      </label>
      {version !== null && stats && (
        <span data-testid="analytics-enrollments">{t('analytics.enrollments', { active: e.active ?? 0, completed: (e.completed ?? 0) + (e.converted ?? 0), total })}</span>
      )}
      {statsError && <span role="alert" className="error">{statsError}</span>}
      {version !== null && (
        <span className="trace">
          <input value={identity} onChange={(ev) => setIdentity(ev.target.value)} placeholder={t('analytics.traceIdentity')} aria-label={t('analytics.trace')} data-testid="trace-identity" />
          <button type="button" className="btn-small" disabled={!identity.includes(':')} onClick={trace} data-testid="trace-find">{t('analytics.traceFind')}</button>
          {traceMsg && <span className="muted">{traceMsg}</span>}
        </span>
      )}
    </div>
  );
}
