import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { filterBusinessHours } from './manifest';
import businessHours from './run';

describe('filter.business-hours', () => {
  const config = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
  // 2024-06-03 is a Monday; 02:00Z = 10:00 in Shanghai, 22:00 (Sunday) in New York.
  const now = new Date('2024-06-03T02:00:00Z');

  it("uses the contact's time zone, else the workspace's", async () => {
    expect((await runNode(filterBusinessHours, businessHours, { config, now })).port).toBe('inside');
    expect((await runNode(filterBusinessHours, businessHours, { config, now, contact: { profile: { timezone: 'America/New_York' } } })).port).toBe('outside');
    expect((await runNode(filterBusinessHours, businessHours, { config: { ...config, timezone: 'Europe/London' }, now })).port).toBe('outside');
  });

  it('fails clearly on an unknown time zone', async () => {
    await expect(runNode(filterBusinessHours, businessHours, { config: { ...config, timezone: 'Mars/Olympus' }, now })).rejects.toThrow(/time zone/);
  });
});
