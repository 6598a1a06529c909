import { defineRuntime } from '../../contract';
import { scoringPoints } from './manifest';

export default defineRuntime(scoringPoints, (ctx) => {
  const { score, points, reason } = ctx.config;
  const before = ctx.contact.scores[score] ?? 0;
  return {
    port: 'next',
    effects: [{ kind: 'score', name: score, delta: points, reason }],
    output: { score, before, after: before + points },
  };
});
