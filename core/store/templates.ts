/**
 * Node templates (a configured node with locked fields, versioned: every edit is a new version) and journey
 * templates (the built-in gallery plus what admins publish), and the upgrades a draft may take: a newer published
 * template version, or a newer node type version reached through the type's config migrations.
 */
import { randomUUID } from 'node:crypto';
import { upgradeConfig } from '../../nodes/custom/migrations';
import type { NodeRegistry } from '../../nodes/registry';
import type { JourneyGraph, JourneyNode } from '../../workflows/model/journey-schema';
import { JOURNEY_GALLERY } from '../templates/journey-gallery';
import { badRequest } from '../errors';
import type { LocalizedText } from '../../nodes/contract';
import type { Store } from './db';
import type { JourneyTemplateDoc, NodeTemplateDoc } from './documents';


export interface NodeTemplateInput {
  name: string;
  description?: string;
  nodeType: string;
  nodeVersion: number;
  config: Record<string, unknown>;
  locked?: string[];
}

function checkInput(registry: NodeRegistry, input: NodeTemplateInput): void {
  const manifest = registry.get(input.nodeType, input.nodeVersion);
  if (!manifest) throw badRequest([{ path: '/nodeType', message: `${input.nodeType}@${input.nodeVersion} is not in the catalog`, i18n: { en: `${input.nodeType}@${input.nodeVersion} is not in the catalog`, 'zh-CN': `${input.nodeType}@${input.nodeVersion} 不在节点目录中` } }]);
  if (manifest.category === 'trigger' || manifest.category === 'flow') {
    // Allowed, but templates are meant for configured actions; nothing to refuse.
  }
  const errors = registry.validateConfig(input.nodeType, input.nodeVersion, input.config);
  if (errors.length) throw badRequest(errors.map((e) => ({ ...e, path: `/config${e.path === '/' ? '' : e.path}` })));
  const known = Object.keys((manifest.configSchema as { properties?: Record<string, unknown> }).properties ?? {});
  for (const [i, f] of (input.locked ?? []).entries()) {
    if (!known.includes(f)) {
      const en = `is not a config field of ${input.nodeType} (one of ${known.join(', ')})`;
      throw badRequest([{ path: `/locked/${i}`, message: en, i18n: { en, 'zh-CN': `不是 ${input.nodeType} 的配置字段（可选：${known.join('、')}）` } }]);
    }
  }
}

export async function createNodeTemplate(s: Store, registry: NodeRegistry, workspaceId: string, input: NodeTemplateInput, by?: string): Promise<NodeTemplateDoc> {
  checkInput(registry, input);
  const templateId = randomUUID();
  const doc: NodeTemplateDoc = {
    _id: `${templateId}|v1`, workspaceId, templateId, version: 1, name: input.name, description: input.description, nodeType: input.nodeType,
    nodeVersion: input.nodeVersion, config: input.config, locked: [...new Set(input.locked ?? [])], published: false, createdAt: new Date(), createdBy: by,
  };
  await s.nodeTemplates.insertOne(doc);
  return doc;
}

export function latestTemplateVersion(s: Store, workspaceId: string, templateId: string, publishedOnly = false) {
  return s.nodeTemplates.find({ workspaceId, templateId, ...(publishedOnly ? { published: true } : {}) }).sort({ version: -1 }).limit(1).next();
}

export function getTemplateVersion(s: Store, workspaceId: string, templateId: string, version: number) {
  return s.nodeTemplates.findOne({ _id: `${templateId}|v${version}`, workspaceId });
}

/** An edit is a new version (unpublished until published); journeys keep the version they were made from. */
export async function updateNodeTemplate(s: Store, registry: NodeRegistry, workspaceId: string, templateId: string, input: Partial<NodeTemplateInput>, by?: string): Promise<NodeTemplateDoc | null> {
  const latest = await latestTemplateVersion(s, workspaceId, templateId);
  if (!latest || latest.archived) return null;
  const merged: NodeTemplateInput = {
    name: input.name ?? latest.name, description: input.description ?? latest.description, nodeType: input.nodeType ?? latest.nodeType,
    nodeVersion: input.nodeVersion ?? latest.nodeVersion, config: input.config ?? latest.config, locked: input.locked ?? latest.locked,
  };
  checkInput(registry, merged);
  const version = latest.version + 1;
  const doc: NodeTemplateDoc = {
    _id: `${templateId}|v${version}`, workspaceId, templateId, version, name: merged.name, description: merged.description, nodeType: merged.nodeType,
    nodeVersion: merged.nodeVersion, config: merged.config, locked: [...new Set(merged.locked ?? [])], published: false, createdAt: new Date(), createdBy: by,
  };
  // Two concurrent edits of the same version collide on the unique _id instead of one silently winning.
  await s.nodeTemplates.insertOne(doc);
  return doc;
}

export async function publishNodeTemplate(s: Store, workspaceId: string, templateId: string, version?: number): Promise<NodeTemplateDoc | null> {
  const target = version === undefined ? await latestTemplateVersion(s, workspaceId, templateId) : await getTemplateVersion(s, workspaceId, templateId, version);
  if (!target || target.archived) return null;
  await s.nodeTemplates.updateOne({ _id: target._id, workspaceId }, { $set: { published: true } });
  return { ...target, published: true };
}

export async function archiveNodeTemplate(s: Store, workspaceId: string, templateId: string): Promise<boolean> {
  const r = await s.nodeTemplates.updateMany({ workspaceId, templateId }, { $set: { archived: true } });
  return r.matchedCount > 0;
}

/** One entry per template: its newest version, and the newest published one (what the palette offers). */
export async function listNodeTemplates(s: Store, workspaceId: string, opts: { publishedOnly?: boolean } = {}) {
  const docs = await s.nodeTemplates.find({ workspaceId, archived: { $ne: true } }).sort({ templateId: 1, version: -1 }).limit(5000).toArray();
  const byId = new Map<string, { latest: NodeTemplateDoc; published?: NodeTemplateDoc }>();
  for (const d of docs) {
    const e = byId.get(d.templateId) ?? { latest: d };
    if (d.version > e.latest.version) e.latest = d;
    if (d.published && (!e.published || d.version > e.published.version)) e.published = d;
    byId.set(d.templateId, e);
  }
  return [...byId.values()].filter((e) => !opts.publishedOnly || e.published);
}

export function nodeTemplateView(d: NodeTemplateDoc) {
  return {
    id: d.templateId, version: d.version, name: d.name, description: d.description ?? null, nodeType: d.nodeType, nodeVersion: d.nodeVersion,
    config: d.config, locked: d.locked, editable: [] as string[], published: d.published, createdAt: d.createdAt.toISOString(), createdBy: d.createdBy ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Diffs

export interface FieldChange { field: string; from: unknown; to: unknown; lockedFrom?: boolean; lockedTo?: boolean }

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Field-level difference of two configs (top-level fields; `undefined` = absent). */
export function configDiff(from: Record<string, unknown>, to: Record<string, unknown>): FieldChange[] {
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return fields.filter((f) => !deepEqual(from[f], to[f])).map((f) => ({ field: f, from: from[f] ?? null, to: to[f] ?? null }));
}

/** What changed between two versions of a template: node type, config fields and which fields are locked. */
export function templateDiff(a: NodeTemplateDoc, b: NodeTemplateDoc) {
  const fields = [...new Set([...Object.keys(a.config), ...Object.keys(b.config), ...a.locked, ...b.locked])].sort();
  const changes: FieldChange[] = [];
  for (const f of fields) {
    const lockedFrom = a.locked.includes(f);
    const lockedTo = b.locked.includes(f);
    if (!deepEqual(a.config[f], b.config[f]) || lockedFrom !== lockedTo) changes.push({ field: f, from: a.config[f] ?? null, to: b.config[f] ?? null, lockedFrom, lockedTo });
  }
  return {
    from: a.version, to: b.version,
    nodeType: a.nodeType === b.nodeType && a.nodeVersion === b.nodeVersion ? null : { from: `${a.nodeType}@${a.nodeVersion}`, to: `${b.nodeType}@${b.nodeVersion}` },
    name: a.name === b.name ? null : { from: a.name, to: b.name },
    changes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Locked fields: enforced on every journey save and publish, not only in the editor

export interface TemplateIssue { nodeId: string; path: string; code: string; message: string; i18n: LocalizedText }

const issue = (nodeId: string, path: string, code: string, en: string, zh: string): TemplateIssue => ({ nodeId, path, code, message: en, i18n: { en, 'zh-CN': zh } });

export async function templateBindingIssues(s: Store, workspaceId: string, graph: { nodes: JourneyNode[] }): Promise<TemplateIssue[]> {
  const bound = graph.nodes.filter((n) => n.template);
  if (!bound.length) return [];
  const ids = [...new Set(bound.map((n) => `${n.template!.id}|v${n.template!.version}`))];
  const docs = new Map((await s.nodeTemplates.find({ workspaceId, _id: { $in: ids } }).toArray()).map((d) => [d._id, d]));
  const issues: TemplateIssue[] = [];
  for (const n of bound) {
    const tpl = docs.get(`${n.template!.id}|v${n.template!.version}`);
    if (!tpl) {
      issues.push(issue(n.id, '/template', 'template_not_found', `node template ${n.template!.id} version ${n.template!.version} does not exist in this workspace`, `此工作区没有节点模板 ${n.template!.id} 的第 ${n.template!.version} 版`));
      continue;
    }
    if (tpl.nodeType !== n.type || tpl.nodeVersion !== n.version) {
      issues.push(issue(n.id, '/type', 'template_locked', `node "${n.id}" comes from template "${tpl.name}" and must stay ${tpl.nodeType}@${tpl.nodeVersion}`, `节点“${n.id}”来自模板“${tpl.name}”，必须保持为 ${tpl.nodeType}@${tpl.nodeVersion}`));
    }
    const config = (n.config ?? {}) as Record<string, unknown>;
    for (const f of tpl.locked) {
      if (!deepEqual(config[f], tpl.config[f])) {
        issues.push(issue(n.id, `/config/${f}`, 'template_locked', `field "${f}" of node "${n.id}" is locked by template "${tpl.name}" (v${tpl.version}) and must stay ${JSON.stringify(tpl.config[f] ?? null)}`, `节点“${n.id}”的字段“${f}”被模板“${tpl.name}”（v${tpl.version}）锁定，必须保持为 ${JSON.stringify(tpl.config[f] ?? null)}`));
      }
    }
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------------------------
// Upgrades of a draft: newer template versions and newer node type versions

export interface NodeUpgrade {
  nodeId: string;
  kind: 'template' | 'node-type';
  from: { type: string; version: number; template?: { id: string; version: number } };
  to: { type: string; version: number; template?: { id: string; version: number } };
  /** Field-level difference of the node's config before and after the upgrade. */
  changes: FieldChange[];
  /** For template upgrades: the template's own difference between the two versions. */
  templateChanges?: ReturnType<typeof templateDiff>;
  config: Record<string, unknown>;
  /** Why the upgrade cannot be applied automatically, when it cannot. */
  blocked?: string;
}

/**
 * Merges a template upgrade into a node: locked fields take the new template's values; an editable field the
 * marketer left at the old template's value follows the template; one they changed keeps their value.
 */
export function mergeTemplateUpgrade(config: Record<string, unknown>, from: NodeTemplateDoc, to: NodeTemplateDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = new Set([...Object.keys(config), ...Object.keys(from.config), ...Object.keys(to.config)]);
  for (const f of fields) {
    const value = to.locked.includes(f) || deepEqual(config[f], from.config[f]) ? to.config[f] : config[f];
    if (value !== undefined) out[f] = value;
  }
  return out;
}

export async function planUpgrades(s: Store, registry: NodeRegistry, workspaceId: string, graph: JourneyGraph): Promise<NodeUpgrade[]> {
  const out: NodeUpgrade[] = [];
  for (const n of graph.nodes) {
    const config = (n.config ?? {}) as Record<string, unknown>;
    if (n.template) {
      const [from, to] = await Promise.all([
        getTemplateVersion(s, workspaceId, n.template.id, n.template.version),
        latestTemplateVersion(s, workspaceId, n.template.id, true),
      ]);
      if (from && to && to.version > from.version && !to.archived) {
        const next = mergeTemplateUpgrade(config, from, to);
        const errors = registry.validateConfig(to.nodeType, to.nodeVersion, next);
        out.push({
          nodeId: n.id, kind: 'template',
          from: { type: n.type, version: n.version, template: n.template }, to: { type: to.nodeType, version: to.nodeVersion, template: { id: to.templateId, version: to.version } },
          changes: configDiff(config, next), templateChanges: templateDiff(from, to), config: next,
          ...(errors.length ? { blocked: `the merged config is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}` } : {}),
        });
      }
      continue; // a template-bound node moves with its template, not on its own
    }
    const latest = registry.latest(n.type);
    if (latest && latest.version > n.version) {
      const up = upgradeConfig(registry, n.type, n.version, config);
      out.push({
        nodeId: n.id, kind: 'node-type', from: { type: n.type, version: n.version }, to: { type: n.type, version: latest.version },
        changes: up.ok ? configDiff(config, up.config as Record<string, unknown>) : [], config: up.ok ? (up.config as Record<string, unknown>) : config,
        ...(up.ok ? {} : { blocked: up.message }),
      });
    }
  }
  return out;
}

/** The graph with the chosen upgrades applied (blocked ones are never applied). */
export function applyUpgrades(graph: JourneyGraph, upgrades: NodeUpgrade[], nodeIds?: string[]): { graph: JourneyGraph; applied: NodeUpgrade[] } {
  const chosen = upgrades.filter((u) => !u.blocked && (!nodeIds || nodeIds.includes(u.nodeId)));
  const byId = new Map(chosen.map((u) => [u.nodeId, u]));
  return {
    graph: {
      ...graph,
      nodes: graph.nodes.map((n) => {
        const u = byId.get(n.id);
        if (!u) return n;
        return { ...n, type: u.to.type, version: u.to.version, config: u.config, ...(u.to.template ? { template: u.to.template } : {}) };
      }),
    },
    applied: chosen,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Journey templates

export function journeyTemplateView(t: { id: string; name: string; description?: string; graph: JourneyGraph; builtin: boolean; tags?: string[]; createdAt?: Date; i18n?: { 'zh-CN': { name: string; description: string } } }) {
  return {
    id: t.id, name: t.name, description: t.description ?? null, builtin: t.builtin, tags: t.tags ?? [], nodeCount: t.graph.nodes.length, ...(t.i18n ? { i18n: t.i18n } : {}),
    nodeTypes: [...new Set(t.graph.nodes.map((n) => n.type))], createdAt: t.createdAt?.toISOString() ?? null, ...t.graph,
  };
}

export async function listJourneyTemplates(s: Store, workspaceId: string) {
  const own = await s.journeyTemplates.find({ workspaceId }).sort({ createdAt: -1 }).limit(500).toArray();
  return [
    ...JOURNEY_GALLERY.map((g) => journeyTemplateView({ ...g, builtin: true })),
    ...own.map((d) => journeyTemplateView({ id: d._id, name: d.name, description: d.description, graph: d.graph, builtin: false, createdAt: d.createdAt })),
  ];
}

export async function getJourneyTemplate(s: Store, workspaceId: string, id: string): Promise<{ name: string; description?: string; graph: JourneyGraph } | null> {
  const builtin = JOURNEY_GALLERY.find((g) => g.id === id);
  if (builtin) return builtin;
  return s.journeyTemplates.findOne({ _id: id, workspaceId });
}

export async function createJourneyTemplate(s: Store, workspaceId: string, t: { name: string; description?: string; graph: JourneyGraph; sourceJourneyId?: string }, by?: string): Promise<JourneyTemplateDoc> {
  const doc: JourneyTemplateDoc = { _id: randomUUID(), workspaceId, name: t.name, description: t.description, graph: t.graph, sourceJourneyId: t.sourceJourneyId, createdAt: new Date(), createdBy: by };
  await s.journeyTemplates.insertOne(doc);
  return doc;
}
