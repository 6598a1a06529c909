import { describe, expect, it } from 'vitest';
import { BUILTIN_MANIFESTS } from '../../../../nodes/manifests';
import { NodeRegistry } from '../../../../nodes/registry';
import { identityFor, triggerDefaults } from './trigger-defaults';

const registry = new NodeRegistry(BUILTIN_MANIFESTS);
const node = (nodeType: string, config: Record<string, unknown>) => ({ data: { nodeType, version: 1, config } });

describe('triggerDefaults', () => {
  it('takes the event types and channels of a contact-event trigger from its config', () => {
    expect(triggerDefaults([node('response.reply', { mode: 'dm', message: 'x' }), node('trigger.event', { eventTypes: ['form.submitted', 'social.dm'], channels: ['wechat'] })], registry))
      .toEqual({ eventTypes: ['form.submitted', 'social.dm'], channels: ['wechat'] });
  });

  it('takes the event types of a specialised trigger from its manifest', () => {
    expect(triggerDefaults([node('trigger.social-mention', { channels: ['weibo'] })], registry)).toEqual({ eventTypes: ['social.mention', 'social.comment'], channels: ['weibo'] });
    expect(triggerDefaults([node('trigger.direct-message', {})], registry)).toEqual({ eventTypes: ['social.dm'], channels: [] });
  });

  it('has nothing to offer without a trigger, or for a trigger still being filled in', () => {
    expect(triggerDefaults([node('flow.wait', {})], registry)).toEqual({ eventTypes: [], channels: [] });
    expect(triggerDefaults([node('trigger.event', { eventTypes: [''] })], registry)).toEqual({ eventTypes: [], channels: [] });
  });
});

describe('identityFor', () => {
  const lily = { identities: [{ channel: 'weibo', handle: '@lily' }, { channel: 'wechat', handle: 'o-lily' }] };
  it('prefers an identity on a channel the trigger accepts, else the first', () => {
    expect(identityFor(lily, ['wechat'])).toEqual({ channel: 'wechat', handle: 'o-lily' });
    expect(identityFor(lily, ['email'])).toEqual({ channel: 'weibo', handle: '@lily' });
    expect(identityFor(lily, [])).toEqual({ channel: 'weibo', handle: '@lily' });
    expect(identityFor({ identities: [] }, [])).toBeUndefined();
  });
});
