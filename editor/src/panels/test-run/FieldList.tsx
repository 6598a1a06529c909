/** Recorded values as label: value rows (nested records indented), in the UI's words where it has them. */
import { useT, type T } from '../../i18n/language-store';
import type { Field } from './step-details';
import { textOr } from './run-node-info';

/** Values of these fields are codes the dictionary can say in words. */
const CODED = ['status', 'reason'];

function valueText(t: T, key: string, v: Exclude<Field['value'], Field[]>, overrides: Record<string, string>): string {
  if (key in overrides) return overrides[key];
  if (v === null || v === '') return t('inspect.empty');
  if (typeof v === 'boolean') return v ? t('inspect.yes') : t('inspect.no');
  if (typeof v === 'string' && CODED.includes(key)) return textOr(t, `inspect.${key}.${v}`, v);
  return String(v);
}

export function FieldList({ fields, overrides = {}, testId }: { fields: Field[]; overrides?: Record<string, string>; testId?: string }) {
  const t = useT();
  if (!fields.length) return null;
  return (
    <dl className="fields" data-testid={testId}>
      {fields.map((f, i) => (
        <div className="field-row" key={`${f.key}-${i}`} data-field={f.key}>
          {f.key && <dt>{textOr(t, `inspect.field.${f.key}`, f.key)}</dt>}
          <dd>{Array.isArray(f.value) ? <FieldList fields={f.value} /> : valueText(t, f.key, f.value, overrides)}</dd>
        </div>
      ))}
    </dl>
  );
}
