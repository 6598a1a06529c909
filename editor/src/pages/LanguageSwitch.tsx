import { LANGS } from '../i18n/dictionary';
import { useLanguage, useT } from '../i18n/language-store';

const NAMES = { en: 'English', 'zh-CN': '中文' } as const;

export function LanguageSwitch() {
  const t = useT();
  const { lang, setLang } = useLanguage();
  return (
    <select value={lang} onChange={(e) => setLang(e.target.value as typeof lang)} aria-label={t('app.language')} data-testid="language">
      {LANGS.map((l) => <option key={l} value={l}>{NAMES[l]}</option>)}
    </select>
  );
}
