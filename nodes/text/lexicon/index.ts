// Compiles the human-edited lexicons into lookup structures once, on first use.
import { addUserWords, segment } from '../segment';
import { emojiNegative, emojiPositive } from './emoji';
import { en } from './en';
import type { LexiconSource } from './types';
import { zh } from './zh';

export interface CompiledLexicon {
  /** Signed weight per normalized term (positive > 0 > negative). */
  weights: Map<string, number>;
  unflippable: Set<string>;
  predicativeOnly: Set<string>;
  patterns: { pattern: RegExp; weight: number }[];
  negators: Set<string>;
  degree: Map<string, number>;
  contrast: Set<string>;
  clauseInitialContrast: Set<string>;
  /** Multi-token keys (e.g. "can't wait", "a bit"), indexed by first token, longest first. */
  phrases: Map<string, { parts: string[]; key: string }[]>;
  sarcasm: LexiconSource['sarcasm'];
}

let compiled: CompiledLexicon | undefined;

export function getLexicon(): CompiledLexicon {
  return (compiled ??= compile([zh, en]));
}

function compile(sources: LexiconSource[]): CompiledLexicon {
  const lex: CompiledLexicon = {
    weights: new Map(),
    unflippable: new Set(),
    predicativeOnly: new Set(),
    patterns: [],
    negators: new Set(),
    degree: new Map(),
    contrast: new Set(),
    clauseInitialContrast: new Set(),
    phrases: new Map(),
    sarcasm: [],
  };
  const setWeight = (term: string, w: number) => lex.weights.set(term.toLowerCase(), w);
  for (const src of sources) {
    for (const [t, w] of Object.entries(src.positive)) setWeight(t, w);
    for (const [t, w] of Object.entries(src.negative)) setWeight(t, -w);
    for (const t of src.unflippable ?? []) lex.unflippable.add(t);
    for (const t of src.predicativeOnly ?? []) lex.predicativeOnly.add(t);
    for (const t of src.neutral ?? []) setWeight(t, 0);
    lex.patterns.push(...(src.patterns ?? []));
    for (const t of src.negators) lex.negators.add(t);
    for (const [t, s] of Object.entries(src.degree)) lex.degree.set(t, s);
    for (const t of src.contrast) lex.contrast.add(t);
    for (const t of src.clauseInitialContrast ?? []) lex.clauseInitialContrast.add(t);
    lex.sarcasm.push(...src.sarcasm);
  }
  for (const [t, w] of Object.entries(emojiPositive)) setWeight(t, w);
  for (const [t, w] of Object.entries(emojiNegative)) setWeight(t, -w);

  const allTerms = [
    ...lex.weights.keys(), ...lex.negators, ...lex.degree.keys(), ...lex.contrast, ...lex.clauseInitialContrast,
  ];
  // Chinese entries become segmenter words so jieba never splits them
  // (拉胯 instead of 拉|胯); Han-only keys therefore stay single tokens.
  addUserWords(allTerms);
  for (const term of allTerms) {
    if (/\p{Script=Han}/u.test(term)) continue;
    const parts = segment(term).map((t) => t.norm);
    if (parts.length < 2) continue;
    const list = lex.phrases.get(parts[0]) ?? [];
    list.push({ parts, key: term.toLowerCase() });
    list.sort((a, b) => b.parts.length - a.parts.length);
    lex.phrases.set(parts[0], list);
  }
  return lex;
}

