import { describe, expect, it } from 'vitest';
import { ConfigInvalidError, runNode } from '../../harness';
import { analyzeText } from '../../text/analyze';
import { filterSentiment } from './manifest';
import sentiment from './run';

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

  it('reads the analysis ingestion stored with the event rather than analysing the text again', async () => {
    const stored = { language: 'en' as const, sentiment: { label: 'negative' as const, score: -0.8, hits: ['stored'] } };
    const r = await runNode(filterSentiment, sentiment, { config: { label: 'negative' }, event: { text: 'Absolutely love it', analysis: stored } });
    expect(r.port).toBe('yes');
    expect(r.evaluated).toMatchObject({ label: 'negative', score: -0.8, hits: ['stored'] });
  });

  it('rejects a config with an unknown label, naming the field', async () => {
    await expect(run({ label: 'angry' }, 'x')).rejects.toThrow(ConfigInvalidError);
    await expect(run({ label: 'angry' }, 'x')).rejects.toThrow(/\/label/);
  });
});
