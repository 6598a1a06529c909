import { describe, expect, it } from 'vitest';
import { ConfigInvalidError, runNode } from '../../harness';
import { filterKeyword } from './manifest';
import keyword from './run';

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
