import { NodeError, defineRuntime } from '../../contract';
import { inWindow, isValidTimeZone } from '../../time-window';
import { filterBusinessHours } from './manifest';

export default defineRuntime(filterBusinessHours, (ctx) => {
  const { days, start, end, timezone = 'contact', workspaceTimezone = 'Asia/Shanghai' } = ctx.config;
  const contactTz = typeof ctx.contact.profile.timezone === 'string' && isValidTimeZone(ctx.contact.profile.timezone) ? ctx.contact.profile.timezone : undefined;
  const tz = timezone === 'contact' ? (contactTz ?? workspaceTimezone) : timezone;
  if (!isValidTimeZone(tz)) throw new NodeError('invalid_timezone', `unknown time zone "${tz}"`, { field: 'timezone' });
  const result = inWindow(ctx.now, { days, start, end }, tz);
  return { port: result ? 'inside' : 'outside', evaluated: { timezone: tz, at: ctx.now.toISOString(), window: { days, start, end }, result } };
});
