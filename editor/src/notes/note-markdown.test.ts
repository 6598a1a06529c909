import { describe, expect, it } from 'vitest';
import { parseNote, parseSpans } from './note-markdown';

describe('sticky note markdown', () => {
  it('reads bold, italic and code inside a line, the rest as text', () => {
    expect(parseSpans('Send **after** the *wait*, see `reply-1`')).toEqual([
      { text: 'Send ' }, { text: 'after', bold: true }, { text: ' the ' }, { text: 'wait', italic: true }, { text: ', see ' }, { text: 'reply-1', code: true },
    ]);
    expect(parseSpans('2 * 3 = 6')).toEqual([{ text: '2 * 3 = 6' }]);
  });

  it('makes headings, list items and paragraphs of lines, skipping empty ones; markup stays text', () => {
    expect(parseNote('# 为什么\n\n- 周末不发\n* VIP first\n<b>plain</b>')).toEqual([
      { kind: 'h', spans: [{ text: '为什么' }] },
      { kind: 'li', spans: [{ text: '周末不发' }] },
      { kind: 'li', spans: [{ text: 'VIP first' }] },
      { kind: 'p', spans: [{ text: '<b>plain</b>' }] },
    ]);
  });
});
