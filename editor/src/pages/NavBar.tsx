/** The top bar of the list screens: sections the signed-in role may see, language, who is signed in, sign out. */
import { api } from '../api/client';
import type { MessageKey } from '../i18n/dictionary';
import { useT } from '../i18n/language-store';
import { visibleSections, useSession, type Section } from '../session';
import { LanguageSwitch } from './LanguageSwitch';
import { ThemeSwitch } from './ThemeSwitch';

export function NavBar({ current, onSignOut }: { current: Section; onSignOut(): void }) {
  const t = useT();
  const session = useSession();
  return (
    <nav className="nav-bar" aria-label={t('nav.label')} data-testid="nav">
      <strong className="nav-title">{t('app.title')}</strong>
      {visibleSections(session).map((s) => (
        <a key={s.id} href={s.hash} className={s.id === current ? 'nav-link active' : 'nav-link'} aria-current={s.id === current ? 'page' : undefined} data-testid={`nav-${s.id}`}>
          {t(`nav.${s.id}` as MessageKey)}
        </a>
      ))}
      <span className="spacer" />
      {session.me && <span className="muted small" data-testid="nav-user">{session.me.name} · {t(`role.${session.me.role}` as MessageKey)}</span>}
      <LanguageSwitch />
      <ThemeSwitch />
      <button type="button" onClick={() => { void api.signOut().finally(onSignOut); }} data-testid="sign-out">{t('auth.signOut')}</button>
    </nav>
  );
}

/** Shown when a section is opened by address without the permission for it. */
export function NoAccess() {
  const t = useT();
  return <p className="error page-error" role="alert" data-testid="no-access">{t('nav.noAccess')}</p>;
}
