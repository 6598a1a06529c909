/** One value picked from the API's options (segments, channels) or typed freely: a text box with a suggestion list. */
import { useT } from '../../i18n/language-store';
import type { PickerOption } from '../picker-options';

export function PickerInput({ value, onChange, options, id, invalid, source }: {
  value: string | undefined; onChange(v: string | undefined): void; options: PickerOption[]; id: string; invalid?: boolean; source?: string;
}) {
  const t = useT();
  return (
    <div className={`picker-input${source ? ` picker-${source}` : ''}`} data-testid={`picker-${id}`}>
      <input
        id={id} list={`${id}-options`} value={value ?? ''} placeholder={t('picker.placeholder')} autoComplete="off"
        className={invalid ? 'field-invalid' : undefined} data-testid={`picker-${id}-input`}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      />
      <datalist id={`${id}-options`} data-testid={`picker-${id}-options`}>
        {options.map((o) => <option key={o.value} value={o.value} label={o.label}>{o.label ?? o.value}</option>)}
      </datalist>
    </div>
  );
}
