import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { triggerAccepts } from './match';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('the trigger dispatcher', () => {
  it("refuses an event outside a trigger's default types unless the config names its own", () => {
    expect(triggerAccepts(node('trigger.tag-added', { tags: ['vip'] }), testEvent({ type: 'contact.updated', data: { tag: 'vip' } }))).toBe(false);
    expect(triggerAccepts(node('trigger.tag-added', { tags: ['vip'], eventTypes: ['contact.updated'] }), testEvent({ type: 'contact.updated', data: { tag: 'vip' } }))).toBe(true);
  });

  it('refuses an event from a channel the config does not list, before the matcher is asked', () => {
    expect(triggerAccepts(node('trigger.social-mention', { channels: ['wechat'] }), testEvent({ type: 'social.mention', channel: 'weibo' }))).toBe(false);
    expect(triggerAccepts(node('trigger.social-mention', { channels: ['weibo'] }), testEvent({ type: 'social.mention', channel: 'weibo' }))).toBe(true);
  });

  it('leaves triggers without a matcher (the generic event trigger, custom triggers) to the checks ingestion makes', () => {
    expect(triggerAccepts(node('trigger.event', { eventTypes: ['form.submitted'] }), testEvent({ type: 'social.dm' }))).toBe(true);
    expect(triggerAccepts(node('acme.trigger', {}), testEvent())).toBe(true);
  });
});
