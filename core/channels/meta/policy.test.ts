import { describe, expect, it } from 'vitest';
import { horizonMs, META_REFUSALS, messagingVerdict } from './policy';

const now = new Date('2024-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const H = 3_600_000;

describe('the Meta 24-hour messaging window', () => {
  it('is open for 24 hours after the person\'s last message, on every platform', () => {
    for (const platform of ['messenger', 'instagram', 'whatsapp'] as const) {
      expect(messagingVerdict({ platform, lastInboundAt: ago(23 * H), now })).toEqual({ ok: true, send: 'response', until: new Date(ago(23 * H).getTime() + 24 * H) });
      expect(messagingVerdict({ platform, lastInboundAt: ago(25 * H), now })).toEqual({ ok: false, reason: 'outside_24h_window', lastInboundAt: ago(25 * H) });
      expect(messagingVerdict({ platform, now })).toMatchObject({ ok: false, reason: 'outside_24h_window' });
    }
  });

  it('Messenger and Instagram answer with a configured message tag outside it, within the tag\'s own limit', () => {
    expect(messagingVerdict({ platform: 'messenger', lastInboundAt: ago(3 * 24 * H), now, messageTag: 'HUMAN_AGENT' })).toEqual({ ok: true, send: 'tag', tag: 'HUMAN_AGENT' });
    expect(messagingVerdict({ platform: 'instagram', lastInboundAt: ago(3 * 24 * H), now, messageTag: 'HUMAN_AGENT' })).toEqual({ ok: true, send: 'tag', tag: 'HUMAN_AGENT' });
    expect(messagingVerdict({ platform: 'messenger', lastInboundAt: ago(8 * 24 * H), now, messageTag: 'HUMAN_AGENT' }).ok).toBe(false);
    // Instagram has no other tag; WhatsApp has no tags at all.
    expect(messagingVerdict({ platform: 'instagram', lastInboundAt: ago(30 * H), now, messageTag: 'POST_PURCHASE_UPDATE' }).ok).toBe(false);
    expect(messagingVerdict({ platform: 'messenger', lastInboundAt: ago(30 * 24 * H), now, messageTag: 'POST_PURCHASE_UPDATE' })).toMatchObject({ ok: true, send: 'tag' });
    expect(messagingVerdict({ platform: 'whatsapp', lastInboundAt: ago(30 * H), now, messageTag: 'HUMAN_AGENT' }).ok).toBe(false);
  });

  it('a WhatsApp template goes out whatever the window', () => {
    expect(messagingVerdict({ platform: 'whatsapp', lastInboundAt: ago(30 * 24 * H), now, template: true })).toEqual({ ok: true, send: 'template' });
    expect(messagingVerdict({ platform: 'messenger', lastInboundAt: ago(30 * H), now, template: true }).ok).toBe(false);
  });

  it('reads back as far as the longest tag window, and explains a refusal in both languages', () => {
    expect(horizonMs()).toBe(7 * 24 * H);
    expect(META_REFUSALS.whatsapp.en).toContain('template');
    expect(META_REFUSALS.whatsapp['zh-CN']).toContain('24 小时');
    expect(META_REFUSALS.messenger.en).toContain('HUMAN_AGENT');
  });
});
