/**
 * The one check of user data before it is stored: what the store cannot hold, and how much of it we accept.
 *
 * FerretDB (on PostgreSQL jsonb) cannot store a NUL character (\u0000) in a string or a field name, and refuses
 * empty, `$`-prefixed and dotted field names, and arrays directly inside arrays; a write that hits one fails with a 500, often after an earlier write
 * of the same request (a new contact) went through. Unbounded input is refused too: nesting (the BSON encoder and
 * every recursive walk overflow the stack), size (a workflow input above Temporal's 2 MB payload limit is retried
 * forever) and field count. Each problem is a 400 naming the field, raised before anything is written.
 *
 * Every request body passes `assertStorable` (server/http/input-guards.ts, with the route's limits); code that
 * stores data reaching it another way (webhook bodies, ingestion) calls it itself.
 */
import type { FieldError } from '../nodes/ajv';
import { fieldMessage, printablePath } from '../nodes/field-messages';
import { badRequest } from './errors';

export interface StorableLimits {
  /** Nested objects/arrays, the value itself counting as 1. */
  maxDepth: number;
  /** Size as JSON (UTF-8 bytes). */
  maxBytes: number;
  /** Field names in all objects of the value. */
  maxKeys: number;
}

const KiB = 1024;

/** Limits per kind of stored document. The request body limit (fastify's bodyLimit) is BODY_LIMIT. */
export const LIMITS = {
  /** One contact event (also each event of a batch): it travels into workflow inputs and signals. */
  event: { maxDepth: 32, maxBytes: 256 * KiB, maxKeys: 2_000 },
  /** A journey document (draft): 500 nodes and 2,000 edges fit; a published version stores it twice. */
  journey: { maxDepth: 32, maxBytes: 1024 * KiB, maxKeys: 50_000 },
  /** Everything else: templates, test runs, settings, users, notes. */
  document: { maxDepth: 32, maxBytes: 256 * KiB, maxKeys: 5_000 },
} as const satisfies Record<string, StorableLimits>;

/** fastify's bodyLimit: a batch of up to 500 events. */
export const BODY_LIMIT = 5 * 1024 * KiB;

/**
 * JSON nesting refused before parsing, well above every document's limit (which then names the too-deep field):
 * a safety net so no parse or walk ever sees 100,000 levels. Its message gives the documents' limit.
 */
export const PARSE_MAX_DEPTH = 64;
const MAX_DOCUMENT_DEPTH = Math.max(...Object.values(LIMITS).map((l) => l.maxDepth));

const unstorableKeyName = (key: string) => key === '' || key.startsWith('$') || key.includes('.') || key.includes('\0');

function formatBytes(n: number): string {
  return n >= 1024 * KiB ? `${Number((n / (1024 * KiB)).toFixed(1))} MiB` : `${Math.ceil(n / KiB)} KiB`;
}

const problem = (path: string, code: 'nul_character' | 'unstorable_key' | 'nested_array' | 'too_deep' | 'too_large' | 'too_many_keys', params: Record<string, string | number> = {}): FieldError => {
  const i18n = fieldMessage(code, params);
  return { path: printablePath(path) || '/', message: i18n.en, code, i18n };
};

/**
 * The first reason `value` cannot be stored, as a field error whose path is relative to `path`; undefined when it
 * can. Iterative (a stack, no recursion): any nesting is walked safely, and deeper than the limit is reported.
 */
export function storableProblem(value: unknown, limits: StorableLimits = LIMITS.document, path = ''): FieldError | undefined {
  const stack: [unknown, string, number][] = [[value, path, 1]];
  let keys = 0;
  while (stack.length) {
    const [v, p, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\0')) return problem(p, 'nul_character');
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > limits.maxDepth) return problem(p, 'too_deep', { max: limits.maxDepth });
    if (Array.isArray(v)) {
      // FerretDB 1.x refuses an array directly inside an array (MongoDB takes it): refused everywhere, one behaviour.
      const inner = v.findIndex((x) => Array.isArray(x));
      if (inner >= 0) return problem(`${p}/${inner}`, 'nested_array');
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${p}/${i}`, depth + 1]);
      continue;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    keys += entries.length;
    if (keys > limits.maxKeys) return problem(path, 'too_many_keys', { max: limits.maxKeys });
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i];
      if (unstorableKeyName(k)) return problem(`${p}/${k}`, 'unstorable_key');
      stack.push([child, `${p}/${k}`, depth + 1]);
    }
  }
  if (value !== null && typeof value === 'object' && Number.isFinite(limits.maxBytes)) {
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > limits.maxBytes) return problem(path, 'too_large', { max: formatBytes(limits.maxBytes), size: formatBytes(bytes) });
  }
  return undefined;
}

/** Throws a 400 (`<where><path> contains a NUL character`, …) when `value` cannot be stored. */
export function assertStorable(value: unknown, limits: StorableLimits = LIMITS.document, where = 'body', path = ''): void {
  const bad = storableProblem(value, limits, path);
  if (bad) throw badRequest([bad], where);
}

/**
 * Contact events: a body holding one event or a batch `{"events": [...]}` (each event is its own document), as
 * POST /api/v1/events and the channel webhooks take them. Ingestion calls it too (one event, path '').
 */
export function assertStorableEvents(body: unknown, where = 'body'): void {
  const events = body !== null && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as { events?: unknown }).events)
    ? (body as { events: unknown[] }).events
    : undefined;
  if (!events) return assertStorable(body, LIMITS.event, where);
  // The wrapper itself: its keys and strings (each event's limits come next).
  assertStorable({ ...(body as object), events: [] }, LIMITS.document, where);
  events.forEach((e, i) => assertStorable(e, LIMITS.event, where, `/events/${i}`));
}

/** Strings of a request's querystring or params (no NUL: they end up in database filters). */
export function assertStorableStrings(value: unknown, where: string): void {
  const bad = storableProblem(value, { maxDepth: 8, maxBytes: Infinity, maxKeys: Infinity });
  if (bad) throw badRequest([bad], where);
}

/**
 * Whether JSON text nests deeper than `max` arrays/objects, found by one pass over the characters (strings
 * skipped) before JSON.parse and every later walk of the value see it.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return false;
}

/** The 400 for a body nesting deeper than PARSE_MAX_DEPTH. */
export function tooDeep(where = 'body') {
  return badRequest([problem('', 'too_deep', { max: MAX_DOCUMENT_DEPTH })], where);
}

/** Parses a JSON request body, refusing overly deep nesting first (400, like every other bad body). */
export function parseJsonBody(text: string, where = 'body'): unknown {
  if (jsonNestsDeeperThan(text, PARSE_MAX_DEPTH)) throw tooDeep(where);
  try {
    return JSON.parse(text);
  } catch (err) {
    const i18n = fieldMessage('invalid_json', { reason: (err as Error).message });
    throw badRequest([{ path: '/', message: i18n.en, code: 'invalid_json', i18n }], where);
  }
}
