/**
 * The little markdown a sticky note understands: `# heading`, `- item` / `* item`, `**bold**`, `*italic*` and
 * `` `code` ``; everything else is plain text. Parsed into data (never HTML), so a note cannot inject markup.
 */
export interface Span { text: string; bold?: true; italic?: true; code?: true }
export interface Block { kind: 'p' | 'h' | 'li'; spans: Span[] }

const INLINE = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`)/g;

export function parseSpans(line: string): Span[] {
  const out: Span[] = [];
  let last = 0;
  for (const m of line.matchAll(INLINE)) {
    if (m.index > last) out.push({ text: line.slice(last, m.index) });
    const tok = m[0];
    if (tok.startsWith('**')) out.push({ text: tok.slice(2, -2), bold: true });
    else if (tok.startsWith('`')) out.push({ text: tok.slice(1, -1), code: true });
    else out.push({ text: tok.slice(1, -1), italic: true });
    last = m.index + tok.length;
  }
  if (last < line.length) out.push({ text: line.slice(last) });
  return out;
}

/** One block per non-empty line: a note is short, and a line break the marketer typed stays one. */
export function parseNote(text: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    const heading = /^#{1,3}\s+(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (heading) blocks.push({ kind: 'h', spans: parseSpans(heading[1]) });
    else if (item) blocks.push({ kind: 'li', spans: parseSpans(item[1]) });
    else blocks.push({ kind: 'p', spans: parseSpans(line) });
  }
  return blocks;
}
