/**
 * Keys of the per-route rate limits. Both run after authentication (route hooks follow the app's onRequest), so
 * they key on who is calling, not on how the credential was spelled (`Bearer`/`bearer`, extra spaces, cookie or
 * header): every spelling of one credential shares one budget.
 */
import type { FastifyRequest } from 'fastify';

export const INBOUND_WEBHOOKS_PER_MINUTE = Number(process.env.JOURNEYS_INBOUND_RATE_LIMIT ?? 6000);

/** The caller: its workspace and user or token; the address when nobody is signed in. */
export function principalKey(req: FastifyRequest): string {
  const p = req.principal;
  return p ? `${p.workspaceId}|${p.kind}|${p.id}` : `ip|${req.ip}`;
}

/** An inbound platform webhook: its workspace and channel, so one noisy or hostile sender cannot starve others. */
export function inboundKey(req: FastifyRequest): string {
  const params = req.params as { channel?: string; workspaceId?: string };
  return `inbound|${params.workspaceId ?? req.workspaceId}|${params.channel ?? ''}`;
}

export function inboundRateLimit(max = INBOUND_WEBHOOKS_PER_MINUTE) {
  return { max, timeWindow: '1 minute', keyGenerator: inboundKey };
}
