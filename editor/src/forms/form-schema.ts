/**
 * Prepares a node's config schema for the form: titles in the UI language (from `x-i18n`), and a uiSchema that
 * picks our widgets where a generic form is poor (rules, durations, templates, tags, weekdays, and the segment /
 * channel pickers chosen by a field's `x-widget` hint).
 */
import type { UiSchema } from '@rjsf/utils';
import { translate, type Lang, type MessageKey } from '../i18n/dictionary';
import { enumLabel } from '../i18n/enum-labels';
import type { PickerOption } from './picker-options';
export { schemaDefaults, withDefaults } from '../graph/schema-defaults';

type Schema = Record<string, any>;

/**
 * Event types offered to wait-for-event and the contact-event trigger (any other type may be typed in), each named in
 * the UI language (`eventType.<type>`). message.delivered / message.failed are a sent message's outcome (WeChat
 * reports them for template messages); email.opened / clicked / unsubscribed come from the links in journeys' emails.
 */
export const KNOWN_EVENT_TYPES = [
  'social.mention', 'social.comment', 'social.dm', 'social.review', 'form.submitted', 'contact.created', 'contact.updated',
  'email.opened', 'email.clicked', 'email.unsubscribed', 'order.placed', 'message.delivered', 'message.failed',
] as const;

/** The suggested event types as picker options: the type, then what it means in the UI language. */
export function eventTypeSuggestions(lang: Lang): PickerOption[] {
  return KNOWN_EVENT_TYPES.map((value) => ({ value, label: `${value} · ${translate(lang, `eventType.${value}` as MessageKey)}` }));
}
export const KNOWN_CHANNELS = ['weibo', 'wechat', 'douyin', 'xiaohongshu', 'zhihu', 'x', 'facebook', 'instagram', 'linkedin', 'email', 'sms', 'web'];

/** Copies the schema with `title`/`description` taken from `x-i18n[lang]` where present. */
export function localizeSchema(schema: Schema, lang: Lang): Schema {
  if (Array.isArray(schema)) return schema.map((s) => (s && typeof s === 'object' ? localizeSchema(s, lang) : s)) as unknown as Schema;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'enum' || k === 'const' || k === 'default' || k === 'required') out[k] = v;
    else if (v && typeof v === 'object') out[k] = localizeSchema(v, lang);
    else out[k] = v;
  }
  const tr = schema['x-i18n']?.[lang];
  if (tr?.title) out.title = tr.title;
  if (tr?.description) out.description = tr.description;
  return out;
}

/**
 * `anyOf: [{required:[a]}, {required:[b]}]` means "fill in at least one"; rjsf would render it as a confusing
 * option picker, so the form drops it and the shared validator reports the rule on the node instead.
 */
export function withoutRequiredOnlyAnyOf(schema: Schema): Schema {
  if (!schema || typeof schema !== 'object') return schema;
  const { anyOf, ...rest } = schema;
  const requiredOnly = Array.isArray(anyOf) && anyOf.every((b: Schema) => Object.keys(b).every((k) => k === 'required'));
  return requiredOnly ? rest : schema;
}

function isDuration(s: Schema) {
  return s?.type === 'object' && s.properties?.amount && s.properties?.unit;
}
function isConditions(s: Schema) {
  return s?.type === 'object' && s.properties?.groups;
}

export function uiSchemaFor(schema: Schema, name = '', lang: Lang = 'en'): UiSchema {
  if (!schema || typeof schema !== 'object') return {};
  if (isConditions(schema)) return { 'ui:field': 'rules' };
  if (isDuration(schema)) return { 'ui:field': 'duration' };
  if (schema['x-widget'] === 'template') return { 'ui:widget': 'template' };
  const hint = schema['x-widget'];
  // A single segment / channel: a picker fed by the API that still takes any text the schema allows.
  if (schema.type === 'string' && !schema.enum && (hint === 'segment' || hint === 'channel')) {
    return { 'ui:widget': 'picker', 'ui:options': { source: hint, suggestions: typeof schema.default === 'string' ? [schema.default] : undefined } };
  }
  if (schema.type === 'array' && schema.items?.type === 'integer' && schema.items.minimum === 0 && schema.items.maximum === 6) return { 'ui:field': 'weekdays' };
  if (schema.type === 'array' && schema.items?.type === 'string' && !schema.items.enum) {
    // Chips; suggestions by the hint: `segment` / `channel` pickers fed by the API, `tags` the contacts' tags.
    const source = hint === 'segment' || hint === 'channel' || hint === 'tags' ? hint : name === 'channels' ? 'channel' : undefined;
    const suggestions = name === 'eventTypes' ? eventTypeSuggestions(lang) : undefined;
    return { 'ui:field': 'tags', 'ui:options': { suggestions, source } };
  }
  const ui: UiSchema = {};
  // Fixed choices read in the UI language; the stored value stays the schema's.
  if (Array.isArray(schema.enum)) ui['ui:enumNames'] = Object.fromEntries(schema.enum.map((v: unknown) => [String(v), enumLabel(name, v, lang)]));
  if (schema.properties) for (const [k, v] of Object.entries(schema.properties)) ui[k] = uiSchemaFor(v as Schema, k, lang);
  if (schema.type === 'array' && schema.items && typeof schema.items === 'object') ui.items = uiSchemaFor(schema.items, name, lang);
  return ui;
}

/**
 * rjsf hands back `{}` for an optional object nobody filled in (the reply's `fallback`, and maps inside it): an empty
 * optional object means "not set", so it is dropped, innermost first, and a config never gains a half-made setting
 * that fails validation (a fallback without its mode).
 */
export function withoutEmptyObjects(schema: Schema | undefined, value: Record<string, unknown>): Record<string, unknown> {
  if (!schema?.properties || !value || typeof value !== 'object') return value;
  const required = new Set<string>(schema.required ?? []);
  let out = value;
  for (const [k, p] of Object.entries(schema.properties as Record<string, Schema>)) {
    const v = value[k];
    if (p?.type !== 'object' || !v || typeof v !== 'object' || Array.isArray(v)) continue;
    const inner = withoutEmptyObjects(p, v as Record<string, unknown>);
    const drop = Object.values(inner).every((x) => x === undefined) && !required.has(k); // a cleared field is undefined
    if (!drop && inner === v) continue;
    if (out === value) out = { ...value };
    if (drop) delete out[k];
    else out[k] = inner;
  }
  return out;
}

/** Field issues (`/config/a/0/b`) as rjsf's error schema (`{a: {0: {b: {__errors}}}}`). */
export function errorSchemaFrom(issues: { path: string; message: string }[]): Record<string, any> {
  const root: Record<string, any> = {};
  for (const i of issues) {
    if (!i.path.startsWith('/config')) continue;
    const parts = i.path.slice('/config'.length).split('/').filter(Boolean);
    let cur = root;
    for (const p of parts) cur = cur[p] ??= {};
    (cur.__errors ??= []).push(i.message);
  }
  return root;
}
