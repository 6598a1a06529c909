import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { filterConsent } from './manifest';
import consent from './run';

describe('filter.consent', () => {
  it('says no for an opted-out channel and, in strict mode, without explicit consent', async () => {
    const optedOut = { email: { status: 'opted_out' as const, at: '2024-01-01T00:00:00Z' } };
    expect((await runNode(filterConsent, consent, { config: { channel: 'email' }, contact: { consent: optedOut } })).port).toBe('no');
    expect((await runNode(filterConsent, consent, { config: {}, contact: { consent: optedOut }, event: { channel: 'weibo' } })).port).toBe('yes');
    expect((await runNode(filterConsent, consent, { config: { channel: 'sms', require: 'opted_in' } })).port).toBe('no');
  });
});
