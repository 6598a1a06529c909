import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { filterChannel } from './manifest';
import channel from './run';

describe('filter.channel', () => {
  it('routes by the event channel', async () => {
    expect((await runNode(filterChannel, channel, { config: { channels: ['weibo', 'wechat'] }, event: { channel: 'weibo' } })).port).toBe('yes');
    expect((await runNode(filterChannel, channel, { config: { channels: ['x'] }, event: { channel: 'weibo' } })).port).toBe('no');
  });
});
