import { NodeError, defineRuntime } from '../../contract';
import { durationMs, type Duration } from '../../duration';
import { flowExperiment } from './manifest';

export default defineRuntime(flowExperiment, async (ctx) => {
  if (!ctx.services.experiment) throw new NodeError('unsupported', 'this engine has no experiment service');
  const arms = ctx.config.branches.map((b) => ({ id: b.id, weight: b.weight ?? 1 }));
  const choice = await ctx.services.experiment({ arms, windowMs: durationMs(ctx.config.evaluation as Duration), minPerArm: ctx.config.minPerPath ?? 20 });
  return { port: choice.arm, output: { ...choice } };
});
