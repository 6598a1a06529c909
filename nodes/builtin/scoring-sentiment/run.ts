import { defineRuntime } from '../../contract';
import { round2 } from '../score-name';
import { analysisOf, sourceEvent } from '../text-source';
import { scoringSentiment } from './manifest';

export default defineRuntime(scoringSentiment, (ctx) => {
  const { score, points, direction = 'with', source } = ctx.config;
  const { sentiment } = analysisOf(sourceEvent(ctx, source));
  const delta = round2(points * sentiment.score * (direction === 'against' ? -1 : 1));
  const before = ctx.contact.scores[score] ?? 0;
  const reason = `sentiment ${sentiment.label} (${sentiment.score.toFixed(2)})`;
  return {
    port: 'next',
    effects: delta === 0 ? [] : [{ kind: 'score', name: score, delta, reason }],
    evaluated: { label: sentiment.label, score: sentiment.score, hits: sentiment.hits },
    output: { score, before, delta, after: round2(before + delta) },
  };
});
