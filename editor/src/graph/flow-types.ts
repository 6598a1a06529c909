/** The canvas' node and edge types: a journey node is an xyflow node whose `type` is its category. */
import type { Edge, Node } from '@xyflow/react';
import type { Category } from '../../../nodes/contract';
import type { NoteColor } from '../../../workflows/model/journey-schema';

export interface JourneyNodeData extends Record<string, unknown> {
  /** The node type of the manifest (`response.reply`), not the xyflow node type (the category). */
  nodeType: string;
  version: number;
  config: Record<string, unknown>;
  label?: string;
  /** The node template (and version) this node was made from: its locked fields keep the template's values. */
  template?: { id: string; version: number };
}

export type CanvasNodeKind = Category | 'unknown';
export type JourneyFlowNode = Node<JourneyNodeData, CanvasNodeKind>;
/** `sourceHandle` is the output port id; every node has a single input handle `in`. */
export type JourneyFlowEdge = Edge;

export const INPUT_HANDLE = 'in';

export function edgeId(from: string, port: string, to: string): string {
  return `${from}:${port}->${to}`;
}

/** A sticky note on the canvas (the document's `notes`): an xyflow node of its own type, never a journey step. */
export interface NoteData extends Record<string, unknown> {
  text: string;
  color: NoteColor;
  /** Shown in a version's view or a diff: no editing, resizing or moving. */
  readOnly?: boolean;
}
export type NoteFlowNode = Node<NoteData, 'note'>;

/**
 * A note's xyflow id: its document id behind a prefix no node id can have (node ids allow no ':'), so a note and
 * a node that share an id (an imported document) never clash on the canvas.
 */
export const NOTE_PREFIX = 'note:';
export const noteFlowId = (id: string) => `${NOTE_PREFIX}${id}`;
export const isNoteFlowId = (flowId: string) => flowId.startsWith(NOTE_PREFIX);
export const noteIdOf = (flowId: string) => flowId.slice(NOTE_PREFIX.length);
