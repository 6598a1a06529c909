/**
 * What is wrong with one field, in both UI languages. The API answers in the request's language (Accept-Language,
 * English by default) and the editor, which validates drafts itself, shows the text of its UI language. A message
 * follows the field's path: `body/profile/name contains a NUL character`.
 */
import type { LocalizedText } from './contract';

type Params = Record<string, string | number>;

/** Both languages in one line, for steps: a step error has a single message, read in either UI language. */
export const inBothLanguages = (t: LocalizedText): string => `${t.en} (${t['zh-CN']})`;

const TEXTS = {
  // What the store cannot hold (core/storable.ts).
  nul_character: ['contains a NUL character (\\u0000), which cannot be stored', '包含 NUL 字符（\\u0000），无法保存'],
  nested_array: ['is a list inside a list, which cannot be stored (wrap the inner list in an object)', '是列表中的列表，无法保存（请把内层列表放进一个对象）'],
  unstorable_key: [
    'is not a storable field name (empty, starting with "$", or containing "." or a NUL character)',
    '不是可保存的字段名（不能为空、不能以 "$" 开头、不能包含 "." 或 NUL 字符）',
  ],
  too_deep: ['nests deeper than {max} levels', '嵌套超过 {max} 层'],
  too_large: ['is larger than {max} ({size})', '超过 {max}（实际为 {size}）'],
  too_many_keys: ['has more than {max} fields', '字段数超过 {max} 个'],
  // Request bodies as a whole (server/http/errors.ts).
  invalid_json: ['is not valid JSON: {reason}', '不是有效的 JSON：{reason}'],
  empty_json: ['must not be empty when content-type is application/json', 'content-type 为 application/json 时不能为空'],
  media_type: ['must be application/json', '必须是 application/json'],
  body_too_large: ['is larger than the limit of {max}', '超过上限 {max}'],
  // Formats (nodes/formats.ts).
  invalid_time_zone: ['is not a known time zone (e.g. Asia/Shanghai, UTC)', '不是有效的时区（例如 Asia/Shanghai、UTC）'],
  invalid_time_zone_or_contact: [
    'is not a known time zone (e.g. Asia/Shanghai, UTC) or "contact"',
    '不是有效的时区（例如 Asia/Shanghai、UTC），也不是 "contact"',
  ],
  invalid_cron: ['is not a valid cron schedule (e.g. "0 10 * * 1" = Mondays 10:00)', '不是有效的 cron 计划（例如 "0 10 * * 1" = 每周一 10:00）'],
  // JSON Schema keywords (ajv), the ones a form can get wrong.
  required: ['is required', '为必填项'],
  additionalProperties: ['is not an allowed property', '不是允许的属性'],
  enum: ['must be one of: {values}', '必须是以下之一：{values}'],
  const: ['must be {value}', '必须是 {value}'],
  type: ['must be {type}', '必须是{type}'],
  minLength: ['must NOT have fewer than {limit} characters', '不能少于 {limit} 个字符'],
  maxLength: ['must NOT have more than {limit} characters', '不能多于 {limit} 个字符'],
  minimum: ['must be >= {limit}', '必须大于或等于 {limit}'],
  maximum: ['must be <= {limit}', '必须小于或等于 {limit}'],
  exclusiveMinimum: ['must be > {limit}', '必须大于 {limit}'],
  exclusiveMaximum: ['must be < {limit}', '必须小于 {limit}'],
  multipleOf: ['must be multiple of {limit}', '必须是 {limit} 的倍数'],
  pattern: ['must match pattern "{pattern}"', '格式不正确（须匹配 "{pattern}"）'],
  format: ['must match format "{format}"', '必须符合 "{format}" 格式'],
  minItems: ['must NOT have fewer than {limit} items', '不能少于 {limit} 项'],
  maxItems: ['must NOT have more than {limit} items', '不能多于 {limit} 项'],
  uniqueItems: ['must NOT have duplicate items (items ## {j} and {i} are identical)', '不能有重复项（第 {j} 项与第 {i} 项相同）'],
  minProperties: ['must NOT have fewer than {limit} properties', '不能少于 {limit} 个属性'],
  maxProperties: ['must NOT have more than {limit} properties', '不能多于 {limit} 个属性'],
  propertyNames: ['has an invalid property name', '含有无效的属性名'],
  invalid: ['is invalid', '无效'],
} as const satisfies Record<string, readonly [string, string]>;

export type FieldMessageCode = keyof typeof TEXTS;

export function isFieldMessageCode(code: string): code is FieldMessageCode {
  return Object.prototype.hasOwnProperty.call(TEXTS, code);
}

const fill = (text: string, params: Params) => text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m));

/** One message in both languages; `{name}` placeholders take `params`. */
export function fieldMessage(code: FieldMessageCode, params: Params = {}): LocalizedText {
  const [en, zh] = TEXTS[code];
  return { en: fill(en, params), 'zh-CN': fill(zh, params) };
}

const TYPE_NAMES: Record<string, string> = {
  string: '字符串', number: '数字', integer: '整数', boolean: '布尔值', object: '对象', array: '数组', null: 'null',
};

/** ajv's "must be string,number" in Chinese: 必须是字符串或数字. */
export function typeMessage(type: string): LocalizedText {
  return { en: `must be ${type}`, 'zh-CN': `必须是${type.split(',').map((t) => TYPE_NAMES[t] ?? t).join('或')}` };
}

export type Lang = 'en' | 'zh-CN';

/** The language of an Accept-Language header: the first of its tags (by q) that is Chinese or English. */
export function langFromAcceptLanguage(header: string | string[] | undefined): Lang {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return 'en';
  const tags = value.split(',').map((part, i) => {
    const [tag, ...rest] = part.trim().toLowerCase().split(';');
    const q = rest.map((r) => r.trim()).find((r) => r.startsWith('q='));
    return { tag, q: q ? Number(q.slice(2)) || 0 : 1, i };
  }).filter((t) => t.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  for (const t of tags) {
    if (t.tag.startsWith('zh')) return 'zh-CN';
    if (t.tag.startsWith('en')) return 'en';
  }
  return 'en';
}

/** A path as people read it: a NUL character inside a field name shows as \u0000. */
export function printablePath(path: string): string {
  return path.replace(/\0/g, '\\u0000');
}
