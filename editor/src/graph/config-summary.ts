/** The one-line summary a node shows on the canvas, from the manifest's `summaryFields`. */
import type { NodeManifest } from '../../../nodes/contract';
import { translate, type Lang } from '../i18n/dictionary';
import { enumLabel } from '../i18n/enum-labels';

const UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks'] as const;

/** "1 day", "3 days", "3 天": the unit in the UI language, singular for one in English. */
export function durationText(amount: number, unit: string, lang: Lang): string {
  if (!(UNITS as readonly string[]).includes(unit)) return `${amount} ${unit}`;
  const name = translate(lang, `unit.${unit as (typeof UNITS)[number]}`);
  if (lang === 'zh-CN') return `${amount} ${name}`;
  return `${amount} ${amount === 1 ? name.replace(/s$/, '') : name}`;
}

function describe(value: unknown, lang: Lang): string {
  if (value === undefined || value === null || value === '') return '';
  if (Array.isArray(value)) {
    return value.map((v) => (v && typeof v === 'object' ? (v as Record<string, unknown>).label ?? (v as Record<string, unknown>).id ?? '' : String(v))).filter(Boolean).join(', ');
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('amount' in o && 'unit' in o) return durationText(Number(o.amount), String(o.unit), lang);
    if (Array.isArray(o.groups)) {
      const rules = (o.groups as { rules?: { field: string; op: string; value?: unknown }[] }[]).flatMap((g) => g.rules ?? []);
      const first = rules[0];
      if (!first) return '';
      const text = `${first.field} ${first.op}${first.value === undefined ? '' : ` ${JSON.stringify(first.value)}`}`;
      const more = rules.length - 1;
      return more > 0 ? `${text} ${lang === 'zh-CN' ? `等 ${rules.length} 条规则` : `+${more} more`}` : text;
    }
    return Object.entries(o).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ');
  }
  return String(value);
}

export function configSummary(manifest: NodeManifest<any> | undefined, config: Record<string, unknown>, lang: Lang): string {
  if (!manifest) return '';
  const fields = manifest.summaryFields ?? [];
  const props = ((manifest.configSchema as { properties?: Record<string, { enum?: unknown[] }> }).properties) ?? {};
  // An enum value reads as its label (私信, not dm), as in the node's form.
  const text = fields.map((f) => (props[f]?.enum && typeof config[f] === 'string' ? enumLabel(f, config[f], lang) : describe(config[f], lang))).filter(Boolean).join(' · ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
