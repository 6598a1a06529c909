// Sentiment benchmark: precision / recall per class on the development set and the held-out set.
// Run: npx tsx test/bench/sentiment-eval.ts   (add --errors to list the misclassified posts)
import fs from 'node:fs';
import path from 'node:path';
import { evaluateSentiment, formatEvaluation, type LabelledSample } from '../../nodes/text/evaluate';

const dataDir = path.resolve(import.meta.dirname, '../data');
const showErrors = process.argv.includes('--errors');

for (const [name, file] of [['development set', 'sentiment-labelled.json'], ['held-out set', 'sentiment-holdout.json']] as const) {
  const samples = JSON.parse(fs.readFileSync(path.join(dataDir, file), 'utf8')) as LabelledSample[];
  const started = performance.now();
  const result = evaluateSentiment(samples);
  const ms = performance.now() - started;
  console.log(`\n=== ${name}: test/data/${file} (${(ms / samples.length).toFixed(2)} ms/post) ===`);
  console.log(formatEvaluation(result));
  if (showErrors) for (const e of result.errors) console.log(`  [${e.lang}] expected ${e.expected}, got ${e.got} (${e.score.toFixed(2)}): ${e.text}`);
}
