/** The module Journeys loads: every manifest and runtime it exports is registered (both versions here). */
export { loyaltyTier, loyaltyTierV1 } from './manifest';
export { loyaltyTierRuntime, loyaltyTierV1Runtime } from './run';
