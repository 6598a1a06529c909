/** A list of short strings as removable chips: tags, event types, channels; suggestions come from the API. */
import { useState } from 'react';
import { useT } from '../../i18n/language-store';
import type { PickerOption } from '../picker-options';

export function TagsInput({ value, onChange, suggestions = [], id, invalid }: { value: string[] | undefined; onChange(v: string[] | undefined): void; suggestions?: (string | PickerOption)[]; id: string; invalid?: boolean }) {
  const t = useT();
  const [draft, setDraft] = useState('');
  const list = value ?? [];
  const options = suggestions.map((s) => (typeof s === 'string' ? { value: s } : s));
  const add = () => {
    const v = draft.trim();
    if (v && !list.includes(v)) onChange([...list, v]);
    setDraft('');
  };
  return (
    <div className={`tags-input${invalid ? ' field-invalid' : ''}`} data-testid={`tags-${id}`}>
      {list.map((tag) => (
        <span className="chip" key={tag}>
          {tag}
          <button type="button" aria-label={`${t('form.remove')} ${tag}`} onClick={() => { const next = list.filter((x) => x !== tag); onChange(next.length ? next : undefined); }}>✕</button>
        </span>
      ))}
      <input
        id={id} list={`${id}-suggestions`} value={draft} placeholder={t('form.tagPlaceholder')} data-testid={`tags-${id}-input`}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ',') { e.preventDefault(); add(); } }}
        onBlur={add}
      />
      <datalist id={`${id}-suggestions`} data-testid={`tags-${id}-suggestions`}>
        {options.filter((o) => !list.includes(o.value)).map((o) => <option key={o.value} value={o.value} label={o.label}>{o.label ?? o.value}</option>)}
      </datalist>
    </div>
  );
}
