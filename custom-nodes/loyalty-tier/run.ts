import { defineRuntime, type Effect } from '../../nodes/contract';
import { loyaltyTier, loyaltyTierV1 } from './manifest';

export const loyaltyTierV1Runtime = defineRuntime(loyaltyTierV1, (ctx) => {
  const value = ctx.contact.scores[ctx.config.score] ?? 0;
  const vip = value >= ctx.config.vipAt;
  return { port: vip ? 'vip' : 'regular', evaluated: { score: ctx.config.score, value, vipAt: ctx.config.vipAt } };
});

export const loyaltyTierRuntime = defineRuntime(loyaltyTier, (ctx) => {
  const { score, tiers, setField } = ctx.config;
  const value = ctx.contact.scores[score] ?? 0;
  const tier = tiers.find((t) => t.min === undefined || value >= t.min);
  const effects: Effect[] = tier && setField ? [{ kind: 'contact.set', fields: { [setField]: tier.id } }] : [];
  return { port: tier?.id ?? 'none', effects, evaluated: { score, value, tier: tier?.id ?? null } };
});
