/**
 * A rendered message split back into what its template wrote, the values filled in, and the variables that had
 * no value. The step records only the rendered text and the names of the missing variables, so the parts are
 * found by lining the template's fixed text up with the rendered text; a template edited since the run may not
 * line up any more, and then there are no parts (the caller shows the text and names the gaps).
 */

export type MessagePart =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string; text: string }
  | { kind: 'missing'; path: string };

/** The template syntax of nodes/message-template.ts: `{{ path }}` or `{{ path | "fallback" }}`. */
const VARIABLE = /\{\{\s*([a-zA-Z0-9_.]+)\s*(?:\|\s*"([^"]*)"\s*)?\}\}/g;

interface Variable { path: string; missing: boolean }

function split(template: string, unresolved: ReadonlySet<string>): { literals: string[]; variables: Variable[] } {
  const literals: string[] = [];
  const variables: Variable[] = [];
  let from = 0;
  for (const m of template.matchAll(VARIABLE)) {
    literals.push(template.slice(from, m.index));
    // A variable with a fallback is never missing: the fallback stands in for its value.
    variables.push({ path: m[1], missing: m[2] === undefined && unresolved.has(m[1]) });
    from = m.index + m[0].length;
  }
  literals.push(template.slice(from));
  return { literals, variables };
}

export function messageParts(template: string, rendered: string, unresolved: readonly string[]): MessagePart[] | null {
  const { literals, variables } = split(template, new Set(unresolved));
  const parts: MessagePart[] = [];
  const text = (s: string) => { if (s) parts.push({ kind: 'text', text: s }); };
  if (!rendered.startsWith(literals[0])) return null;
  text(literals[0]);
  let at = literals[0].length;
  for (let i = 0; i < variables.length; i++) {
    const v = variables[i];
    if (v.missing) {
      parts.push({ kind: 'missing', path: v.path });
    } else {
      // A missing variable renders as nothing: the value runs up to the fixed text after the next value-less stretch.
      let k = i + 1;
      while (k < variables.length && variables[k].missing) k++;
      const fixed = literals.slice(i + 1, k + 1).join('');
      let end: number;
      if (k === variables.length) end = rendered.endsWith(fixed) ? rendered.length - fixed.length : -1;
      else if (!fixed) return null; // two values side by side: where one ends cannot be told
      else end = rendered.indexOf(fixed, at);
      if (end < at) return null;
      parts.push({ kind: 'value', path: v.path, text: rendered.slice(at, end) });
      at = end;
    }
    const next = literals[i + 1];
    if (!rendered.startsWith(next, at)) return null;
    text(next);
    at += next.length;
  }
  return at === rendered.length ? parts : null;
}
