/**
 * The publish dialog's "who this reaches": per trigger of the saved draft, a segment's members or the contacts that
 * sent a matching event lately, and which of the two it is; "at least" when the server's sample was full.
 */
import type { AudienceEstimate as Estimate, TriggerAudience } from '../../api/types';
import { useLang, useT, type T } from '../../i18n/language-store';

function countText(a: TriggerAudience, t: T, lang: string): string {
  const n = (a.count ?? 0).toLocaleString(lang);
  return a.capped ? t('audience.atLeast', { count: n }) : n;
}

function line(a: TriggerAudience, windowDays: number, t: T, lang: string): string {
  if (a.basis === 'segment') {
    if (a.count === null) return t('audience.noSegment');
    return t('audience.segment', { count: countText(a, t, lang), segments: a.segments.map((s) => `“${s}”`).join(', ') });
  }
  if (a.basis === 'events' && a.count !== null) {
    return t('audience.events', { count: countText(a, t, lang), types: a.eventTypes.join(', '), days: windowDays });
  }
  return t('audience.unknown');
}

export function AudienceEstimate({ estimate, error, titleOf }: { estimate: Estimate | null; error: string | null; titleOf(nodeId: string): string }) {
  const t = useT();
  const lang = useLang();
  return (
    <section className="audience" data-testid="publish-audience">
      <h3>{t('audience.heading')}</h3>
      {error && <p role="alert" className="error small">{error}</p>}
      {!estimate && !error && <p className="muted small" data-testid="publish-audience-loading">{t('audience.loading')}</p>}
      {estimate && estimate.triggers.length === 0 && <p className="muted small">{t('audience.noTrigger')}</p>}
      {estimate && estimate.triggers.length > 0 && (
        <ul className="audience-list">
          {estimate.triggers.map((a) => (
            <li key={a.nodeId} data-testid={`publish-audience-${a.nodeId}`} data-basis={a.basis} data-count={a.count ?? ''} data-capped={a.capped}>
              <strong>{titleOf(a.nodeId)}</strong>{lang === 'zh-CN' ? '：' : ': '}{line(a, estimate.windowDays, t, lang)}
            </li>
          ))}
        </ul>
      )}
      {estimate && estimate.triggers.some((a) => a.basis === 'events') && <p className="muted small">{t('audience.eventsHint', { days: estimate.windowDays })}</p>}
    </section>
  );
}
