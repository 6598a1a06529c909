// Scores the sentiment analyzer against a labelled set. Pure: callers load the data.
import { analyzeText, type SentimentLabel } from './analyze';

export interface LabelledSample {
  text: string;
  label: SentimentLabel;
  lang: string;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationResult {
  n: number;
  accuracy: number;
  perClass: Record<SentimentLabel, ClassMetrics>;
  perLanguage: Record<string, { accuracy: number; n: number }>;
  /** confusion[gold][predicted] = count */
  confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
  /** Misclassified samples, for eyeballing what the lexicon misses. */
  errors: { text: string; lang: string; expected: SentimentLabel; got: SentimentLabel; score: number; hits: string[] }[];
}

const LABELS: SentimentLabel[] = ['positive', 'neutral', 'negative'];

export function evaluateSentiment(samples: LabelledSample[]): EvaluationResult {
  const confusion = Object.fromEntries(
    LABELS.map((g) => [g, Object.fromEntries(LABELS.map((p) => [p, 0]))]),
  ) as EvaluationResult['confusion'];
  const langs: Record<string, { correct: number; n: number }> = {};
  const errors: EvaluationResult['errors'] = [];
  let correct = 0;

  for (const s of samples) {
    const { label: got, score, hits } = analyzeText(s.text).sentiment;
    confusion[s.label][got]++;
    const l = (langs[s.lang] ??= { correct: 0, n: 0 });
    l.n++;
    if (got === s.label) {
      correct++;
      l.correct++;
    } else {
      errors.push({ text: s.text, lang: s.lang, expected: s.label, got, score, hits });
    }
  }

  const perClass = {} as EvaluationResult['perClass'];
  for (const c of LABELS) {
    const tp = confusion[c][c];
    const predicted = LABELS.reduce((sum, g) => sum + confusion[g][c], 0);
    const support = LABELS.reduce((sum, p) => sum + confusion[c][p], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass[c] = { precision, recall, f1, support };
  }
  const perLanguage = Object.fromEntries(
    Object.entries(langs).map(([lang, v]) => [lang, { accuracy: ratio(v.correct, v.n), n: v.n }]),
  );
  return { n: samples.length, accuracy: ratio(correct, samples.length), perClass, perLanguage, confusion, errors };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export function formatEvaluation(r: EvaluationResult): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  const lines = [`Sentiment evaluation: n=${r.n}  accuracy=${pct(r.accuracy).trim()}`, ''];
  lines.push(`${'class'.padEnd(10)}${'precision'.padStart(10)}${'recall'.padStart(9)}${'f1'.padStart(9)}${'support'.padStart(9)}`);
  for (const c of LABELS) {
    const m = r.perClass[c];
    lines.push(`${c.padEnd(10)}${pct(m.precision).padStart(10)}${pct(m.recall).padStart(9)}${pct(m.f1).padStart(9)}${String(m.support).padStart(9)}`);
  }
  lines.push('', `${'language'.padEnd(10)}${'accuracy'.padStart(10)}${'n'.padStart(6)}`);
  for (const [lang, v] of Object.entries(r.perLanguage)) {
    lines.push(`${lang.padEnd(10)}${pct(v.accuracy).padStart(10)}${String(v.n).padStart(6)}`);
  }
  lines.push('', `confusion (rows = gold, cols = predicted)`, `${''.padEnd(10)}${LABELS.map((l) => l.padStart(10)).join('')}`);
  for (const g of LABELS) {
    lines.push(`${g.padEnd(10)}${LABELS.map((p) => String(r.confusion[g][p]).padStart(10)).join('')}`);
  }
  return lines.join('\n');
}
