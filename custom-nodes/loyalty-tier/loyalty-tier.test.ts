import { describe, expect, it } from 'vitest';
import { runNode } from '../../nodes/harness';
import { upgradeConfig } from '../../nodes/custom/migrations';
import { NodeRegistry } from '../../nodes/registry';
import { loyaltyTier, loyaltyTierV1 } from './manifest';
import { loyaltyTierRuntime, loyaltyTierV1Runtime } from './run';

describe('acme.loyalty-tier (worked example of a custom node)', () => {
  const tiers = [{ id: 'gold', min: 500 }, { id: 'silver', min: 100 }, { id: 'bronze' }];

  it('v2 takes the first tier the score reaches and writes it on the contact', async () => {
    const r = await runNode(loyaltyTier, loyaltyTierRuntime, { config: { score: 'lead', tiers, setField: 'tier' }, contact: { scores: { lead: 120 } } });
    expect(r.port).toBe('silver');
    expect(r.effects).toEqual([{ kind: 'contact.set', fields: { tier: 'silver' } }]);
    const none = await runNode(loyaltyTier, loyaltyTierRuntime, { config: { score: 'lead', tiers: [{ id: 'gold', min: 500 }] }, contact: { scores: { lead: 1 } } });
    expect(none.port).toBe('none');
    expect(none.effects).toEqual([]);
  });

  it('v1 still runs for journeys pinned to it', async () => {
    expect((await runNode(loyaltyTierV1, loyaltyTierV1Runtime, { config: { score: 'lead', vipAt: 100 }, contact: { scores: { lead: 100 } } })).port).toBe('vip');
    expect((await runNode(loyaltyTierV1, loyaltyTierV1Runtime, { config: { score: 'lead', vipAt: 100 }, contact: { scores: { lead: 99 } } })).port).toBe('regular');
  });

  it('rejects an invalid config before running', async () => {
    await expect(runNode(loyaltyTier, loyaltyTierRuntime, { config: { score: 'lead', tiers: [] } as never })).rejects.toThrow(/tiers/);
  });

  it('migrates a v1 config to v2 with the same ports and the same routing', async () => {
    const registry = new NodeRegistry([loyaltyTierV1, loyaltyTier], [loyaltyTierV1Runtime, loyaltyTierRuntime]);
    const up = upgradeConfig(registry, 'acme.loyalty-tier', 1, { score: 'lead', vipAt: 100 });
    expect(up.ok).toBe(true);
    if (!up.ok) return;
    expect(up.version).toBe(2);
    for (const value of [0, 99, 100, 1000]) {
      const v1 = await runNode(loyaltyTierV1, loyaltyTierV1Runtime, { config: { score: 'lead', vipAt: 100 }, contact: { scores: { lead: value } } });
      const v2 = await runNode(loyaltyTier, loyaltyTierRuntime, { config: up.config as never, contact: { scores: { lead: value } } });
      expect(v2.port).toBe(v1.port);
    }
  });
});
