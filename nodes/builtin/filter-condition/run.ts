import { evaluateConditions } from '../../conditions';
import { defineRuntime } from '../../contract';
import { scopeOf } from '../scope';
import { filterCondition } from './manifest';

export default defineRuntime(filterCondition, (ctx) => {
  const evaluation = evaluateConditions(ctx.config.conditions, scopeOf(ctx), ctx.now);
  return { port: evaluation.result ? 'yes' : 'no', evaluated: evaluation };
});
