import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../../nodes/message-template';
import { messageParts } from './message-parts';

/** The parts of what nodes/message-template.ts really renders for `vars`. */
const partsOf = (template: string, vars: Record<string, unknown>) => {
  const { text, unresolved } = renderMessage(template, vars);
  return messageParts(template, text, unresolved);
};

describe('messageParts', () => {
  it('puts a missing variable back where it would have been', () => {
    expect(partsOf('Hi {{contact.profile.name}}, about {{event.name}}: thanks!', { contact: { profile: { name: 'Lily' } }, event: {} })).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'value', path: 'contact.profile.name', text: 'Lily' },
      { kind: 'text', text: ', about ' },
      { kind: 'missing', path: 'event.name' },
      { kind: 'text', text: ': thanks!' },
    ]);
  });

  it('treats a variable with a fallback as a value, never as missing', () => {
    expect(partsOf('Hi {{contact.profile.name | "there"}}!', { contact: { profile: {} } })).toEqual([
      { kind: 'text', text: 'Hi ' }, { kind: 'value', path: 'contact.profile.name', text: 'there' }, { kind: 'text', text: '!' },
    ]);
  });

  it('finds the values next to missing ones, at the start and at the end', () => {
    expect(partsOf('{{a}}{{b}} and {{c}}', { a: 'x', c: 'z' })).toEqual([
      { kind: 'value', path: 'a', text: 'x' }, { kind: 'missing', path: 'b' }, { kind: 'text', text: ' and ' }, { kind: 'value', path: 'c', text: 'z' },
    ]);
    expect(partsOf('{{a}}', {})).toEqual([{ kind: 'missing', path: 'a' }]);
  });

  it('keeps a value that contains the fixed text after it whole when it is the last one', () => {
    expect(partsOf('Re: {{event.text}}.', { event: { text: 'a. b. c' } })).toEqual([
      { kind: 'text', text: 'Re: ' }, { kind: 'value', path: 'event.text', text: 'a. b. c' }, { kind: 'text', text: '.' },
    ]);
  });

  it('gives up when the template no longer matches the text, or two values touch', () => {
    expect(messageParts('Hello {{a}}!', 'Goodbye x!', [])).toBeNull();
    expect(messageParts('Hello {{a}}!', 'Hello x?', [])).toBeNull();
    expect(messageParts('{{a}}{{b}}', 'xy', [])).toBeNull();
  });

  it('returns the plain text as one part for a template without variables', () => {
    expect(partsOf('Still interested?', {})).toEqual([{ kind: 'text', text: 'Still interested?' }]);
  });
});
