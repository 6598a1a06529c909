// Lexicon-based sentiment scoring over segmented tokens (Chinese, English,
// emoji, and any mix of them in one pass).
//
// Pipeline: merge multi-word lexicon phrases -> split unknown Chinese tokens
// into modifier prefixes + lexicon word -> score each sentiment term with the
// negators / degree adverbs in front of it -> clause contrast ("but"),
// sarcasm, exclamation -> squash the raw sum into -1..1.
import { getLexicon, type CompiledLexicon } from './lexicon/index';
import type { Token } from './segment';

export const POSITIVE_THRESHOLD = 0.15;
export const NEGATIVE_THRESHOLD = -0.15;

/** Raw sum s maps to s / sqrt(s² + ALPHA): one plain "good" (1.0) lands ≈0.38, faint terms (<0.37) stay neutral. */
const ALPHA = 6;
/** How many tokens back a negator may sit ("don't really think it's good"). */
const NEGATION_WINDOW = 3;
/** Negating a term keeps most but not all of its strength ("not bad" < "good"). */
const NEGATION_FACTOR = -0.75;
/** Negating an intensified term ("not very good", 不太好) leaves a mild opposite. */
const NEGATED_DEGREE_FACTOR = -0.5;
const MAX_REPEATS = 3;
const MAX_NEGATED_WEIGHT = 1.6;
/** Opinion words inside a genuine question count this much ("is it worth it?"). */
const QUESTION_FACTOR = 0.2;

const CLAUSE_BREAK = new Set([',', '.', '!', '?', ';', ':', '。', '、', '…', '~', '～', '\n', '|']);
const SENTENCE_END = new Set(['.', '!', '?', '。', '\n']);
const CN_PARTICLES = /[了的啊呀啦吧哦呢嘛]$/u;
const SUFFIX_INTENSIFIERS = /(死|爆|炸|透|极)$/u;
const FILLER = /^[的地得了着过也都还就]$/u;
const PARTICLE = /^[了的啊呀啦吧哦呢嘛哈]+$/u;

export interface SentimentResult {
  score: number;
  hits: string[];
}

interface Contribution {
  value: number;
  at: number;
}

export function scoreSentiment(tokens: Token[], text: string): SentimentResult {
  const lex = getLexicon();
  const toks = splitChinese(mergePhrases(tokens, lex), lex);
  const contributions: Contribution[] = [];
  const hits: string[] = [];
  const seen = new Map<string, number>();
  const allCaps = text === text.toUpperCase();
  let lastContrast = -1;

  let sentence: Contribution[] = [];
  let rhetorical = false;

  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    // Sentence-final 吗 marks a yes/no question just like "?" does.
    const question = t.norm === '?' || (t.norm === '吗' && endsClause(toks, i + 1) && toks[i + 1]?.norm !== '?');
    if (t.kind === 'punct' || question) {
      if (question) {
        // A lone "?" is a genuine question: opinion words in it are mostly hypothetical
        // ("有什么推荐吗?", "is a refund possible?"). "??" / "???" is exasperation.
        if (toks[i + 1]?.norm === '?' || toks[i - 1]?.norm === '?') rhetorical = true;
        else for (const c of sentence) c.value *= QUESTION_FACTOR;
      }
      if (SENTENCE_END.has(t.norm)) sentence = [];
      continue;
    }
    if (lex.contrast.has(t.norm) || (lex.clauseInitialContrast.has(t.norm) && startsClause(toks, i))) lastContrast = i;
    const w = lex.weights.get(t.norm);
    if (!w) continue; // unknown, or a weight-0 neutral expression
    // 好贵 / "pretty bad": a degree word right before a sentiment term is an adverb, not praise.
    if (lex.degree.has(t.norm) && lex.weights.get(toks[i + 1]?.norm)) continue;
    if (lex.predicativeOnly.has(t.norm) && !endsClause(toks, i + 1)) continue;

    const n = (seen.get(t.norm) ?? 0) + 1;
    seen.set(t.norm, n);
    if (n > MAX_REPEATS) continue; // "😡😡😡😡😡😡" is angry, not six times angrier

    // Emoji are reactions to the whole post; "不给换 😡" does not negate the 😡.
    const { factor, from } = t.kind === 'emoji' ? { factor: 1, from: i } : modifiers(toks, i, lex);
    // Negating a strong word gives a moderate opposite: "not the worst" is not praise-grade.
    const base = factor < 0 ? Math.sign(w) * Math.min(Math.abs(w), MAX_NEGATED_WEIGHT) : w;
    let value = base * (lex.unflippable.has(t.norm) ? Math.abs(factor) : factor);
    // ALL-CAPS word in a not-all-caps post is shouting.
    if (!allCaps && t.kind === 'word' && t.raw.length >= 3 && t.raw === t.raw.toUpperCase() && /\p{Lu}/u.test(t.raw)) {
      value *= 1.3;
    }
    const c = { value, at: i };
    contributions.push(c);
    sentence.push(c);
    hits.push(span(toks, from, i));
  }

  // The clause after "but / 但是" carries the verdict: "nice box, but it broke in a day".
  if (lastContrast >= 0) {
    for (const c of contributions) c.value *= c.at < lastContrast ? 0.5 : 1.5;
  }

  let sum = 0;
  const hasNegative = contributions.some((c) => c.value < 0);
  const lower = text.normalize('NFKC').toLowerCase();
  const cues = lex.sarcasm.filter((s) => (!s.whenNegative || hasNegative) && s.pattern.test(lower));
  if (cues.length > 0) {
    // Praise words in a sarcastic post are the irony itself; keep only a trace of them.
    for (const c of contributions) if (c.value > 0) c.value *= 0.3;
    sum -= 1.5 * Math.min(cues.length, 2);
    for (const s of cues) hits.push(`sarcasm:${lower.match(s.pattern)?.[0] ?? ''}`);
  }
  for (const c of contributions) sum += c.value;
  for (const p of lex.patterns) {
    const m = lower.match(p.pattern);
    if (!m) continue;
    sum += p.weight;
    hits.push(`pattern:${m[0]}`);
  }
  if (rhetorical) {
    sum -= 0.8;
    hits.push('??');
  }

  // Exclamation marks amplify whatever direction the post already has.
  const bangs = Math.min((text.match(/[!！]/g) ?? []).length, 4);
  if (sum !== 0) sum += Math.sign(sum) * 0.2 * bangs;

  const score = sum / Math.sqrt(sum * sum + ALPHA);
  return { score: Math.round(score * 1000) / 1000, hits };
}

/**
 * Walks back from a sentiment term over negators and degree adverbs.
 * Degree adverbs must be adjacent (only other modifiers in between);
 * negators may be a few words away ("I don't think it's good").
 */
function modifiers(toks: Token[], i: number, lex: CompiledLexicon): { factor: number; from: number } {
  let factor = 1;
  let from = i;
  let adjacent = true;
  let degreeSeen = false;
  for (let j = i - 1, steps = 0; j >= 0 && steps < NEGATION_WINDOW; j--) {
    const norm = toks[j].norm;
    if (!FILLER.test(norm)) steps++; // 没有想象的那么好: 的 doesn't use up the window
    if (toks[j].kind === 'punct' && CLAUSE_BREAK.has(norm)) break;
    if (isNegator(norm, lex)) {
      factor = degreeSeen ? NEGATED_DEGREE_FACTOR * Math.sign(factor) : factor * NEGATION_FACTOR;
      degreeSeen = false;
      from = j;
    } else if (adjacent && lex.degree.has(norm)) {
      factor *= lex.degree.get(norm)!;
      degreeSeen = true;
      from = j;
    } else if (lex.weights.has(norm) || lex.contrast.has(norm)) {
      break; // don't reach across another opinion or clause
    } else {
      adjacent = false;
    }
  }
  return { factor, from };
}

function startsClause(toks: Token[], i: number): boolean {
  return i === 0 || (toks[i - 1].kind === 'punct' && CLAUSE_BREAK.has(toks[i - 1].norm));
}

/** True if nothing but particles stand between position i and the end of the clause. */
function endsClause(toks: Token[], i: number): boolean {
  for (; i < toks.length; i++) {
    if (toks[i].kind === 'punct' && CLAUSE_BREAK.has(toks[i].norm)) return true;
    if (toks[i].kind === 'emoji') continue;
    if (!PARTICLE.test(toks[i].norm)) return false;
  }
  return true;
}

function isNegator(norm: string, lex: CompiledLexicon): boolean {
  return lex.negators.has(norm) || norm.endsWith("n't");
}

function span(toks: Token[], from: number, to: number): string {
  let s = '';
  for (let k = from; k <= to; k++) {
    const t = toks[k];
    if (s && t.kind === 'word' && toks[k - 1].kind === 'word') s += ' ';
    s += t.norm;
  }
  return s;
}

/** Merges token runs that spell a multi-word lexicon key ("can't wait", "a bit", "10/10"). */
function mergePhrases(tokens: Token[], lex: CompiledLexicon): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const candidates = lex.phrases.get(tokens[i].norm);
    const hit = candidates?.find((p) => p.parts.every((part, k) => tokens[i + k]?.norm === part));
    if (!hit) {
      out.push(tokens[i]);
      continue;
    }
    const parts = tokens.slice(i, i + hit.parts.length);
    out.push({ norm: hit.key, raw: parts.map((p) => p.raw).join(' '), kind: 'word' });
    i += hit.parts.length - 1;
  }
  return out;
}

/**
 * jieba keeps common fused forms like 不太好 / 好贵 / 坏了 as one token. Split an
 * unknown Han token into known modifier prefixes + a lexicon word (and drop a
 * trailing particle) so negation and degree logic can see them.
 */
function splitChinese(tokens: Token[], lex: CompiledLexicon): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const parts = t.kind === 'han' && !known(t.norm, lex) ? decompose(t.norm, lex, 0) : undefined;
    if (parts) for (const p of parts) out.push({ norm: p, raw: p, kind: 'han' });
    else out.push(t);
  }
  return out;
}

function known(w: string, lex: CompiledLexicon): boolean {
  return lex.weights.has(w) || lex.negators.has(w) || lex.degree.has(w) || lex.contrast.has(w);
}

function decompose(w: string, lex: CompiledLexicon, depth: number): string[] | undefined {
  if (lex.weights.has(w)) return [w];
  if (depth > 2 || w.length < 2) return undefined;
  // Resultative intensifiers: 慢死了 / 气炸 / 好吃爆 read as 死慢 / 超气 / 超好吃.
  const suffix = SUFFIX_INTENSIFIERS.exec(w);
  if (suffix && lex.weights.has(w.slice(0, suffix.index))) return [suffix[0] === '死' ? '死' : '超', w.slice(0, suffix.index)];
  if (CN_PARTICLES.test(w)) {
    const core = decompose(w.slice(0, -1), lex, depth + 1);
    if (core) return core;
  }
  // Longest modifier prefix first: 不是 before 不.
  for (let len = Math.min(4, w.length - 1); len >= 1; len--) {
    const prefix = w.slice(0, len);
    if (!lex.negators.has(prefix) && !lex.degree.has(prefix)) continue;
    const rest = decompose(w.slice(len), lex, depth + 1);
    if (rest) return [prefix, ...rest];
  }
  return undefined;
}
