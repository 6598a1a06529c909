import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * One ajv setup for node configs and the journey document (JSON Schema draft-07 everywhere).
 * `x-i18n` and `x-widget` are our annotation keywords: translations and editor widget hints.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, useDefaults: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-i18n', schemaType: 'object' });
  ajv.addKeyword({ keyword: 'x-widget', schemaType: 'string' });
  return ajv;
}

export interface FieldError {
  /** JSON pointer of the offending field inside the validated value, e.g. `/conditions/groups/0/rules/1/op`. */
  path: string;
  message: string;
}

/** ajv errors as field errors that name the exact field (missing properties point at the property itself). */
export function toFieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  if (!errors) return [];
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = `${path}/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = `${path}/${(e.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not an allowed property';
    } else if (e.keyword === 'enum') {
      message = `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    }
    // anyOf/oneOf summaries repeat the branch errors: keep the precise ones.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const key = `${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: path || '/', message });
  }
  if (out.length === 0 && errors.length) out.push({ path: errors[0].instancePath || '/', message: errors[0].message ?? 'is invalid' });
  return out;
}
