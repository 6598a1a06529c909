import { describe, expect, it } from 'vitest';
import { ConfigInvalidError, runNode } from '../../nodes/harness';
import { filterBusinessHours } from '../../nodes/builtin/filter-business-hours/manifest';
import businessHours from '../../nodes/builtin/filter-business-hours/run';
import { filterChannel } from '../../nodes/builtin/filter-channel/manifest';
import channel from '../../nodes/builtin/filter-channel/run';
import { filterCondition } from '../../nodes/builtin/filter-condition/manifest';
import condition from '../../nodes/builtin/filter-condition/run';
import { filterConsent } from '../../nodes/builtin/filter-consent/manifest';
import consent from '../../nodes/builtin/filter-consent/run';
import { filterKeyword } from '../../nodes/builtin/filter-keyword/manifest';
import keyword from '../../nodes/builtin/filter-keyword/run';
import { filterSegment } from '../../nodes/builtin/filter-segment/manifest';
import segment from '../../nodes/builtin/filter-segment/run';
import { filterSentiment } from '../../nodes/builtin/filter-sentiment/manifest';
import sentiment from '../../nodes/builtin/filter-sentiment/run';
import { analyzeText } from '../../nodes/text/analyze';

describe('filter.sentiment', () => {
  const run = (config: any, text: string) => runNode(filterSentiment, sentiment, { config, event: { text } });

  it('routes a Chinese complaint and an English rave by label', async () => {
    expect((await run({ label: 'negative' }, '客服态度太差了，再也不买了😡')).port).toBe('yes');
    expect((await run({ label: 'negative' }, 'Absolutely love the new update, great job!')).port).toBe('no');
    expect((await run({ label: 'positive' }, 'Absolutely love the new update, great job!')).port).toBe('yes');
    expect((await run({ label: 'neutral' }, '请问周末营业吗')).port).toBe('yes');
  });

  it('applies a strength threshold and explains itself with the same analysis the API returns', async () => {
    const text = '质量一般吧';
    const a = analyzeText(text).sentiment;
    const r = await run({ label: 'negative', threshold: 0.9 }, '垃圾产品，骗子，千万别买！！');
    expect(r.port).toBe('yes');
    const weak = await run({ label: 'negative', threshold: 0.99 }, text);
    expect(weak.port).toBe('no');
    expect(weak.evaluated).toMatchObject({ label: a.label, score: a.score });
  });

  it('handles negation ("not bad" is not negative)', async () => {
    expect((await run({ label: 'negative' }, '还不错，没那么差')).port).toBe('no');
    expect((await run({ label: 'negative' }, 'not bad at all')).port).toBe('no');
  });

  it('reads the trigger text when asked', async () => {
    const r = await runNode(filterSentiment, sentiment, { config: { label: 'negative', source: 'trigger' }, trigger: { text: '太烂了' }, event: { text: '谢谢' } });
    expect(r.port).toBe('yes');
  });

  it('rejects a config with an unknown label, naming the field', async () => {
    await expect(run({ label: 'angry' }, 'x')).rejects.toThrow(ConfigInvalidError);
    await expect(run({ label: 'angry' }, 'x')).rejects.toThrow(/\/label/);
  });
});

describe('filter.keyword', () => {
  const run = (config: any, text: string) => runNode(filterKeyword, keyword, { config, event: { text } });

  it('segments Chinese and respects English word boundaries', async () => {
    expect((await run({ keywords: ['退款'] }, '我要退款，东西坏了')).port).toBe('yes');
    expect((await run({ keywords: ['cat'] }, 'wrong category again')).port).toBe('no');
    expect((await run({ keywords: ['cat'] }, 'my cat loves it')).port).toBe('yes');
  });

  it('counts synonyms as the keyword and supports all-of', async () => {
    const r = await run({ keywords: ['退款'], synonyms: { 退款: ['退钱', 'refund'] } }, 'I want a refund now');
    expect(r.port).toBe('yes');
    expect(r.evaluated).toMatchObject({ found: ['退款'] });
    expect((await run({ keywords: ['退款', '物流'], mode: 'all' }, '物流太慢')).port).toBe('no');
    expect((await run({ keywords: ['退款', '物流'], mode: 'all' }, '物流太慢，我要退款')).port).toBe('yes');
  });

  it('matches built-in intents in both languages', async () => {
    expect((await run({ intents: ['refund'] }, '能不能退钱')).port).toBe('yes');
    expect((await run({ intents: ['shipping', 'refund'] }, 'my package never arrived')).evaluated).toMatchObject({ intents: ['shipping'] });
    expect((await run({ intents: ['complaint'] }, '今天天气不错')).port).toBe('no');
  });

  it('needs keywords or intents', async () => {
    await expect(run({ mode: 'any' }, 'x')).rejects.toThrow(ConfigInvalidError);
  });
});

describe('filter.channel, filter.consent, filter.segment', () => {
  it('routes by the event channel', async () => {
    expect((await runNode(filterChannel, channel, { config: { channels: ['weibo', 'wechat'] }, event: { channel: 'weibo' } })).port).toBe('yes');
    expect((await runNode(filterChannel, channel, { config: { channels: ['x'] }, event: { channel: 'weibo' } })).port).toBe('no');
  });

  it('says no for an opted-out channel and, in strict mode, without explicit consent', async () => {
    const optedOut = { email: { status: 'opted_out' as const, at: '2024-01-01T00:00:00Z' } };
    expect((await runNode(filterConsent, consent, { config: { channel: 'email' }, contact: { consent: optedOut } })).port).toBe('no');
    expect((await runNode(filterConsent, consent, { config: {}, contact: { consent: optedOut }, event: { channel: 'weibo' } })).port).toBe('yes');
    expect((await runNode(filterConsent, consent, { config: { channel: 'sms', require: 'opted_in' } })).port).toBe('no');
  });

  it('checks segment membership with any / all / none', async () => {
    const contact = { segments: ['vip', 'beijing'] };
    expect((await runNode(filterSegment, segment, { config: { segments: ['vip', 'shanghai'] }, contact })).port).toBe('yes');
    expect((await runNode(filterSegment, segment, { config: { segments: ['vip', 'shanghai'], match: 'all' }, contact })).port).toBe('no');
    expect((await runNode(filterSegment, segment, { config: { segments: ['churned'], match: 'none' }, contact })).port).toBe('yes');
  });
});

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

describe('filter.condition (rule builder)', () => {
  it('evaluates nested any/all groups over contact and event fields', async () => {
    const config = {
      conditions: {
        match: 'all' as const,
        groups: [
          { match: 'any' as const, rules: [{ field: 'contact.scores.lead', op: 'gte' as const, value: 50 }, { field: 'contact.tags', op: 'includes' as const, value: ['vip'] }] },
          { rules: [{ field: 'event.data.orderId', op: 'exists' as const }] },
        ],
      },
    };
    const yes = await runNode(filterCondition, condition, { config, contact: { tags: ['vip'] }, event: { data: { orderId: 'o-1' } } });
    expect(yes.port).toBe('yes');
    const no = await runNode(filterCondition, condition, { config, contact: { scores: { lead: 10 } }, event: { data: { orderId: 'o-1' } } });
    expect(no.port).toBe('no');
  });
});
