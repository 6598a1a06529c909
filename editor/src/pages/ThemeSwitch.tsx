import type { MessageKey } from '../i18n/dictionary';
import { useT } from '../i18n/language-store';
import { THEME_CHOICES, useTheme, type ThemeChoice } from '../theme-store';

export function ThemeSwitch() {
  const t = useT();
  const { choice, choose } = useTheme();
  return (
    <select value={choice} onChange={(e) => choose(e.target.value as ThemeChoice)} aria-label={t('theme.label')} data-testid="theme">
      {THEME_CHOICES.map((c) => <option key={c} value={c}>{t(`theme.${c}` as MessageKey)}</option>)}
    </select>
  );
}
