import { describe, expect, it } from 'vitest';
import { CATEGORIES, type NodeManifest } from '../../nodes/contract';
import { BUILTIN_MANIFESTS } from '../../nodes/manifests';
import { BUILTIN_RUNTIMES } from '../../nodes/runtimes';
import { NodeRegistry } from '../../nodes/registry';

const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

/**
 * The form fields of a config: top-level properties and the properties of array-of-object items (paths, branches).
 * Shared sub-schemas (rule builder, duration) are rendered by their own bilingual editor widgets.
 */
function titledFields(schema: any): { path: string; node: any }[] {
  const out: { path: string; node: any }[] = [];
  for (const [k, v] of Object.entries<any>(schema?.properties ?? {})) {
    out.push({ path: `/${k}`, node: v });
    for (const [ik, iv] of Object.entries<any>(v.items?.properties ?? {})) out.push({ path: `/${k}/items/${ik}`, node: iv });
  }
  return out;
}

describe('the node catalog', () => {
  const registry = new NodeRegistry(BUILTIN_MANIFESTS, BUILTIN_RUNTIMES);

  it('covers the social CRM palette in every category', () => {
    const types = new Set(BUILTIN_MANIFESTS.map((m) => m.type));
    for (const t of [
      'trigger.social-mention', 'trigger.direct-message', 'trigger.form-submitted', 'trigger.contact-created', 'trigger.contact-updated',
      'trigger.tag-added', 'trigger.score-threshold', 'trigger.segment-entered', 'trigger.scheduled-broadcast', 'trigger.event', 'trigger.crisis-detected',
      'trigger.sla-breached',
      'filter.condition', 'filter.sentiment', 'filter.keyword', 'filter.channel', 'filter.consent', 'filter.segment', 'filter.business-hours',
      'scoring.points', 'scoring.engagement', 'scoring.sentiment-weighted', 'scoring.threshold',
      'response.reply', 'response.email', 'response.webhook', 'response.ticket', 'response.notify-team', 'response.update-contact', 'response.segment',
      'flow.experiment', 'flow.wait-for-event',
    ]) expect(types, t).toContain(t);
    const byCat = registry.byCategory();
    for (const c of CATEGORIES) expect(byCat[c].length, c).toBeGreaterThan(0);
  });

  it.each(BUILTIN_MANIFESTS.map((m) => [`${m.type}@${m.version}`, m] as [string, NodeManifest<any>]))('%s is bilingual, has an icon and a runtime when it needs one', (_k, m) => {
    expect(m.title.en.length).toBeGreaterThan(0);
    expect(hasHan(m.title['zh-CN'])).toBe(true);
    expect(hasHan(m.description['zh-CN'])).toBe(true);
    expect(m.icon.length).toBeGreaterThan(0);
    for (const p of m.outputs) expect(hasHan(p.label['zh-CN']) || /^[\w ]+$/.test(p.label['zh-CN']), p.id).toBe(true);
    for (const f of titledFields(m.configSchema)) {
      if (!f.node.title || f.node === undefined) continue;
      if (f.node.properties?.groups) continue; // the rule builder widget
      expect(f.node['x-i18n']?.['zh-CN']?.title, `${m.type} ${f.path} has no Chinese title`).toBeTruthy();
    }
    if (m.category !== 'trigger' && !m.flow) expect(registry.runtime(m.type, m.version), `${m.type} has no runtime`).toBeDefined();
    // pure nodes (local activities) must not be outbound nodes
    if (m.category === 'response') expect(m.execution.pure).toBe(false);
  });
});
