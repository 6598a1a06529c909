import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { filterSegment } from './manifest';
import segment from './run';

describe('filter.segment', () => {
  it('checks segment membership with any / all / none', async () => {
    const contact = { segments: ['vip', 'beijing'] };
    expect((await runNode(filterSegment, segment, { config: { segments: ['vip', 'shanghai'] }, contact })).port).toBe('yes');
    expect((await runNode(filterSegment, segment, { config: { segments: ['vip', 'shanghai'], match: 'all' }, contact })).port).toBe('no');
    expect((await runNode(filterSegment, segment, { config: { segments: ['churned'], match: 'none' }, contact })).port).toBe('yes');
  });
});
