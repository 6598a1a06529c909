/**
 * What no log line of the API or the worker may carry: query strings (a webhook's `?api_key=…`, a token a client
 * put in a URL, `?identity=email:…`), credentials inside URLs (`mongodb://user:pass@…`) and email addresses.
 * A query string is cut whole: which of its parameters is a secret cannot be known here.
 */
import { formatWithOptions } from 'node:util';

export const REDACTED = '[redacted]';

// A query string after an absolute URL or a path (`/api/v1/contacts?identity=…` inside a message or a JSON line).
const QUERY = /((?:\b[a-z][a-z0-9+.-]*:\/\/|\/)[^\s?#"'<>\\]*)\?[^\s"'<>\\]+/gi;
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>\\]+@/gi;
// The last label must hold a letter, so versions (`pkg@1.24.0`) and scoped package paths stay readable.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z][A-Za-z0-9-]*/g;

/** A request URL as logged: its path, and only a mark where its query string was. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?${REDACTED}`;
}

export function redactText(text: string): string {
  return text.replace(USERINFO, `$1${REDACTED}@`).replace(QUERY, `$1?${REDACTED}`).replace(EMAIL, '[email]');
}

/** A pino destination that redacts each serialized line on its way out (messages and error stacks included). */
export function redactingStream(dest: NodeJS.WritableStream = process.stdout): { write(line: string): void } {
  return { write: (line) => void dest.write(redactText(line)) };
}

/** console.warn / console.error for lines outside pino (the worker, start-up retries): formatted, then redacted. */
export function logRedacted(level: 'warn' | 'error', ...args: unknown[]): void {
  console[level](redactText(formatWithOptions({ colors: false }, ...args)));
}
