/**
 * Light or dark: the system's choice by default, or one the user picked (remembered in localStorage). The
 * effective theme is set as `data-theme` on <html>, which the style sheet's colour variables follow; the canvas
 * (React Flow) gets the same mode.
 */
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';
export const THEME_CHOICES: ThemeChoice[] = ['system', 'light', 'dark'];

const KEY = 'journeys.theme';
const darkQuery = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : undefined);

function savedChoice(): ThemeChoice {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && (THEME_CHOICES as string[]).includes(saved)) return saved as ThemeChoice;
  } catch { /* storage blocked: follow the system */ }
  return 'system';
}

const effective = (choice: ThemeChoice): Theme => (choice === 'system' ? (darkQuery()?.matches ? 'dark' : 'light') : choice);

function apply(theme: Theme): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme;
}

interface ThemeState { choice: ThemeChoice; theme: Theme; choose(choice: ThemeChoice): void }

export const useTheme = create<ThemeState>((set, get) => {
  const choice = savedChoice();
  apply(effective(choice));
  // A system change moves the UI along while the user has not picked a theme.
  darkQuery()?.addEventListener('change', () => {
    if (get().choice !== 'system') return;
    const theme = effective('system');
    apply(theme);
    set({ theme });
  });
  return {
    choice,
    theme: effective(choice),
    choose(next) {
      try { localStorage.setItem(KEY, next); } catch { /* not remembered, still switched */ }
      const theme = effective(next);
      apply(theme);
      set({ choice: next, theme });
    },
  };
});
