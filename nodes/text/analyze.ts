// Social-text understanding: language, sentiment, tokens, keywords.
// Pure functions; the only I/O is jieba loading its bundled dictionary once.
import { STOPWORDS } from './lexicon/stopwords';
import { getLexicon } from './lexicon/index';
import { HAN_ONLY, segment, subWords, type Token } from './segment';
import { NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, scoreSentiment } from './sentiment';

export { NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD } from './sentiment';

export type Language = 'zh' | 'en' | 'mixed' | 'unknown';
export type SentimentLabel = 'positive' | 'neutral' | 'negative';

export interface TextAnalysis {
  language: Language;
  sentiment: {
    label: SentimentLabel;
    /** -1..1 */
    score: number;
    /** Lexicon terms (with their negators / intensifiers) and sarcasm cues that counted. */
    hits: string[];
  };
  tokens: string[];
  /** Salient content words, deduped, most frequent first, lowercase for English. */
  keywords: string[];
}

export function analyzeText(text: string): TextAnalysis {
  const segs = segmentForLexicon(text);
  const { score, hits } = scoreSentiment(segs, text);
  return {
    language: detectLanguage(text),
    sentiment: { label: labelFor(score), score, hits },
    tokens: contentTokens(segs),
    keywords: extractKeywords(segs),
  };
}

export function labelFor(score: number): SentimentLabel {
  if (score >= POSITIVE_THRESHOLD) return 'positive';
  if (score <= NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}

/**
 * Words and emoji in reading order: Chinese segmented by jieba, everything
 * else split on word boundaries and lowercased; punctuation and URLs dropped.
 */
export function tokenize(text: string): string[] {
  return contentTokens(segmentForLexicon(text));
}

// The lexicon registers its Chinese terms with jieba; make sure that happened
// before the first segmentation so results don't depend on call order.
function segmentForLexicon(text: string): Token[] {
  getLexicon();
  return segment(text);
}

function contentTokens(segs: Token[]): string[] {
  return segs.filter((t) => t.kind !== 'punct').map((t) => t.norm);
}

/** Script-based: Han characters vs Latin words. No model, no dependency. */
export function detectLanguage(text: string): Language {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const latinWords = (text.match(/\p{Script=Latin}+/gu) ?? []).length;
  const otherLetters = (text.match(/[^\p{Script=Han}\p{Script=Latin}\P{L}]/gu) ?? []).length;
  // ~1.5 Han characters carry about one English word of content.
  const zhWeight = han / 1.5;
  const enWeight = latinWords;
  if (zhWeight + enWeight === 0 || otherLetters > han + latinWords * 4) return 'unknown';
  // A lone brand name or loanword ("这个app好卡", "love this 奶茶") doesn't make a post bilingual.
  if (latinWords <= 1 && han >= 3) return 'zh';
  if (han <= 2 && latinWords >= 3) return 'en';
  const zhShare = zhWeight / (zhWeight + enWeight);
  if (zhShare >= 0.8) return 'zh';
  if (zhShare <= 0.2) return 'en';
  return 'mixed';
}

function extractKeywords(segs: Token[]): string[] {
  const lex = getLexicon();
  const counts = new Map<string, number>();
  for (const t of segs) {
    if (t.kind === 'punct' || t.kind === 'emoji') continue;
    const w = t.norm;
    if (STOPWORDS.has(w) || lex.negators.has(w) || lex.degree.has(w) || lex.contrast.has(w)) continue;
    if (/^[\p{N}\p{P}_]+$/u.test(w)) continue; // numbers, "_"
    if (w.length < 2) continue; // single Han characters are mostly function words; single letters noise
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  // Map iteration is insertion order, and sort is stable: ties keep first appearance.
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
}

export interface KeywordMatchOptions {
  /** keyword -> alternatives that count as that keyword (e.g. { 退款: ['退钱', 'refund'] }). */
  synonyms?: Record<string, string[]>;
  /** 'any' (default): one keyword suffices; 'all': every keyword must be found. */
  mode?: 'any' | 'all';
}

/**
 * Token-aligned matching: a keyword (or synonym) matches when it spells out a
 * contiguous run of the text's tokens with its boundaries on token boundaries.
 * So "cat" never matches "category" and 市长 never matches 南京市|长江大桥, but a
 * Chinese keyword the segmenter splits (客服|态度) still matches, however the
 * text happens to be segmented. A Chinese keyword also matches a dictionary
 * sub-word of a longer token (手机 in 新手机).
 */
export function matchKeywords(
  text: string,
  keywords: string[],
  opts: KeywordMatchOptions = {},
): { matched: boolean; found: string[] } {
  const tokens = tokenize(text);
  let inner: Set<string> | undefined; // sub-words of long Han tokens, computed only if needed
  const has = (alt: string): boolean => {
    const needle = normalizeKeyword(alt);
    if (containsAligned(tokens, needle)) return true;
    if (!HAN_ONLY.test(needle)) return false;
    inner ??= new Set(tokens.filter((t) => t.length > 2 && HAN_ONLY.test(t)).flatMap(subWords));
    return inner.has(needle);
  };
  const found = keywords.filter((kw) => [kw, ...(opts.synonyms?.[kw] ?? [])].some(has));
  const matched = opts.mode === 'all' ? keywords.length > 0 && found.length === keywords.length : found.length > 0;
  return { matched, found };
}

// Keyword lists come from journey configs and repeat on every event; segmenting
// them once is worth a small bounded cache.
const keywordCache = new Map<string, string>();
function normalizeKeyword(kw: string): string {
  let n = keywordCache.get(kw);
  if (n === undefined) {
    if (keywordCache.size >= 5000) keywordCache.clear();
    n = tokenize(kw).join('');
    keywordCache.set(kw, n);
  }
  return n;
}

function containsAligned(tokens: string[], needle: string): boolean {
  if (!needle) return false;
  for (let i = 0; i < tokens.length; i++) {
    if (!needle.startsWith(tokens[i])) continue;
    let acc = '';
    for (let j = i; j < tokens.length && acc.length < needle.length; j++) {
      acc += tokens[j];
      if (acc === needle) return true;
      if (!needle.startsWith(acc)) break;
    }
  }
  return false;
}
