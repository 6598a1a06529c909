import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { flowExperiment } from './manifest';
import experiment from './run';

describe('flow.experiment', () => {
  it('takes the arm the experiment service picks and declares one port per path', async () => {
    const config = { branches: [{ id: 'a', label: 'Coupon' }, { id: 'b', label: 'Free shipping' }], evaluation: { amount: 3, unit: 'days' as const } };
    const r = await runNode(flowExperiment, experiment, { config, experiment: (req) => ({ arm: req.arms[1].id, phase: 'winner' }) });
    expect(r).toMatchObject({ port: 'b', output: { phase: 'winner' } });
  });
});
