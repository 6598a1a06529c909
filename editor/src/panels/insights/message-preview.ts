/**
 * A message node's texts rendered for one real contact, before publish: the node's template fields (`x-widget:
 * template`, also one level down such as a fallback's text) through the same pure renderer the runtime uses
 * (nodes/message-template.ts), with the variables that would have no value named. `event.*` is the contact's latest event
 * (a run uses the event that triggered it), `trigger.*` the same.
 */
import type { NodeManifest } from '../../../../nodes/contract';
import { renderMessage } from '../../../../nodes/message-template';
import type { ContactSummary, TimelineItem } from '../../api/types';
import type { Lang } from '../../i18n/dictionary';
import { fieldTitles } from '../../graph/issue-text';

export interface TemplateField { path: string; title: string; template: string }
export interface RenderedField extends TemplateField { text: string; unresolved: string[] }

const widgetOf = (schema: unknown): unknown => (schema && typeof schema === 'object' && 'x-widget' in schema ? schema['x-widget'] : undefined);
const propsOf = (schema: unknown): Record<string, unknown> =>
  (schema && typeof schema === 'object' && 'properties' in schema && schema.properties && typeof schema.properties === 'object' ? { ...schema.properties } : {});

/** The node's message texts that are set, in the schema's order, each with its field title (nested: "Parent › Field"). */
export function templateFields(manifest: NodeManifest<any> | undefined, config: Record<string, unknown> | undefined, lang: Lang): TemplateField[] {
  if (!manifest || !config) return [];
  const out: TemplateField[] = [];
  const visit = (schema: unknown, value: unknown, path: string[]) => {
    if (!value || typeof value !== 'object') return;
    const values: Record<string, unknown> = Object.fromEntries(Object.entries(value));
    for (const [key, sub] of Object.entries(propsOf(schema))) {
      const v = values[key];
      if (widgetOf(sub) === 'template' && typeof v === 'string' && v.trim()) {
        const p = [...path, key];
        out.push({ path: p.join('.'), title: fieldTitles(manifest, `/config/${p.join('/')}`, lang).join(' › '), template: v });
      } else if (path.length === 0 && v && typeof v === 'object' && !Array.isArray(v)) {
        visit(sub, v, [key]);
      }
    }
  };
  visit(manifest.configSchema, config, []);
  return out;
}

/** What the templates see of a contact: the run's contact snapshot (nodes/contract.ts ContactSnapshot). */
export function contactScope(c: ContactSummary): Record<string, unknown> {
  return { id: c.id, identities: c.identities, profile: c.profile, tags: c.tags, scores: c.scores, consent: c.consent, segments: c.segments ?? [], createdAt: c.createdAt };
}

/** A timeline entry as the event a run would see. */
export function eventScope(e: TimelineItem): Record<string, unknown> {
  return {
    id: e.eventId ?? e.id, type: e.type, channel: e.channel, handle: e.handle, occurredAt: e.occurredAt,
    ...(e.text !== undefined ? { text: e.text } : {}), ...(e.threadId !== undefined ? { threadId: e.threadId } : {}), ...(e.data !== undefined ? { data: e.data } : {}),
  };
}

export function renderFields(fields: TemplateField[], contact: ContactSummary, event: TimelineItem | null): RenderedField[] {
  const ev = event ? eventScope(event) : undefined;
  const scope = { contact: contactScope(contact), event: ev, trigger: ev };
  return fields.map((f) => ({ ...f, ...renderMessage(f.template, scope) }));
}
