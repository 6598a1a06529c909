import { defineRuntime } from '../../contract';
import { scoringThreshold } from './manifest';

export default defineRuntime(scoringThreshold, (ctx) => {
  const value = ctx.contact.scores[ctx.config.score] ?? 0;
  const result = value >= ctx.config.threshold;
  return { port: result ? 'above' : 'below', evaluated: { score: ctx.config.score, value, threshold: ctx.config.threshold, result } };
});
