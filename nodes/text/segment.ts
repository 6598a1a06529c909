// Low-level segmentation shared by tokenization, sentiment and keyword matching.
//
// Text is first split by script with one regex pass: Han runs go to jieba,
// Latin words / numbers / emoji / emoticons become tokens directly. Running
// jieba only on Han runs keeps English contractions ("don't") and hyphenated
// words intact, which jieba would otherwise tear apart.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

export type TokenKind = 'han' | 'word' | 'emoji' | 'punct';

export interface Token {
  /** Normalized form: lowercase, curly apostrophe folded, emoji without skin-tone / variation selectors. */
  norm: string;
  /** Original surface text (used for ALL-CAPS emphasis and for explaining hits). */
  raw: string;
  kind: TokenKind;
}

// Words the segmenter must keep whole (slang, lexicon entries). Registered
// before the Jieba instance is first used; see addUserWords().
const pendingWords = new Set<string>();
let jieba: Jieba | undefined;

/**
 * Building the Jieba instance parses a ~5 MB dictionary (hundreds of ms), so
 * it happens once, on first use, not at import time.
 */
function getJieba(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    flushUserWords(jieba);
  }
  return jieba;
}

function flushUserWords(j: Jieba): void {
  if (pendingWords.size === 0) return;
  // A high frequency makes the DAG prefer these words over splits such as
  // 太拉|胯 for 太|拉胯. "n" is a dummy POS tag; we never use tags.
  const lines = [...pendingWords].map((w) => `${w} 20000 n`).join('\n');
  j.loadDict(Buffer.from(lines, 'utf8'));
  pendingWords.clear();
}

/** Teach the segmenter extra multi-character Chinese words (idempotent). */
export function addUserWords(words: Iterable<string>): void {
  for (const w of words) if (HAN_ONLY.test(w) && [...w].length > 1) pendingWords.add(w);
  if (jieba) flushUserWords(jieba);
}

export const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * Dictionary words inside a long Han token (jieba "search mode"): 新手机 -> 新手, 手机.
 * Lets keyword 手机 find 新手机 without falling back to raw substring search,
 * which would also find 市长 in 南京市|长江大桥.
 */
export function subWords(han: string): string[] {
  return getJieba().cutForSearch(han, true);
}

// Order matters: emoji and emoticons before punctuation (":)" is punctuation
// otherwise), Han before the generic letter class.
const EMOJI =
  '\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})*(?:\\u200D\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})*)*';
const EMOTICON = "(?::-?[()DPp/]|:'\\(|;-?\\)|<3|T_T|QAQ|TAT)(?![\\p{L}\\p{N}])";
const HAN = '\\p{Script=Han}+';
const WORD = "[\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{N}_]+(?:['’\\-][\\p{Script=Latin}\\p{N}]+)*";
const OTHER_LETTERS = '[\\p{Script=Hiragana}\\p{Script=Katakana}ー]+|\\p{Script=Hangul}+|\\p{L}+';
const URL = '(?:https?://|www\\.)\\S+';
const SPLITTER = new RegExp(
  `(${URL})|(${EMOJI})|(${EMOTICON})|(${HAN})|(${WORD})|(${OTHER_LETTERS})|(\\S)`,
  'gu',
);

// Skin tones / VS16 / gender ZWJ parts vary between keyboards but not in meaning.
function normalizeEmoji(e: string): string {
  const first = e.match(/\p{Extended_Pictographic}/u);
  return first ? first[0] : e;
}

export function segment(text: string): Token[] {
  const out: Token[] = [];
  const j = text.length > 0 && /\p{Script=Han}/u.test(text) ? getJieba() : undefined;
  for (const m of text.normalize('NFKC').matchAll(SPLITTER)) {
    const [raw, url, emoji, emoticon, han, word, other] = m;
    if (url) continue; // links carry no sentiment and their ":/" would read as an emoticon
    if (emoji) out.push({ norm: normalizeEmoji(emoji), raw, kind: 'emoji' });
    else if (emoticon) out.push({ norm: emoticon.toLowerCase(), raw, kind: 'emoji' });
    else if (han) {
      for (const w of j!.cut(han, true)) out.push({ norm: w, raw: w, kind: 'han' });
    } else if (word || other) out.push({ norm: raw.toLowerCase().replace(/’/g, "'"), raw, kind: 'word' });
    else out.push({ norm: raw, raw, kind: 'punct' });
  }
  return out;
}
