/**
 * The editor's graph state, free of React: a zustand vanilla store built per opened journey. Components read it
 * with `useStore(store, selector)` + `useShallow`. Undo/redo keeps whole document snapshots: journeys are small
 * (≤ 500 nodes) and snapshots cannot drift out of sync the way inverse operations can.
 */
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import type { NodeManifest } from '../../../nodes/contract';
import type { NodeRegistry } from '../../../nodes/registry';
import { NOTE_TEXT_MAX, NOTES_MAX, type JourneyDocument, type NoteColor } from '../../../workflows/model/journey-schema';
import { layoutPositions } from './auto-layout';
import { defaultsFor } from './schema-defaults';
import { checkConnection, type ConnectionAttempt, type ConnectionVerdict } from './connection-rules';
import { edgesFromDocument, newNodeId, nodesFromDocument, NOTE_SIZE, notesFromDocument, toDocument, type GraphMeta } from './document';
import { edgeId, INPUT_HANDLE, isNoteFlowId, noteFlowId, noteIdOf, type JourneyFlowEdge, type JourneyFlowNode, type NoteFlowNode } from './flow-types';

const HISTORY_LIMIT = 100;
/** Edits of the same field within this window are one undo step (typing a message is not 40 steps). */
const COALESCE_MS = 1200;

export interface Clipboard { nodes: JourneyDocument['nodes']; edges: JourneyDocument['edges'] }

export interface JourneyEditorState {
  meta: GraphMeta;
  nodes: JourneyFlowNode[];
  edges: JourneyFlowEdge[];
  /** Sticky notes: beside the steps, not among them, so validation, counts and the test run never see a note. */
  notes: NoteFlowNode[];
  past: JourneyDocument[];
  future: JourneyDocument[];
  clipboard: Clipboard | null;
  /** Grows on every document change (not on selection or measuring): autosave watches it. */
  changeCount: number;

  load(doc: JourneyDocument): void;
  document(): JourneyDocument;
  /** Records the current document as an undo step before a change. */
  checkpoint(coalesceKey?: string): void;
  onNodesChange(changes: NodeChange<JourneyFlowNode | NoteFlowNode>[]): void;
  onEdgesChange(changes: EdgeChange<JourneyFlowEdge>[]): void;
  addNode(manifest: NodeManifest<any>, position: { x: number; y: number }, config?: Record<string, unknown>, template?: { id: string; version: number }): string;
  /** A new node connected from `from`'s port, as one undo step (the "+" of a port, a connection dropped in empty space). */
  addConnectedNode(manifest: NodeManifest<any>, position: { x: number; y: number }, from: { nodeId: string; port: string }): { id: string; verdict: ConnectionVerdict };
  connect(c: ConnectionAttempt): ConnectionVerdict;
  canConnect(c: ConnectionAttempt): ConnectionVerdict;
  updateConfig(nodeId: string, config: Record<string, unknown>): void;
  setLabel(nodeId: string, label: string): void;
  setName(name: string): void;
  /** A new note, selected; its flow id, or null when the journey has the most notes it may have. */
  addNote(position: { x: number; y: number }, color?: NoteColor): string | null;
  setNoteText(flowId: string, text: string): void;
  setNoteColor(flowId: string, color: NoteColor): void;
  deleteSelected(): void;
  selectOnly(nodeIds: string[]): void;
  selectAll(): void;
  copySelection(): void;
  paste(offset?: { x: number; y: number }): string[];
  undo(): void;
  redo(): void;
  autoLayout(): void;
  replaceGraph(graph: Pick<JourneyDocument, 'nodes' | 'edges' | 'settings' | 'notes'>): void;
}

export type JourneyEditorStore = ReturnType<typeof createJourneyStore>;

export function createJourneyStore(registry: NodeRegistry, initial: JourneyDocument) {
  let lastCheckpoint = { key: '', at: 0 };

  return createStore<JourneyEditorState>()((set, get) => {
    const changed = () => set((s) => ({ changeCount: s.changeCount + 1 }));
    const restore = (doc: JourneyDocument) => {
      const s = get();
      set({
        meta: { name: doc.name, description: doc.description, settings: doc.settings },
        nodes: nodesFromDocument(doc, registry, s.nodes),
        edges: edgesFromDocument(doc, s.edges),
        notes: notesFromDocument(doc, s.notes),
      });
    };

    return {
      meta: { name: initial.name, description: initial.description, settings: initial.settings },
      nodes: nodesFromDocument(initial, registry),
      edges: edgesFromDocument(initial),
      notes: notesFromDocument(initial),
      past: [],
      future: [],
      clipboard: null,
      changeCount: 0,

      load(doc) {
        lastCheckpoint = { key: '', at: 0 };
        set({ meta: { name: doc.name, description: doc.description, settings: doc.settings }, nodes: nodesFromDocument(doc, registry), edges: edgesFromDocument(doc), notes: notesFromDocument(doc), past: [], future: [], changeCount: 0 });
      },

      document() {
        const s = get();
        return toDocument(s.meta, s.nodes, s.edges, s.notes);
      },

      checkpoint(coalesceKey) {
        const now = Date.now();
        if (coalesceKey && coalesceKey === lastCheckpoint.key && now - lastCheckpoint.at < COALESCE_MS) {
          lastCheckpoint.at = now;
          return;
        }
        lastCheckpoint = { key: coalesceKey ?? '', at: now };
        const past = [...get().past, get().document()].slice(-HISTORY_LIMIT);
        set({ past, future: [] });
      },

      onNodesChange(all) {
        // Removal goes through deleteSelected (one undo step, edges included); xyflow's own delete key is off.
        const isNote = (c: NodeChange) => 'id' in c && isNoteFlowId(c.id);
        const noteChanges = all.filter((c) => c.type !== 'remove' && isNote(c)) as NodeChange<NoteFlowNode>[];
        if (noteChanges.length) {
          const before = get().notes;
          const prev = (id: string) => before.find((n) => n.id === id);
          // Moving or resizing a note is one undo step each, taken when it starts.
          const starts = noteChanges.some((c) => (c.type === 'position' && c.dragging && !prev(c.id)?.dragging) || (c.type === 'dimensions' && c.resizing && !prev(c.id)?.resizing));
          if (starts) get().checkpoint();
          set({ notes: applyNodeChanges(noteChanges, before) });
          if (noteChanges.some((c) => (c.type === 'position' && c.dragging === false) || (c.type === 'dimensions' && c.resizing === false))) changed();
        }
        const kept = all.filter((c) => c.type !== 'remove' && !isNote(c)) as NodeChange<JourneyFlowNode>[];
        if (!kept.length) return;
        const dragStart = kept.some((c) => c.type === 'position' && c.dragging && !get().nodes.find((n) => n.id === c.id)?.dragging);
        if (dragStart) get().checkpoint();
        set({ nodes: applyNodeChanges(kept, get().nodes) });
        if (kept.some((c) => c.type === 'position' && c.dragging === false)) changed();
      },

      onEdgesChange(changes) {
        const kept = changes.filter((c) => c.type !== 'remove');
        if (kept.length) set({ edges: applyEdgeChanges(kept, get().edges) });
      },

      addNode(manifest, position, config = defaultsFor(manifest), template) {
        get().checkpoint();
        const id = newNodeId(manifest.type, get().nodes.map((n) => n.id));
        const node: JourneyFlowNode = {
          id, type: manifest.category, position, selected: true,
          data: { nodeType: manifest.type, version: manifest.version, config, ...(template ? { template: { ...template } } : {}) },
        };
        set((s) => ({ nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)) }));
        changed();
        return id;
      },

      addConnectedNode(manifest, position, from) {
        get().checkpoint();
        const before = get().past;
        const id = get().addNode(manifest, position, defaultsFor(manifest));
        const verdict = get().connect({ source: from.nodeId, sourceHandle: from.port, target: id });
        // addNode and connect each recorded a step: keep only the one taken before both.
        set({ past: before });
        return { id, verdict };
      },

      canConnect(c) {
        return checkConnection(c, get().nodes, get().edges, registry);
      },

      connect(c) {
        const verdict = get().canConnect(c);
        if (!verdict.ok) return verdict;
        get().checkpoint();
        const edge: JourneyFlowEdge = { id: edgeId(c.source!, c.sourceHandle!, c.target!), source: c.source!, sourceHandle: c.sourceHandle!, target: c.target!, targetHandle: INPUT_HANDLE };
        set((s) => ({ edges: [...s.edges, edge] }));
        changed();
        return verdict;
      },

      updateConfig(nodeId, config) {
        get().checkpoint(`config:${nodeId}`);
        set((s) => ({ nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, config } } : n)) }));
        changed();
      },

      setLabel(nodeId, label) {
        get().checkpoint(`label:${nodeId}`);
        set((s) => ({ nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, label: label || undefined } } : n)) }));
        changed();
      },

      addNote(position, color = 'yellow') {
        const s = get();
        if (s.notes.length >= NOTES_MAX) return null;
        s.checkpoint();
        const flowId = noteFlowId(newNodeId('note', s.notes.map((n) => noteIdOf(n.id))));
        const note: NoteFlowNode = {
          id: flowId, type: 'note', position, width: NOTE_SIZE.width, height: NOTE_SIZE.height, zIndex: -1, selected: true, data: { text: '', color },
        };
        set({
          nodes: s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
          edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
          notes: [...s.notes.map((n) => (n.selected ? { ...n, selected: false } : n)), note],
        });
        changed();
        return flowId;
      },

      setNoteText(flowId, text) {
        get().checkpoint(`note:${flowId}`);
        const kept = text.slice(0, NOTE_TEXT_MAX);
        set((s) => ({ notes: s.notes.map((n) => (n.id === flowId ? { ...n, data: { ...n.data, text: kept } } : n)) }));
        changed();
      },

      setNoteColor(flowId, color) {
        if (get().notes.find((n) => n.id === flowId)?.data.color === color) return;
        get().checkpoint();
        set((s) => ({ notes: s.notes.map((n) => (n.id === flowId ? { ...n, data: { ...n.data, color } } : n)) }));
        changed();
      },

      setName(name) {
        get().checkpoint('name');
        set((s) => ({ meta: { ...s.meta, name } }));
        changed();
      },

      deleteSelected() {
        const s = get();
        const nodeIds = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
        const doomedEdges = s.edges.filter((e) => e.selected || nodeIds.has(e.source) || nodeIds.has(e.target));
        const doomedNotes = s.notes.some((n) => n.selected);
        if (!nodeIds.size && !doomedEdges.length && !doomedNotes) return;
        s.checkpoint();
        const gone = new Set(doomedEdges.map((e) => e.id));
        set({ nodes: s.nodes.filter((n) => !nodeIds.has(n.id)), edges: s.edges.filter((e) => !gone.has(e.id)), notes: s.notes.filter((n) => !n.selected) });
        changed();
      },

      selectOnly(nodeIds) {
        const ids = new Set(nodeIds);
        set((s) => ({
          nodes: s.nodes.map((n) => (n.selected === ids.has(n.id) ? n : { ...n, selected: ids.has(n.id) })),
          edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
          notes: s.notes.map((n) => (n.selected === ids.has(n.id) ? n : { ...n, selected: ids.has(n.id) })),
        }));
      },

      selectAll() {
        set((s) => ({ nodes: s.nodes.map((n) => (n.selected ? n : { ...n, selected: true })) }));
      },

      copySelection() {
        const s = get();
        const doc = s.document();
        const ids = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
        if (!ids.size) return;
        set({
          clipboard: {
            nodes: structuredClone(doc.nodes.filter((n) => ids.has(n.id))),
            edges: doc.edges.filter((e) => ids.has(e.from) && ids.has(e.to)),
          },
        });
      },

      paste(offset = { x: 40, y: 40 }) {
        const s = get();
        const clip = s.clipboard;
        if (!clip?.nodes.length) return [];
        s.checkpoint();
        const taken = s.nodes.map((n) => n.id);
        const rename = new Map<string, string>();
        for (const n of clip.nodes) {
          const id = newNodeId(n.type, taken);
          taken.push(id);
          rename.set(n.id, id);
        }
        const pasted = nodesFromDocument({
          nodes: clip.nodes.map((n) => ({ ...structuredClone(n), id: rename.get(n.id)!, position: { x: (n.position?.x ?? 0) + offset.x, y: (n.position?.y ?? 0) + offset.y } })),
        }, registry).map((n) => ({ ...n, selected: true }));
        const pastedEdges = edgesFromDocument({ edges: clip.edges.map((e) => ({ from: rename.get(e.from)!, port: e.port, to: rename.get(e.to)! })) });
        set({
          nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted],
          edges: [...s.edges, ...pastedEdges],
          // A second paste lands further along instead of on top of the first.
          clipboard: { nodes: clip.nodes.map((n) => ({ ...n, position: { x: (n.position?.x ?? 0) + offset.x, y: (n.position?.y ?? 0) + offset.y } })), edges: clip.edges },
        });
        changed();
        return pasted.map((n) => n.id);
      },

      undo() {
        const s = get();
        const prev = s.past.at(-1);
        if (!prev) return;
        const current = s.document();
        restore(prev);
        set({ past: s.past.slice(0, -1), future: [current, ...s.future] });
        lastCheckpoint = { key: '', at: 0 };
        changed();
      },

      redo() {
        const s = get();
        const next = s.future[0];
        if (!next) return;
        const current = s.document();
        restore(next);
        set({ past: [...s.past, current], future: s.future.slice(1) });
        lastCheckpoint = { key: '', at: 0 };
        changed();
      },

      autoLayout() {
        const s = get();
        if (!s.nodes.length) return;
        s.checkpoint();
        const positions = layoutPositions(s.nodes, s.edges);
        set({ nodes: s.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })) });
        changed();
      },

      replaceGraph(graph) {
        get().checkpoint();
        restore({ ...get().document(), nodes: graph.nodes, edges: graph.edges, settings: graph.settings ?? get().meta.settings, notes: graph.notes ?? [] });
        changed();
      },
    };
  });
}
