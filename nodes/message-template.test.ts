import { describe, expect, it } from 'vitest';
import { lookup, renderMessage, renderTemplate } from './message-template';

describe('message templates', () => {
  const scope = { contact: { profile: { firstName: 'Lin' }, tags: ['vip', 'new'] }, event: { text: 'hi' } };

  it('renders own data, array items and fallbacks', () => {
    expect(renderTemplate('Hi {{contact.profile.firstName}}: {{event.text}} ({{contact.tags.0}}, {{contact.tags.length}})', scope)).toBe('Hi Lin: hi (vip, 2)');
    expect(renderTemplate('Hi {{contact.profile.lastName | "there"}}', scope)).toBe('Hi there');
  });

  it('names the variables that had no value and no fallback', () => {
    expect(renderMessage('Hi {{contact.profile.lastName}}, {{contact.profile.nick | "friend"}} {{event.text}} {{contact.profile.lastName}}', scope))
      .toEqual({ text: 'Hi , friend hi ', unresolved: ['contact.profile.lastName'] });
    expect(renderMessage('{{contact.profile.firstName}}', scope).unresolved).toEqual([]);
  });

  it('reaches nothing inherited: no constructors, prototypes or functions', () => {
    for (const path of ['constructor', 'constructor.constructor', 'contact.constructor.name', 'contact.__proto__', 'event.text.constructor', 'contact.tags.map', 'contact.profile.toString', 'contact.hasOwnProperty']) {
      expect(lookup(scope, path), path).toBeUndefined();
    }
    expect(renderTemplate('{{constructor.constructor}}|{{contact.tags.map}}|{{event.toString | "none"}}', scope)).toBe('||none');
  });
});
