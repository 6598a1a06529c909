/**
 * A message template with an "insert field" menu that puts a variable at the cursor. Contact fields come with a
 * fallback (`{{contact.profile.name | "there"}}`), selected so the marketer types over it: a message whose
 * variable has no value and no fallback is not sent (nodes/message-template.ts).
 */
import { useLayoutEffect, useRef } from 'react';
import { useT } from '../../i18n/language-store';

export const TEMPLATE_VARIABLES = [
  'contact.profile.name', 'contact.profile.firstName', 'contact.profile.city', 'contact.tags', 'contact.scores.lead',
  'event.text', 'event.channel', 'event.handle', 'trigger.text',
];

export function TemplateInput({ value, onChange, id, invalid }: { value: string | undefined; onChange(v: string | undefined): void; id: string; invalid?: boolean }) {
  const t = useT();
  const ref = useRef<HTMLTextAreaElement>(null);
  // Where the cursor goes once the inserted text is on screen: set in the same commit as the new value, before the
  // next keystroke is handled (a frame later, a fast typist's first letter would land after the variable).
  const pendingSelection = useRef<[number, number] | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    const range = pendingSelection.current;
    if (!el || !range) return;
    pendingSelection.current = null;
    el.focus();
    el.setSelectionRange(range[0], range[1]);
  }, [value]);
  const insert = (variable: string) => {
    const el = ref.current;
    const text = value ?? '';
    const fallback = withFallback(variable) ? t('form.fallbackWord') : undefined;
    const token = tokenOf(variable, fallback);
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    // The fallback word is selected: typing replaces it.
    pendingSelection.current = fallback ? [start + token.length - 3 - fallback.length, start + token.length - 3] : [start + token.length, start + token.length];
    onChange(text.slice(0, start) + token + text.slice(end));
  };
  return (
    <div className="template-input">
      <textarea id={id} ref={ref} rows={4} value={value ?? ''} className={invalid ? 'field-invalid' : undefined} data-testid={`template-${id}`}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      <select value="" aria-label={t('form.insertField')} data-testid={`template-${id}-insert`} onChange={(e) => e.target.value && insert(e.target.value)}>
        <option value="">{t('form.insertField')}</option>
        {TEMPLATE_VARIABLES.map((v) => <option key={v} value={v}>{tokenOf(v, withFallback(v) ? t('form.fallbackWord') : undefined)}</option>)}
      </select>
      <p className="muted template-hint">{t('form.fallbackHint')}</p>
    </div>
  );
}

/** Contact fields may be empty for some contacts; event fields are always there when the event has them. */
const withFallback = (variable: string) => variable.startsWith('contact.');
const tokenOf = (variable: string, fallback?: string) => (fallback === undefined ? `{{${variable}}}` : `{{${variable} | "${fallback}"}}`);
