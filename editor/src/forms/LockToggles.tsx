/** One lock toggle per top-level config field of a node template: locked fields are read-only in journeys. */
import { useT } from '../i18n/language-store';
import { toggleLock, type TemplateField } from './template-locks';

export function LockToggles({ fields, locked, onChange, disabled }: { fields: TemplateField[]; locked: string[]; onChange(locked: string[]): void; disabled?: boolean }) {
  const t = useT();
  if (!fields.length) return <p className="muted small">{t('nodeTemplates.noFields')}</p>;
  const order = fields.map((f) => f.name);
  return (
    <fieldset className="lock-toggles" data-testid="lock-toggles">
      <legend>{t('nodeTemplates.lockHeading')}</legend>
      <p className="muted small">{t('nodeTemplates.lockHint')}</p>
      <ul>
        {fields.map((f) => {
          const on = locked.includes(f.name);
          return (
            <li key={f.name} className={on ? 'lock-on' : undefined}>
              <span className="lock-field">{f.title}{f.required ? ' *' : ''} <code className="muted small">{f.name}</code></span>
              <button
                type="button" role="switch" aria-checked={on} disabled={disabled} className={on ? 'active' : undefined}
                aria-label={t(on ? 'nodeTemplates.unlockField' : 'nodeTemplates.lockField', { field: f.title })}
                onClick={() => onChange(toggleLock(locked, f.name, order))} data-testid={`lock-toggle-${f.name}`}
              >
                {on ? `🔒 ${t('nodeTemplates.lockedState')}` : `🔓 ${t('nodeTemplates.editableState')}`}
              </button>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
