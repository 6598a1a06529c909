/**
 * Message templates: `{{contact.profile.firstName}}`, `{{event.text}}`, with a fallback `{{contact.profile.firstName | "there"}}`.
 * Values are inserted as text; escaping for a target format (HTML email) is the caller's choice via `escape`.
 */
const TOKEN = /\{\{\s*([a-zA-Z0-9_.]+)\s*(?:\|\s*"([^"]*)"\s*)?\}\}/g;

/**
 * The value at a dotted path, through own properties only: `{{constructor.constructor}}` or `{{a.__proto__}}`
 * reach nothing inherited (no functions, no prototypes), so a template shows data and never code.
 */
export function lookup(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const key of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'function' ? undefined : cur;
}

export function renderTemplate(template: string, vars: Record<string, unknown>, escape: (s: string) => string = (s) => s): string {
  return renderMessage(template, vars, escape).text;
}

/**
 * Renders and names the variables that had no value and no fallback: a message to a person must not read
 * "Sorry to hear that , …", so the nodes that write to contacts send nothing then (and the editor flags them).
 */
export function renderMessage(template: string, vars: Record<string, unknown>, escape: (s: string) => string = (s) => s): { text: string; unresolved: string[] } {
  const unresolved = new Set<string>();
  const text = template.replace(TOKEN, (_, path: string, fallback?: string) => {
    const value = lookup(vars, path);
    const empty = value === undefined || value === null || value === '';
    if (empty && fallback === undefined) unresolved.add(path);
    return escape(empty ? (fallback ?? '') : Array.isArray(value) ? value.join(', ') : String(value));
  });
  return { text, unresolved: [...unresolved] };
}

/** Variables a template uses without a fallback (`{{contact.profile.firstName}}`), in order, each once. */
export function variablesWithoutFallback(template: string): string[] {
  return [...new Set([...template.matchAll(TOKEN)].filter((m) => m[2] === undefined).map((m) => m[1]))];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

