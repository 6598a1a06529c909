import { defineRuntime } from '../../contract';
import { analysisOf, sourceEvent } from '../text-source';
import { filterSentiment } from './manifest';

export default defineRuntime(filterSentiment, (ctx) => {
  const { label, threshold, source } = ctx.config;
  const { language, sentiment } = analysisOf(sourceEvent(ctx, source));
  let result: boolean;
  if (threshold === undefined) result = sentiment.label === label;
  else if (label === 'negative') result = sentiment.score <= -threshold;
  else if (label === 'positive') result = sentiment.score >= threshold;
  else result = Math.abs(sentiment.score) < threshold;
  return { port: result ? 'yes' : 'no', evaluated: { language, label: sentiment.label, score: sentiment.score, hits: sentiment.hits, wanted: { label, threshold }, result } };
});
