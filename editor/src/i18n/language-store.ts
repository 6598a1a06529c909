/** The UI language: zh-CN or en, remembered in localStorage, first guess from the browser. */
import { useCallback } from 'react';
import { create } from 'zustand';
import { LANGS, translate, type Lang, type MessageKey } from './dictionary';

const KEY = 'journeys.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && (LANGS as string[]).includes(saved)) return saved as Lang;
  } catch { /* storage blocked: fall back to the browser language */ }
  return typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

interface LanguageState { lang: Lang; setLang(lang: Lang): void }

export const useLanguage = create<LanguageState>((set) => ({
  lang: initialLang(),
  setLang(lang) {
    try { localStorage.setItem(KEY, lang); } catch { /* not remembered, still switched */ }
    if (typeof document !== 'undefined') document.documentElement.lang = lang;
    set({ lang });
  },
}));

export function useLang(): Lang {
  return useLanguage((s) => s.lang);
}

export type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export function useT(): T {
  const lang = useLang();
  return useCallback((key, params) => translate(lang, key, params), [lang]);
}

/** Picks the text of the UI language from a `{en, 'zh-CN'}` pair. */
export function localized(text: { en: string; 'zh-CN': string } | undefined, lang: Lang): string {
  return text ? text[lang] || text.en : '';
}
