import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { LocalizedText } from './contract';
import { fieldMessage, isFieldMessageCode, printablePath, typeMessage } from './field-messages';
import { JOURNEY_FORMATS } from './formats';

/**
 * The one ajv setup (JSON Schema draft-07 everywhere), with our vocabulary: `x-i18n` and `x-widget` are annotation
 * keywords (translations, editor widget hints), `time-zone`, `time-zone-or-contact` and `cron` our formats
 * (nodes/formats.ts). Two kinds of use:
 * - `document` (node configs, the journey document, event and settings bodies checked by hand): strict schemas,
 *   no defaults filled in, every error reported;
 * - `body` / `params` (fastify's request validators, server/http/input-guards.ts): fastify's own options (defaults
 *   filled in, nothing removed), bodies without type coercion (`{"note": 5}` is a 400, not "5"), querystrings and
 *   params with it, since everything arrives there as text.
 */
export function createAjv(kind: 'document' | 'body' | 'params' = 'document'): Ajv {
  const ajv = kind === 'document'
    ? new Ajv({ allErrors: true, strict: true, strictRequired: false, useDefaults: false, allowUnionTypes: true })
    : new Ajv({ coerceTypes: kind === 'params' ? 'array' : false, useDefaults: true, removeAdditional: false, allErrors: true, addUsedSchema: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-i18n', schemaType: 'object' });
  ajv.addKeyword({ keyword: 'x-widget', schemaType: 'string' });
  for (const [name, validate] of Object.entries(JOURNEY_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}

export interface FieldError {
  /** JSON pointer of the offending field inside the validated value, e.g. `/conditions/groups/0/rules/1/op`. */
  path: string;
  /** English, as the API answers by default. */
  message: string;
  /** What is wrong (an ajv keyword or a nodes/field-messages code), for clients that react to it. */
  code?: string;
  /** The message in every UI language (`en` equals `message`). */
  i18n?: LocalizedText;
}

const FORMAT_MESSAGES: Record<string, Parameters<typeof fieldMessage>[0]> = {
  'time-zone': 'invalid_time_zone', 'time-zone-or-contact': 'invalid_time_zone_or_contact', cron: 'invalid_cron',
};

/** An ajv error's text in both languages; English stays ajv's own wording unless we say it better. */
function localize(e: ErrorObject): { code: string; text: LocalizedText } {
  const p = e.params as Record<string, any>;
  const en = e.message ?? 'is invalid';
  const zh = (code: Parameters<typeof fieldMessage>[0], params: Record<string, string | number> = {}) => ({ en, 'zh-CN': fieldMessage(code, params)['zh-CN'] });
  switch (e.keyword) {
    case 'required': return { code: 'required', text: fieldMessage('required') };
    case 'additionalProperties': return { code: 'additionalProperties', text: fieldMessage('additionalProperties') };
    case 'enum': return { code: 'enum', text: fieldMessage('enum', { values: (p.allowedValues as unknown[]).join(', ') }) };
    case 'type': return { code: 'type', text: { en, 'zh-CN': typeMessage(String(p.type))['zh-CN'] } };
    case 'format': {
      const own = FORMAT_MESSAGES[p.format as string];
      return own ? { code: own, text: fieldMessage(own) } : { code: 'format', text: zh('format', { format: p.format }) };
    }
    case 'const': return { code: 'const', text: zh('const', { value: JSON.stringify(p.allowedValue) }) };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { code: e.keyword, text: zh(e.keyword, { limit: p.limit }) };
    case 'multipleOf': return { code: 'multipleOf', text: zh('multipleOf', { limit: p.multipleOf }) };
    case 'pattern': return { code: 'pattern', text: zh('pattern', { pattern: p.pattern }) };
    case 'uniqueItems': return { code: 'uniqueItems', text: zh('uniqueItems', { i: p.i, j: p.j }) };
    default:
      if (isFieldMessageCode(e.keyword)) return { code: e.keyword, text: zh(e.keyword, { limit: p.limit }) };
      return { code: e.keyword, text: { en, 'zh-CN': `${fieldMessage('invalid')['zh-CN']}（${en}）` } };
  }
}

/** ajv errors as field errors that name the exact field (missing properties point at the property itself). */
export function toFieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  if (!errors) return [];
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    let path = e.instancePath;
    if (e.keyword === 'required') path = `${path}/${(e.params as { missingProperty: string }).missingProperty}`;
    else if (e.keyword === 'additionalProperties') path = `${path}/${(e.params as { additionalProperty: string }).additionalProperty}`;
    // anyOf/oneOf summaries repeat the branch errors: keep the precise ones.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const { code, text } = localize(e);
    const key = `${path}|${text.en}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: printablePath(path) || '/', message: text.en, code, i18n: text });
  }
  if (out.length === 0 && errors.length) {
    const { code, text } = localize(errors[0]);
    out.push({ path: printablePath(errors[0].instancePath) || '/', message: text.en, code, i18n: text });
  }
  return out;
}
