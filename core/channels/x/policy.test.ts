import { describe, expect, it } from 'vitest';
import { dmVerdict, postLength, postVerdict, X_POLICY, X_REFUSALS } from './policy';

const none = { postsInWindow: () => 0, duplicate: false };

describe('the X sending policy', () => {
  it('counts code points, and every URL as 23', () => {
    expect(postLength('héllo 👋')).toBe(7);
    expect(postLength(`see https://example.com/${'a'.repeat(100)} now`)).toBe(4 + 23 + 4);
    expect(postVerdict({ text: 'x'.repeat(280), ...none })).toEqual({ ok: true });
    expect(postVerdict({ text: 'x'.repeat(281), ...none })).toMatchObject({ ok: false, reason: 'x_too_long', params: { length: 281, max: 280 } });
    expect(postVerdict({ text: `${'x'.repeat(256)} https://example.com/${'a'.repeat(300)}`, ...none }).ok).toBe(true);
  });

  it('bounds posts by the plan, and refuses the same text again', () => {
    expect(postVerdict({ text: 'hi', plan: 'free', postsInWindow: () => 17, duplicate: false })).toMatchObject({ ok: false, reason: 'x_reply_limit', params: { plan: 'free', max: 17 } });
    expect(postVerdict({ text: 'hi', plan: 'free', postsInWindow: () => 16, duplicate: false }).ok).toBe(true);
    // Pro counts a 15-minute window, not a day.
    expect(postVerdict({ text: 'hi', plan: 'pro', postsInWindow: (ms) => (ms === 15 * 60_000 ? 100 : 0), duplicate: false })).toMatchObject({ reason: 'x_reply_limit', params: { window: '15 minutes' } });
    expect(postVerdict({ text: 'hi', plan: 'enterprise', postsInWindow: () => 10_000, duplicate: false }).ok).toBe(true);
    expect(postVerdict({ text: 'hi', ...none, duplicate: true })).toMatchObject({ ok: false, reason: 'x_duplicate_content' });
    expect(X_POLICY.defaultPlan).toBe('basic');
  });

  it('DMs only someone who DMed the account, and explains refusals in both languages', () => {
    expect(dmVerdict({ text: 'hi', hasInboundDm: true })).toEqual({ ok: true });
    expect(dmVerdict({ text: 'hi', hasInboundDm: false })).toMatchObject({ ok: false, reason: 'x_no_dm_conversation' });
    expect(dmVerdict({ text: 'x'.repeat(10_001), hasInboundDm: true })).toMatchObject({ reason: 'x_too_long' });
    expect(X_REFUSALS.x_too_long({ length: 300, max: 280 })['zh-CN']).toContain('280');
    expect(X_REFUSALS.x_no_dm_conversation({}).en).toContain('DM');
  });
});
