/** A duration as marketers write it ("3 days"), shared by waits, timeouts and windows. */
import type { FromSchema } from 'json-schema-to-ts';

export const durationSchema = {
  type: 'object',
  title: 'Duration',
  properties: {
    amount: { type: 'number', exclusiveMinimum: 0, title: 'Amount' },
    unit: { type: 'string', enum: ['seconds', 'minutes', 'hours', 'days', 'weeks'], title: 'Unit' },
  },
  required: ['amount', 'unit'],
  additionalProperties: false,
} as const;

export type Duration = FromSchema<typeof durationSchema>;

const UNIT_MS: Record<Duration['unit'], number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 };

export function durationMs(d: Duration): number {
  return Math.round(d.amount * UNIT_MS[d.unit]);
}
