/**
 * Users and API tokens. Admins list users, add one with a role, change roles and remove users; holders of
 * `tokens.manage` create tokens (the secret is shown once, with a copy button), list and revoke them.
 */
import { useState, type FormEvent } from 'react';
import { api, errorText } from '../api/client';
import { ROLES, type Role, type TokenView } from '../api/types';
import { usePolling } from '../hooks/usePolling';
import type { MessageKey } from '../i18n/dictionary';
import { useLang, useT } from '../i18n/language-store';
import { useSession } from '../session';
import { NavBar, NoAccess } from './NavBar';

export function UsersPage({ onSignOut }: { onSignOut(): void }) {
  const { can } = useSession();
  return (
    <div className="list-page users-page" data-testid="users-page">
      <NavBar current="users" onSignOut={onSignOut} />
      {!can('users.manage') && !can('tokens.manage') && <NoAccess />}
      {can('users.manage') && <UsersSection />}
      {can('tokens.manage') && <TokensSection />}
    </div>
  );
}

function RoleSelect({ value, onChange, testId, roles = ROLES }: { value: Role; onChange(r: Role): void; testId: string; roles?: Role[] }) {
  const t = useT();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Role)} aria-label={t('users.role')} data-testid={testId}>
      {roles.map((r) => <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
    </select>
  );
}

function UsersSection() {
  const t = useT();
  const { me } = useSession();
  const list = usePolling(() => api.users(), 30_000, []);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ email: '', name: '', role: 'marketer' as Role, password: '' });
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try { await fn(); list.refresh(); } catch (err) { setError(errorText(err)); } finally { setBusy(false); }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.createUser({ email: form.email.trim(), role: form.role, password: form.password, ...(form.name.trim() ? { name: form.name.trim() } : {}) });
      setForm({ email: '', name: '', role: form.role, password: '' });
    });
  };

  return (
    <section className="page-section" data-testid="users-section">
      <header className="section-head"><h2>{t('users.heading')}</h2></header>
      {error && <p role="alert" className="error" data-testid="users-error">{error}</p>}
      <form className="inline-form" onSubmit={add} data-testid="add-user">
        <label className="stacked">{t('auth.email')}<input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} data-testid="new-user-email" /></label>
        <label className="stacked">{t('users.name')}<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="new-user-name" /></label>
        <label className="stacked">{t('users.role')}<RoleSelect value={form.role} onChange={(role) => setForm({ ...form, role })} testId="new-user-role" /></label>
        <label className="stacked">{t('users.initialPassword')}<input type="password" required minLength={8} autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} data-testid="new-user-password" /></label>
        <button type="submit" className="primary" disabled={busy} data-testid="new-user-submit">{t('users.add')}</button>
      </form>
      {!list.data && !list.error && <p className="muted">{t('common.loading')}</p>}
      {list.error && <p role="alert" className="error">{list.error}</p>}
      {list.data && (
        <table data-testid="users-table">
          <thead><tr><th>{t('auth.email')}</th><th>{t('users.name')}</th><th>{t('users.role')}</th><th>{t('list.status')}</th><th /></tr></thead>
          <tbody>
            {list.data.users.map((u) => (
              <tr key={u.id} data-testid={`user-row-${u.email}`}>
                <td>{u.email}</td>
                <td>{u.name ?? '—'}</td>
                <td><RoleSelect value={u.role} onChange={(role) => void run(() => api.updateUser(u.id, { role }))} testId={`user-role-${u.email}`} /></td>
                <td>{u.disabled ? <span className="pill">{t('users.disabled')}</span> : <span className="pill pill-published">{t('users.active')}</span>}</td>
                <td>
                  {me?.id !== u.id && (
                    <button type="button" disabled={busy} data-testid={`user-remove-${u.email}`}
                      onClick={() => { if (window.confirm(t('users.confirmRemove', { email: u.email }))) void run(() => api.deleteUser(u.id)); }}>
                      {t('users.remove')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Roles a token may get: those whose permissions the signed-in role holds (the server checks the same). */
function grantableRoles(role: string | undefined): Role[] {
  const order: Record<string, Role[]> = { admin: ROLES, developer: ['viewer', 'developer'], marketer: ['viewer', 'marketer'], viewer: ['viewer'] };
  return order[role ?? ''] ?? ['viewer'];
}

function TokensSection() {
  const t = useT();
  const lang = useLang();
  const { me, can } = useSession();
  const roles = grantableRoles(me?.role);
  // Admins revoke any token of the workspace, everyone else only their own.
  const mayRevoke = (tok: TokenView) => !tok.revokedAt && (can('users.manage') || (!!me?.user && tok.createdById === me.user.id));
  const list = usePolling(() => api.tokens(), 30_000, []);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', role: (roles.includes('developer') ? 'developer' : roles[0]) as Role, days: '' });
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const days = Number(form.days);
      const created = await api.createToken({ name: form.name.trim(), role: form.role, ...(form.days && days > 0 ? { expiresInDays: Math.round(days) } : {}) });
      setSecret({ name: created.name, token: created.token });
      setCopied(false);
      setForm({ ...form, name: '', days: '' });
      list.refresh();
    } catch (err) { setError(errorText(err)); } finally { setBusy(false); }
  };
  const revoke = async (tok: TokenView) => {
    if (!window.confirm(t('tokens.confirmRevoke', { name: tok.name }))) return;
    setError(null);
    try { await api.revokeToken(tok.id); list.refresh(); } catch (err) { setError(errorText(err)); }
  };
  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret.token);
      setCopied(true);
    } catch {
      // No clipboard permission (http, old browser): select the text so Ctrl+C copies it.
      const el = document.querySelector<HTMLInputElement>('[data-testid="token-secret"]');
      el?.select();
      setCopied(false);
    }
  };

  return (
    <section className="page-section" data-testid="tokens-section">
      <header className="section-head"><h2>{t('tokens.heading')}</h2><p className="muted small">{t('tokens.hint')}</p></header>
      {error && <p role="alert" className="error" data-testid="tokens-error">{error}</p>}
      {secret && (
        <div className="secret-box" role="alert" data-testid="token-created">
          <p><strong>{t('tokens.createdHeading', { name: secret.name })}</strong></p>
          <p className="warn-text" data-testid="token-warning">⚠ {t('tokens.onceWarning')}</p>
          <div className="row">
            <input readOnly value={secret.token} className="secret" onFocus={(e) => e.target.select()} aria-label={t('tokens.secret')} data-testid="token-secret" />
            <button type="button" onClick={() => void copy()} data-testid="token-copy">{copied ? `✓ ${t('tokens.copied')}` : t('tokens.copy')}</button>
            <button type="button" onClick={() => setSecret(null)} data-testid="token-secret-done">{t('tokens.done')}</button>
          </div>
        </div>
      )}
      <form className="inline-form" onSubmit={create} data-testid="create-token">
        <label className="stacked">{t('tokens.name')}<input required maxLength={120} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="token-name" /></label>
        <label className="stacked">{t('users.role')}<RoleSelect value={form.role} roles={roles} onChange={(role) => setForm({ ...form, role })} testId="token-role" /></label>
        <label className="stacked">{t('tokens.expiresInDays')}<input type="number" min={1} max={3650} value={form.days} placeholder={t('tokens.never')} onChange={(e) => setForm({ ...form, days: e.target.value })} data-testid="token-days" /></label>
        <button type="submit" className="primary" disabled={busy} data-testid="token-create">{t('tokens.create')}</button>
      </form>
      {list.error && <p role="alert" className="error">{list.error}</p>}
      {list.data?.tokens.length === 0 && <p className="empty" data-testid="tokens-empty">{t('tokens.empty')}</p>}
      {!!list.data?.tokens.length && (
        <table data-testid="tokens-table">
          <thead><tr><th>{t('tokens.name')}</th><th>{t('users.role')}</th><th>{t('tokens.hintCol')}</th><th>{t('tokens.created')}</th><th>{t('tokens.expires')}</th><th>{t('list.status')}</th><th /></tr></thead>
          <tbody>
            {list.data.tokens.map((tok) => (
              <tr key={tok.id} data-testid={`token-row-${tok.name}`}>
                <td>{tok.name}</td>
                <td>{t(`role.${tok.role}` as MessageKey)}</td>
                <td><code>{tok.hint}</code></td>
                <td>{new Date(tok.createdAt).toLocaleString(lang)}{tok.createdBy ? ` · ${tok.createdBy}` : ''}</td>
                <td>{tok.expiresAt ? new Date(tok.expiresAt).toLocaleDateString(lang) : t('tokens.never')}</td>
                <td>{tok.active ? <span className="pill pill-published">{t('users.active')}</span> : <span className="pill">{tok.revokedAt ? t('tokens.revoked') : t('tokens.expired')}</span>}</td>
                <td>{mayRevoke(tok) && <button type="button" onClick={() => void revoke(tok)} data-testid={`token-revoke-${tok.name}`}>{t('tokens.revoke')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
