/**
 * What changed between two graphs of a journey (two published versions, or a version and the draft): nodes and
 * edges added, removed, or — for nodes — changed (config, label, version, template; a move is no change), and
 * whether the settings or the notes differ. Pure data, so the version diff view and its tests share it.
 */
import type { JourneyDocument } from '../../../workflows/model/journey-schema';
import type { Lang } from '../i18n/dictionary';
import { edgeId } from './flow-types';

export type Graph = Pick<JourneyDocument, 'nodes' | 'edges'> & Partial<Pick<JourneyDocument, 'settings' | 'notes'>>;
export type DiffStatus = 'added' | 'removed' | 'changed' | 'same';
/** A changed field of a node: a top-level config key, or one of the node's own properties. */
export type ChangedField = { kind: 'config'; key: string } | { kind: 'label' | 'version' | 'type' | 'template' };

export interface JourneyDiff {
  nodes: Map<string, DiffStatus>;
  changed: Map<string, ChangedField[]>;
  edges: Map<string, DiffStatus>;
  settingsChanged: boolean;
  notesChanged: boolean;
}

/** Deep equality of JSON values, key order ignored (a config saved by another editor orders keys differently). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameJson(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

type Node = Graph['nodes'][number];

function nodeChanges(before: Node, after: Node): ChangedField[] {
  const out: ChangedField[] = [];
  if (before.type !== after.type) out.push({ kind: 'type' });
  if (before.version !== after.version) out.push({ kind: 'version' });
  if ((before.label ?? '') !== (after.label ?? '')) out.push({ kind: 'label' });
  if (!sameJson(before.template, after.template)) out.push({ kind: 'template' });
  const a = (before.config ?? {}) as Record<string, unknown>;
  const b = (after.config ?? {}) as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) if (!sameJson(a[key], b[key])) out.push({ kind: 'config', key });
  return out;
}

export function diffJourneys(before: Graph, after: Graph): JourneyDiff {
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const nodes = new Map<string, DiffStatus>();
  const changed = new Map<string, ChangedField[]>();
  for (const n of after.nodes) {
    const was = old.get(n.id);
    if (!was) { nodes.set(n.id, 'added'); continue; }
    const fields = nodeChanges(was, n);
    nodes.set(n.id, fields.length ? 'changed' : 'same');
    if (fields.length) changed.set(n.id, fields);
  }
  for (const n of before.nodes) if (!now.has(n.id)) nodes.set(n.id, 'removed');

  const key = (e: Graph['edges'][number]) => edgeId(e.from, e.port, e.to);
  const oldEdges = new Set(before.edges.map(key));
  const newEdges = new Set(after.edges.map(key));
  const edges = new Map<string, DiffStatus>();
  for (const k of newEdges) edges.set(k, oldEdges.has(k) ? 'same' : 'added');
  for (const k of oldEdges) if (!newEdges.has(k)) edges.set(k, 'removed');

  const notesOf = (g: Graph) => (g.notes ?? []).map(({ id, text, color }) => ({ id, text, color }));
  return { nodes, changed, edges, settingsChanged: !sameJson(before.settings ?? {}, after.settings ?? {}), notesChanged: !sameJson(notesOf(before), notesOf(after)) };
}

/** Only the part of the diff a marketer reads: anything but `same`. */
export function hasChanges(d: JourneyDiff): boolean {
  return d.settingsChanged || d.notesChanged || [...d.nodes.values(), ...d.edges.values()].some((s) => s !== 'same');
}

interface TitledSchema { title?: string; 'x-i18n'?: Partial<Record<Lang, { title?: string }>>; properties?: Record<string, TitledSchema> }

/** A config field as the node's form names it: its JSON Schema title in the UI language, else its key. */
export function configFieldTitle(configSchema: unknown, key: string, lang: Lang): string {
  const p = (configSchema as TitledSchema | undefined)?.properties?.[key];
  return p?.['x-i18n']?.[lang]?.title ?? p?.title ?? key;
}
