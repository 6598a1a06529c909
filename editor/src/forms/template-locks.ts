/**
 * Node templates in forms: which top-level config fields a template locks, how the form shows them (read-only), and
 * how an edit of the other fields keeps the locked values (the server rejects a save that changes them: 422).
 */
import type { UiSchema } from '@rjsf/utils';
import type { Lang } from '../i18n/dictionary';

type Schema = Record<string, any>;

export interface TemplateField { name: string; title: string; required: boolean }

/** The config's top-level fields in schema order, titled in the UI language (`x-i18n`), for the lock toggles. */
export function topLevelFields(schema: Schema | undefined, lang: Lang): TemplateField[] {
  const props = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set<string>(Array.isArray(schema?.required) ? schema!.required : []);
  return Object.entries(props).map(([name, p]) => ({ name, title: p?.['x-i18n']?.[lang]?.title ?? p?.title ?? name, required: required.has(name) }));
}

/** Locks or unlocks one field; the result keeps the schema's field order and drops fields the schema lacks. */
export function toggleLock(locked: string[], field: string, fieldOrder: string[]): string[] {
  const set = new Set(locked);
  if (set.has(field)) set.delete(field);
  else set.add(field);
  return fieldOrder.filter((f) => set.has(f));
}

/** Only locks of fields the node type has (after switching node type, old locks go). */
export function cleanLocks(locked: string[], fieldOrder: string[]): string[] {
  return fieldOrder.filter((f) => locked.includes(f));
}

/** The form's uiSchema with every locked field replaced by the read-only `locked` field. */
export function lockedUiSchema(ui: UiSchema, locked: readonly string[]): UiSchema {
  if (!locked.length) return ui;
  const out: UiSchema = { ...ui };
  for (const f of locked) out[f] = { 'ui:field': 'locked' };
  return out;
}

/** A config edit with the template's locked values put back (absent in the template = absent here). */
export function keepLocked(next: Record<string, unknown>, templateConfig: Record<string, unknown>, locked: readonly string[]): Record<string, unknown> {
  const out = { ...next };
  for (const f of locked) {
    if (templateConfig[f] === undefined) delete out[f];
    else out[f] = structuredClone(templateConfig[f]);
  }
  return out;
}

/** Locked fields whose value in `config` differs from the template's (what the server would reject). */
export function lockViolations(config: Record<string, unknown>, templateConfig: Record<string, unknown>, locked: readonly string[]): string[] {
  return locked.filter((f) => JSON.stringify(config[f] ?? null) !== JSON.stringify(templateConfig[f] ?? null));
}

/** A config value as one line of text (locked fields, diffs). */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) return v.join(', ');
  if (v && typeof v === 'object' && 'amount' in v && 'unit' in v) return `${(v as { amount: unknown }).amount} ${(v as { unit: unknown }).unit}`;
  return JSON.stringify(v);
}
