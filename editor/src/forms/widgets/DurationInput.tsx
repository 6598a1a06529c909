/** "3 days" as a number and a unit: how marketers think about waits and timeouts. */
import type { Duration } from '../../../../nodes/duration';
import type { MessageKey } from '../../i18n/dictionary';
import { useT } from '../../i18n/language-store';

const UNITS: Duration['unit'][] = ['seconds', 'minutes', 'hours', 'days', 'weeks'];

export function DurationInput({ value, onChange, id }: { value: Partial<Duration> | undefined; onChange(v: Partial<Duration>): void; id: string }) {
  const t = useT();
  return (
    <div className="duration-input" data-testid={`duration-${id}`}>
      <input type="number" min={0} step="any" aria-label={t('form.amount')} value={value?.amount ?? ''} data-testid={`duration-${id}-amount`}
        onChange={(e) => onChange({ ...value, amount: e.target.value === '' ? undefined : Number(e.target.value) })} />
      <select aria-label={t('form.unit')} value={value?.unit ?? ''} data-testid={`duration-${id}-unit`} onChange={(e) => onChange({ ...value, unit: e.target.value as Duration['unit'] })}>
        <option value="" disabled>—</option>
        {UNITS.map((u) => <option key={u} value={u}>{t(`unit.${u}` as MessageKey)}</option>)}
      </select>
    </div>
  );
}
