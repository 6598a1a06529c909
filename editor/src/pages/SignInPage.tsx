/** Email + password sign-in; the server sets an httpOnly session cookie that later calls carry. */
import { useState, type FormEvent } from 'react';
import { api, errorText } from '../api/client';
import { useT } from '../i18n/language-store';
import { LanguageSwitch } from './LanguageSwitch';
import { ThemeSwitch } from './ThemeSwitch';

export function SignInPage({ onSignedIn }: { onSignedIn(): void }) {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.signIn(email.trim(), password);
      onSignedIn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="sign-in-page" data-testid="sign-in-page">
      <form className="modal" onSubmit={submit} data-testid="sign-in">
        <div className="row"><h1>{t('app.title')}</h1><span className="spacer" /><LanguageSwitch /><ThemeSwitch /></div>
        <h2>{t('auth.heading')}</h2>
        <label className="stacked">{t('auth.email')}<input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} data-testid="sign-in-email" /></label>
        <label className="stacked">{t('auth.password')}<input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} data-testid="sign-in-password" /></label>
        {error && <p role="alert" className="error" data-testid="sign-in-error">{error}</p>}
        <div className="actions"><button type="submit" className="primary" disabled={busy} data-testid="sign-in-submit">{t('auth.submit')}</button></div>
      </form>
    </div>
  );
}
