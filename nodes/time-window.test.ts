import { describe, expect, it } from 'vitest';
import { inWindow, nextWindowStart, quietHoursEnd } from './time-window';

const weekdays9to18 = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };

describe('time windows', () => {
  it('finds the next opening in the given time zone', () => {
    // Saturday 2026-11-21 12:00 UTC = 20:00 in Shanghai → next window Monday 09:00 Shanghai = 01:00 UTC.
    const at = new Date('2026-11-21T12:00:00Z');
    expect(nextWindowStart(at, weekdays9to18, 'Asia/Shanghai').toISOString()).toBe('2026-11-23T01:00:00.000Z');
    // Inside the window: now.
    const inside = new Date('2026-11-23T02:00:00Z');
    expect(inWindow(inside, weekdays9to18, 'Asia/Shanghai')).toBe(true);
    expect(nextWindowStart(inside, weekdays9to18, 'Asia/Shanghai')).toBe(inside);
  });

  it('handles DST: 09:00 New York is 14:00 UTC in winter and 13:00 in summer', () => {
    expect(nextWindowStart(new Date('2026-11-23T05:00:00Z'), weekdays9to18, 'America/New_York').toISOString()).toBe('2026-11-23T14:00:00.000Z');
    expect(nextWindowStart(new Date('2026-07-06T05:00:00Z'), weekdays9to18, 'America/New_York').toISOString()).toBe('2026-07-06T13:00:00.000Z');
  });

  it('ends quiet hours that cross midnight at their end the next morning', () => {
    const quiet = { start: '22:00', end: '08:00' };
    expect(quietHoursEnd(new Date('2026-11-23T15:00:00Z'), quiet, 'Asia/Shanghai').toISOString()).toBe('2026-11-24T00:00:00.000Z'); // 23:00 → 08:00
    expect(quietHoursEnd(new Date('2026-11-23T19:00:00Z'), quiet, 'Asia/Shanghai').toISOString()).toBe('2026-11-24T00:00:00.000Z'); // 03:00 → 08:00
    const day = new Date('2026-11-23T04:00:00Z'); // 12:00: not quiet
    expect(quietHoursEnd(day, quiet, 'Asia/Shanghai')).toBe(day);
  });
});
