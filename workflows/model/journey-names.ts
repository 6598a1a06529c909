/**
 * Names for journeys made from others — a duplicate, an import — that do not repeat a name the workspace already
 * uses: "Welcome drip (copy)", "Welcome drip (copy 2)"; in Chinese "欢迎培育（副本）", "…（导入）".
 * Shared by the API (clone) and the editor (import), so both name the same way.
 */
export type NameKind = 'copy' | 'imported';
export type NameLang = 'en' | 'zh-CN';

const WORDS: Record<NameKind, Record<NameLang, string>> = {
  copy: { en: 'copy', 'zh-CN': '副本' },
  imported: { en: 'imported', 'zh-CN': '导入' },
};

/** The longest name a journey may have (the journey document schema's maxLength). */
export const MAX_NAME = 120;

function withSuffix(base: string, kind: NameKind, lang: NameLang, n: number): string {
  const word = n > 1 ? `${WORDS[kind][lang]} ${n}` : WORDS[kind][lang];
  const suffix = lang === 'zh-CN' ? `（${word}）` : ` (${word})`;
  return `${base.slice(0, MAX_NAME - suffix.length).trimEnd()}${suffix}`;
}

/**
 * `kind` says what the new journey is. A copy always reads as one ("… (copy)"); an import keeps its name while no
 * journey has it, and takes the suffix only then.
 */
export function distinctName(base: string, taken: Iterable<string>, kind: NameKind, lang: NameLang, opts: { alwaysSuffix?: boolean } = {}): string {
  const used = new Set(taken);
  const name = base.trim() || 'Journey';
  if (!opts.alwaysSuffix && !used.has(name)) return name.slice(0, MAX_NAME);
  for (let n = 1; ; n++) {
    const candidate = withSuffix(name, kind, lang, n);
    if (!used.has(candidate)) return candidate;
  }
}
