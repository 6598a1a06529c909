import { describe, expect, it } from 'vitest';
import { distinctName, MAX_NAME } from './journey-names';

describe('distinct journey names', () => {
  it('names a copy as one, numbering further copies, in both languages', () => {
    expect(distinctName('Welcome drip', ['Welcome drip'], 'copy', 'en', { alwaysSuffix: true })).toBe('Welcome drip (copy)');
    expect(distinctName('Welcome drip', ['Welcome drip', 'Welcome drip (copy)'], 'copy', 'en', { alwaysSuffix: true })).toBe('Welcome drip (copy 2)');
    expect(distinctName('欢迎培育', ['欢迎培育'], 'copy', 'zh-CN', { alwaysSuffix: true })).toBe('欢迎培育（副本）');
  });

  it('keeps an import or template draft name while it is free, and suffixes it when taken', () => {
    expect(distinctName('Rescue', ['Other'], 'imported', 'en')).toBe('Rescue');
    expect(distinctName('Rescue', ['Rescue'], 'imported', 'en')).toBe('Rescue (imported)');
    expect(distinctName('Rescue', ['Rescue'], 'imported', 'zh-CN')).toBe('Rescue（导入）');
    expect(distinctName('Rescue', ['Rescue', 'Rescue（导入）'], 'imported', 'zh-CN')).toBe('Rescue（导入 2）');
  });

  it('stays within the name length the journey schema allows', () => {
    const long = 'x'.repeat(MAX_NAME);
    const name = distinctName(long, [long], 'copy', 'en');
    expect(name.length).toBeLessThanOrEqual(MAX_NAME);
    expect(name.endsWith(' (copy)')).toBe(true);
  });
});
