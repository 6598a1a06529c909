import { describe, expect, it } from 'vitest';
import { BUILTIN_MANIFESTS } from '../../../../nodes/manifests';
import { NodeRegistry } from '../../../../nodes/registry';
import type { ContactSummary, TimelineItem } from '../../api/types';
import { renderFields, templateFields } from './message-preview';

const registry = new NodeRegistry(BUILTIN_MANIFESTS);
const contact: ContactSummary = {
  id: 'c1', identities: [{ channel: 'weibo', handle: '@lily' }], profile: { name: 'Lily' }, tags: ['vip'], scores: { lead: 40 }, consent: {},
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z',
};
const event: TimelineItem = { id: 'e1', contactId: 'c1', kind: 'event', eventId: 'e1', type: 'social.mention', channel: 'weibo', text: 'late parcel', occurredAt: '2026-01-02T00:00:00.000Z', receivedAt: '2026-01-02T00:00:00.000Z' };

describe('message preview', () => {
  it('takes the set template fields of a message node, titled in the UI language', () => {
    const email = registry.get('response.email', 1);
    expect(templateFields(email, { subject: 'Hi {{contact.profile.name}}', html: '<p>x</p>', campaign: 'spring' }, 'en').map((f) => [f.path, f.title]))
      .toEqual([['subject', 'Subject'], ['html', 'Body (HTML)']]);
    expect(templateFields(email, { subject: 'Hi', html: ' ' }, 'zh-CN').map((f) => f.title)).toEqual(['主题']);
    expect(templateFields(registry.get('flow.wait', 1), { duration: { amount: 1, unit: 'hours' } }, 'en')).toEqual([]);
  });

  it("renders with the contact's data and its latest event, naming what has no value", () => {
    const reply = registry.get('response.reply', 1);
    const fields = templateFields(reply, { mode: 'dm', message: 'Hi {{contact.profile.name}} ({{contact.scores.lead}}): {{event.text}} {{contact.profile.city}}' }, 'en');
    const [withEvent] = renderFields(fields, contact, event);
    expect(withEvent).toMatchObject({ text: 'Hi Lily (40): late parcel ', unresolved: ['contact.profile.city'] });
    const [noEvent] = renderFields(fields, contact, null);
    expect(noEvent.unresolved).toEqual(['event.text', 'contact.profile.city']);
    // Templates reach own data only, as at run time.
    const [proto] = renderFields([{ path: 'm', title: 'M', template: '{{contact.constructor.name | "none"}}' }], contact, null);
    expect(proto.text).toBe('none');
  });
});
