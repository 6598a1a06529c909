import type { LocalizedText } from '../contract';

/** Both languages of a text; keeps the manifests short and every text bilingual by construction. */
export function t(en: string, zh: string): LocalizedText {
  return { en, 'zh-CN': zh };
}

/** Chinese title (and description) of a config field, as the `x-i18n` schema keyword the editor reads. */
export function zh(title: string, description?: string) {
  return { 'x-i18n': { 'zh-CN': description ? { title, description } : { title } } } as const;
}
