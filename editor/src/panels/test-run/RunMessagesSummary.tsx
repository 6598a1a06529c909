/** How many of a run's messages were only recorded: a test run's "sent" never reached anyone. */
import type { EnrollmentView } from '../../api/types';
import { useT } from '../../i18n/language-store';
import { deliveryOf } from './step-details';

export function RunMessagesSummary({ run }: { run: Pick<EnrollmentView, 'steps'> }) {
  const t = useT();
  const recorded = run.steps.filter((s) => { const d = deliveryOf(s); return d === 'dry-run' || d === 'recorded'; }).length;
  if (!recorded) return null;
  return (
    <p className="small" data-testid="test-messages">
      <span title={t('test.recordedHint')} className="recorded-count">{t('test.messages', { recorded: t('test.recordedCount', { count: recorded }) })}</span>
    </p>
  );
}
