/** A message template with an "insert field" menu that puts `{{contact.profile.name}}` at the cursor. */
import { useRef } from 'react';
import { useT } from '../../i18n/language-store';

export const TEMPLATE_VARIABLES = [
  'contact.profile.name', 'contact.profile.firstName', 'contact.profile.city', 'contact.tags', 'contact.scores.lead',
  'event.text', 'event.channel', 'event.handle', 'trigger.text',
];

export function TemplateInput({ value, onChange, id, invalid }: { value: string | undefined; onChange(v: string | undefined): void; id: string; invalid?: boolean }) {
  const t = useT();
  const ref = useRef<HTMLTextAreaElement>(null);
  const insert = (variable: string) => {
    const el = ref.current;
    const text = value ?? '';
    const token = `{{${variable}}}`;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    onChange(text.slice(0, start) + token + text.slice(end));
    requestAnimationFrame(() => { el?.focus(); el?.setSelectionRange(start + token.length, start + token.length); });
  };
  return (
    <div className="template-input">
      <textarea id={id} ref={ref} rows={4} value={value ?? ''} className={invalid ? 'field-invalid' : undefined} data-testid={`template-${id}`}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      <select value="" aria-label={t('form.insertField')} data-testid={`template-${id}-insert`} onChange={(e) => e.target.value && insert(e.target.value)}>
        <option value="">{t('form.insertField')}</option>
        {TEMPLATE_VARIABLES.map((v) => <option key={v} value={v}>{`{{${v}}}`}</option>)}
      </select>
    </div>
  );
}
