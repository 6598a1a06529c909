import type { RunContext } from '../contract';

/** The variables rules and templates see: `contact.*`, `event.*` (latest event) and `trigger.*`. */
export function scopeOf(ctx: Pick<RunContext<unknown>, 'contact' | 'event' | 'trigger'>): Record<string, unknown> {
  return { contact: ctx.contact, event: ctx.event, trigger: ctx.trigger };
}
