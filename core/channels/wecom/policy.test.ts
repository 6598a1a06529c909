import { describe, expect, it } from 'vitest';
import { MASS_MESSAGE_POLICY, policyDay, WECOM_REFUSALS, WELCOME_POLICY, welcomeVerdict } from './policy';

const at = new Date('2024-06-01T12:00:00Z');

describe('the welcome code', () => {
  it('is good within 20 s of the callback (a second less, for the clocks), once WeCom gave one', () => {
    const event = (agoMs: number, welcomeCode?: string) => ({ type: 'wecom.contact_added', data: welcomeCode ? { welcomeCode } : {}, receivedAt: new Date(at.getTime() - agoMs) });
    expect(welcomeVerdict(event(5_000, 'CODE'), at)).toEqual({ ok: true, welcomeCode: 'CODE' });
    expect(welcomeVerdict(event(WELCOME_POLICY.validForMs - WELCOME_POLICY.safetyMarginMs, 'CODE'), at).ok).toBe(true);
    expect(welcomeVerdict(event(19_500, 'CODE'), at)).toEqual({ ok: false, reason: 'welcome_code_expired' });
    expect(welcomeVerdict(event(1_000), at)).toEqual({ ok: false, reason: 'no_welcome_code' });
  });
});

describe('the mass-message day', () => {
  it('is a day of China Standard Time', () => {
    expect(MASS_MESSAGE_POLICY).toEqual({ perCustomerPerDay: 1, timeZone: 'Asia/Shanghai' });
    expect(policyDay(new Date('2024-06-01T15:59:59Z'))).toBe('2024-06-01');
    expect(policyDay(new Date('2024-06-01T16:00:00Z'))).toBe('2024-06-02');
  });
});

describe('refusals', () => {
  it('are explained in both languages', () => {
    for (const text of Object.values(WECOM_REFUSALS)) {
      expect(text.en).toMatch(/^not sent: /);
      expect(text['zh-CN']).toMatch(/^未发送：/);
    }
    expect(WECOM_REFUSALS.mass_message_daily_limit['zh-CN']).toContain('每天最多');
    expect(WECOM_REFUSALS.welcome_code_expired.en).toContain('20 seconds');
  });
});
