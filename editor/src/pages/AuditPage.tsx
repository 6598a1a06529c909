/** The audit log (admins): who did what, to what, and when — newest first, filtered by action. */
import { useState } from 'react';
import { api } from '../api/client';
import type { AuditEntry } from '../api/types';
import { usePolling } from '../hooks/usePolling';
import type { MessageKey } from '../i18n/dictionary';
import { useLang, useT } from '../i18n/language-store';
import { useSession } from '../session';
import { NavBar, NoAccess } from './NavBar';
import { formatValue } from '../forms/template-locks';

/** The actions the API records (server/routes/*: `audit(deps, req, '<action>', …)`); the filter also takes any text. */
export const AUDIT_ACTIONS = [
  'journey.published', 'credential.changed', 'template.created', 'template.changed', 'template.published', 'template.archived', 'journey_template.published', 'journey_template.deleted',
  'user.created', 'user.role_changed', 'user.changed', 'user.deleted', 'user.password_changed', 'token.created', 'token.revoked',
  'contact.exported', 'contact.erased', 'workspace.created',
];

/** An action or target kind in the reader's language; an unknown code (a newer server) as it is. */
function label(t: ReturnType<typeof useT>, key: string, code: string): string {
  const text = t(key as MessageKey);
  return text && text !== key ? text : code;
}

function details(e: AuditEntry): string {
  return Object.entries(e.details ?? {}).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}: ${formatValue(v)}`).join(' · ');
}

export function AuditPage({ onSignOut }: { onSignOut(): void }) {
  const t = useT();
  const lang = useLang();
  const { can } = useSession();
  const [action, setAction] = useState('');
  const list = usePolling(can('audit.read') ? () => api.audit({ action: action || undefined, limit: 200 }) : null, 30_000, [action]);

  return (
    <div className="list-page audit-page" data-testid="audit-page">
      <NavBar current="audit" onSignOut={onSignOut} />
      {!can('audit.read') ? <NoAccess /> : (
        <section className="page-section">
          <header className="section-head row">
            <h2>{t('audit.heading')}</h2>
            <span className="spacer" />
            <label className="row small">{t('audit.filterAction')}
              <select value={action} onChange={(e) => setAction(e.target.value)} data-testid="audit-action">
                <option value="">{t('audit.allActions')}</option>
                {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{label(t, `audit.act.${a}`, a)}</option>)}
              </select>
            </label>
            <button type="button" onClick={list.refresh} data-testid="audit-refresh">{t('audit.refresh')}</button>
          </header>
          {list.error && <p role="alert" className="error">{list.error} <button type="button" onClick={list.refresh}>{t('common.retry')}</button></p>}
          {!list.data && !list.error && <p className="muted">{t('common.loading')}</p>}
          {list.data?.entries.length === 0 && <p className="empty" data-testid="audit-empty">{t('audit.empty')}</p>}
          {!!list.data?.entries.length && (
            <table data-testid="audit-table">
              <thead><tr><th>{t('audit.when')}</th><th>{t('audit.who')}</th><th>{t('audit.action')}</th><th>{t('audit.target')}</th><th>{t('audit.details')}</th></tr></thead>
              <tbody>
                {list.data.entries.map((e) => (
                  <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                    <td className="nowrap">{new Date(e.at).toLocaleString(lang)}</td>
                    <td>{e.actor.name} <span className="muted small">({e.actor.kind})</span></td>
                    <td title={e.action}>{label(t, `audit.act.${e.action}`, e.action)}</td>
                    <td title={e.target.id}>{e.target.name ?? e.target.id} <span className="muted small">{label(t, `audit.kind.${e.target.kind}`, e.target.kind)}</span></td>
                    <td className="small">{details(e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
