/** Converts between the saved journey document and the canvas' nodes and edges. */
import { portsOf } from '../../../nodes/ports';
import type { NodeRegistry } from '../../../nodes/registry';
import type { JourneyDocument, JourneySettings } from '../../../workflows/model/journey-schema';
import { edgeId, INPUT_HANDLE, noteFlowId, noteIdOf, type CanvasNodeKind, type JourneyFlowEdge, type JourneyFlowNode, type NoteFlowNode } from './flow-types';

/** A new note's size: room for three or four short lines. */
export const NOTE_SIZE = { width: 240, height: 160 };

export interface GraphMeta { name: string; description?: string; settings?: JourneySettings }

export function kindOf(registry: NodeRegistry, type: string, version: number): CanvasNodeKind {
  return registry.get(type, version)?.category ?? 'unknown';
}

/**
 * Canvas nodes for a document. Measured sizes of nodes already on the canvas are carried over, so an undo
 * that rebuilds the nodes does not make xyflow hide them until it measures again.
 */
/**
 * A card's size before the browser measures it (220 px wide, a row per port): xyflow shows the cards and fits the
 * view at once instead of waiting a measuring pass with 300 hidden cards.
 */
export function estimatedSize(registry: NodeRegistry, type: string, version: number, config: Record<string, unknown>): { initialWidth: number; initialHeight: number } {
  const m = registry.get(type, version);
  const ports = m ? portsOf(m, config).length : 0;
  return { initialWidth: 222, initialHeight: 58 + (ports ? 6 + ports * 19 : 0) };
}

export function nodesFromDocument(doc: Pick<JourneyDocument, 'nodes'>, registry: NodeRegistry, previous: JourneyFlowNode[] = []): JourneyFlowNode[] {
  const prev = new Map(previous.map((n) => [n.id, n]));
  return doc.nodes.map((n, i) => {
    const old = prev.get(n.id);
    return {
      id: n.id,
      type: kindOf(registry, n.type, n.version),
      position: n.position ?? { x: 80 + (i % 4) * 280, y: 80 + Math.floor(i / 4) * 160 },
      data: { nodeType: n.type, version: n.version, config: (n.config ?? {}) as Record<string, unknown>, ...(n.label ? { label: n.label } : {}), ...(n.template ? { template: { ...n.template } } : {}) },
      ...estimatedSize(registry, n.type, n.version, (n.config ?? {}) as Record<string, unknown>),
      ...(old?.measured ? { measured: old.measured } : {}),
      selected: old?.selected ?? false,
    };
  });
}

export function edgesFromDocument(doc: Pick<JourneyDocument, 'edges'>, previous: JourneyFlowEdge[] = []): JourneyFlowEdge[] {
  const selected = new Set(previous.filter((e) => e.selected).map((e) => e.id));
  return doc.edges.map((e) => {
    const id = edgeId(e.from, e.port, e.to);
    return { id, source: e.from, sourceHandle: e.port, target: e.to, targetHandle: INPUT_HANDLE, selected: selected.has(id) };
  });
}

/** Canvas notes for a document's notes; selection of notes already on the canvas is kept (an undo keeps what was picked). */
export function notesFromDocument(doc: Pick<JourneyDocument, 'notes'>, previous: NoteFlowNode[] = [], readOnly = false): NoteFlowNode[] {
  const selected = new Set(previous.filter((n) => n.selected).map((n) => n.id));
  return (doc.notes ?? []).map((n) => {
    const id = noteFlowId(n.id);
    return {
      id, type: 'note', position: { ...n.position }, width: n.size.width, height: n.size.height,
      // Behind the steps: a note never covers a port someone wants to connect.
      zIndex: -1, selected: selected.has(id),
      data: { text: n.text, color: n.color, ...(readOnly ? { readOnly } : {}) },
      ...(readOnly ? { draggable: false, selectable: false, connectable: false } : {}),
    };
  });
}

export function toDocument(meta: GraphMeta, nodes: JourneyFlowNode[], edges: JourneyFlowEdge[], notes: NoteFlowNode[] = []): JourneyDocument {
  return {
    name: meta.name,
    ...(meta.description ? { description: meta.description } : {}),
    nodes: nodes.map((n) => ({
      id: n.id, type: n.data.nodeType, version: n.data.version, config: n.data.config,
      ...(n.data.label ? { label: n.data.label } : {}),
      ...(n.data.template ? { template: n.data.template } : {}),
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => ({ from: e.source, port: e.sourceHandle ?? '', to: e.target })),
    ...(meta.settings ? { settings: meta.settings } : {}),
    ...(notes.length ? {
      notes: notes.map((n) => ({
        id: noteIdOf(n.id), position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
        size: { width: Math.round(n.width ?? n.measured?.width ?? NOTE_SIZE.width), height: Math.round(n.height ?? n.measured?.height ?? NOTE_SIZE.height) },
        text: n.data.text, color: n.data.color,
      })),
    } : {}),
  };
}

/** A node id that reads well in step records (`reply-2`), unique in the journey. */
export function newNodeId(type: string, taken: Iterable<string>): string {
  const base = (type.split('.').pop() || 'node').replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40);
  const used = new Set(taken);
  for (let i = 1; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}
