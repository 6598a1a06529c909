/**
 * String formats that JSON Schema cannot check by itself, registered on every ajv instance we create (node
 * configs, the journey document, API request schemas, the editor's forms), so an unknown time zone or a broken
 * cron schedule is refused when a draft is saved or published instead of making runs retry forever.
 * Plain functions: the editor runs them too.
 */
import { CronExpressionParser } from 'cron-parser';

const validZones = new Set<string>();

/**
 * An IANA time zone the runtime's Intl knows (`Asia/Shanghai`, `UTC`). Intl also accepts some aliases and other
 * letter cases (`US/Pacific`, `asia/shanghai`): every place that uses the zone resolves them the same way.
 */
export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  if (validZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return false;
  }
  if (validZones.size < 2000) validZones.add(tz);
  return true;
}

/** A time zone, or `contact` (the contact's profile.timezone, else the journey's). */
export function isTimeZoneOrContact(tz: unknown): boolean {
  return tz === 'contact' || isTimeZone(tz);
}

/** A cron schedule the broadcast scheduler can walk (5 fields, or 6 with seconds; `@daily` and the like). */
export function isCron(cron: unknown): boolean {
  if (typeof cron !== 'string' || cron.trim().length === 0 || cron.length > 200) return false;
  try {
    const e = CronExpressionParser.parse(cron, { tz: 'UTC' });
    // The scheduler asks for the previous fire; an expression that never fires (e.g. 30 February) has none.
    e.prev();
    return true;
  } catch {
    return false;
  }
}

/** Format name → check, for ajv's `addFormat` (and rjsf's `customFormats`). */
export const JOURNEY_FORMATS = {
  'time-zone': isTimeZone,
  'time-zone-or-contact': isTimeZoneOrContact,
  cron: isCron,
} as const;
