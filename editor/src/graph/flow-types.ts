/** The canvas' node and edge types: a journey node is an xyflow node whose `type` is its category. */
import type { Edge, Node } from '@xyflow/react';
import type { Category } from '../../../nodes/contract';

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
