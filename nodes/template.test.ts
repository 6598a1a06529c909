import { describe, expect, it } from 'vitest';
import { lookup, renderTemplate } from './template';

describe('message templates', () => {
  const scope = { contact: { profile: { firstName: 'Lin' }, tags: ['vip', 'new'] }, event: { text: 'hi' } };

  it('renders own data, array items and fallbacks', () => {
    expect(renderTemplate('Hi {{contact.profile.firstName}}: {{event.text}} ({{contact.tags.0}}, {{contact.tags.length}})', scope)).toBe('Hi Lin: hi (vip, 2)');
    expect(renderTemplate('Hi {{contact.profile.lastName | "there"}}', scope)).toBe('Hi there');
  });

  it('reaches nothing inherited: no constructors, prototypes or functions', () => {
    for (const path of ['constructor', 'constructor.constructor', 'contact.constructor.name', 'contact.__proto__', 'event.text.constructor', 'contact.tags.map', 'contact.profile.toString', 'contact.hasOwnProperty']) {
      expect(lookup(scope, path), path).toBeUndefined();
    }
    expect(renderTemplate('{{constructor.constructor}}|{{contact.tags.map}}|{{event.toString | "none"}}', scope)).toBe('||none');
  });
});
