import { describe, expect, it } from 'vitest';
import { serviceWindow, WINDOW_REFUSALS } from './policy';

const now = new Date('2024-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const H = 3_600_000;

describe('the customer-service window', () => {
  it('is open for 48 hours after the user\'s last message', () => {
    expect(serviceWindow([{ type: 'social.dm', occurredAt: ago(47 * H) }], now)).toEqual({ open: true, until: new Date(ago(47 * H).getTime() + 48 * H) });
    expect(serviceWindow([{ type: 'social.dm', occurredAt: ago(49 * H) }], now)).toEqual({ open: false, reason: 'outside_48h_window', lastInboundAt: ago(49 * H) });
    expect(serviceWindow([], now)).toEqual({ open: false, reason: 'outside_48h_window', lastInboundAt: undefined });
  });

  it('a menu click, a follow or a scan opens one minute only', () => {
    expect(serviceWindow([{ type: 'wechat.subscribe', occurredAt: ago(30_000) }], now).open).toBe(true);
    expect(serviceWindow([{ type: 'wechat.click', occurredAt: ago(2 * 60_000) }], now).open).toBe(false);
    // The longest window counts: a click after an older message does not shorten it.
    expect(serviceWindow([{ type: 'wechat.click', occurredAt: ago(2 * 60_000) }, { type: 'social.dm', occurredAt: ago(10 * H) }], now).open).toBe(true);
  });

  it('an unfollow closes it until the user comes back', () => {
    const unfollowed = serviceWindow([{ type: 'social.dm', occurredAt: ago(H) }, { type: 'wechat.unsubscribe', occurredAt: ago(30 * 60_000) }], now);
    expect(unfollowed).toMatchObject({ open: false, reason: 'unsubscribed' });
    expect(serviceWindow([{ type: 'wechat.unsubscribe', occurredAt: ago(H) }, { type: 'wechat.subscribe', occurredAt: ago(10_000) }], now).open).toBe(true);
  });

  it('explains a refusal in both languages', () => {
    expect(WINDOW_REFUSALS.outside_48h_window.en).toContain('48 hours');
    expect(WINDOW_REFUSALS.outside_48h_window['zh-CN']).toContain('48 小时');
    expect(WINDOW_REFUSALS.unsubscribed['zh-CN']).toContain('取消关注');
  });
});
