import { describe, expect, it } from 'vitest';
import { createManifestRegistry } from '../../../nodes/catalog';
import { configSummary, durationText } from './config-summary';

describe('a node\'s summary on the canvas', () => {
  it('says a wait\'s duration in the UI language, singular for one', () => {
    expect(durationText(1, 'days', 'en')).toBe('1 day');
    expect(durationText(3, 'days', 'en')).toBe('3 days');
    expect(durationText(1, 'days', 'zh-CN')).toBe('1 天');
    expect(durationText(2, 'weeks', 'zh-CN')).toBe('2 周');
  });

  it('shows an enum value as its label in the UI language', () => {
    const reply = createManifestRegistry().get('response.reply', 1)!;
    const zh = configSummary(reply, { mode: 'dm', message: 'Hi' }, 'zh-CN');
    const en = configSummary(reply, { mode: 'dm', message: 'Hi' }, 'en');
    expect(zh).not.toContain('dm ·');
    expect(en).not.toContain('dm ·');
    expect(zh.endsWith('Hi')).toBe(true);
  });
});
