/**
 * Building blocks of the response schemas: JSON Schema as plain `as const` data (fastify serializes with it, the
 * OpenAPI document shows it, `FromSchema` types the handlers and the editor from it). Objects are closed: what a
 * schema does not list never leaves the server (no document internals in answers).
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
export const num = { type: 'number' } as const;
export const bool = { type: 'boolean' } as const;
export const date = { type: 'string', format: 'date-time' } as const;
export const nullableStr = { type: ['string', 'null'] } as const;
export const nullableDate = { type: ['string', 'null'], format: 'date-time' } as const;
export const nullableInt = { type: ['integer', 'null'] } as const;
export const strings = { type: 'array', items: str } as const;
/** Free-form data (a profile, a node's config, an event's data): any JSON object, passed through as is. */
export const anyJson = { type: 'object', additionalProperties: true } as const;
/** A map of names to numbers (scores, counters by port). */
export const numberMap = { type: 'object', additionalProperties: num } as const;
/** Any JSON value (a step's evaluated values, a field's old and new value). */
export const anyValue = {} as const;

type Props = Record<string, JSONSchema>;

/** A closed object: every property is required except those named in `optional`. */
export function object<const P extends Props, const O extends keyof P & string = never>(properties: P, optional: readonly O[] = []) {
  const required = Object.keys(properties).filter((k) => !(optional as readonly string[]).includes(k)) as Exclude<keyof P & string, O>[];
  return { type: 'object', properties, required, additionalProperties: false } as const;
}

export const arrayOf = <const I extends JSONSchema>(items: I) => ({ type: 'array', items } as const);

export type View<S extends JSONSchema> = FromSchema<S>;
