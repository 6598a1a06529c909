/** A list of short strings as removable chips: tags, event types, channels; suggestions come from the API. */
import { useState } from 'react';
import { useT } from '../../i18n/language-store';

export function TagsInput({ value, onChange, suggestions = [], id, invalid }: { value: string[] | undefined; onChange(v: string[] | undefined): void; suggestions?: string[]; id: string; invalid?: boolean }) {
  const t = useT();
  const [draft, setDraft] = useState('');
  const list = value ?? [];
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
      <datalist id={`${id}-suggestions`}>{suggestions.filter((s) => !list.includes(s)).map((s) => <option key={s} value={s} />)}</datalist>
    </div>
  );
}
