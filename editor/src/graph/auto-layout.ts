/** Left-to-right layered layout with dagre: triggers on the left, each port's next step to its right. */
import dagre from '@dagrejs/dagre';
import type { JourneyFlowEdge, JourneyFlowNode } from './flow-types';

const DEFAULT_SIZE = { width: 240, height: 110 };

export function layoutPositions(nodes: JourneyFlowNode[], edges: JourneyFlowEdge[]): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.measured?.width ?? DEFAULT_SIZE.width, height: n.measured?.height ?? DEFAULT_SIZE.height });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id);
    // dagre gives centres; xyflow positions are top-left corners.
    if (p) out.set(n.id, { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) });
  }
  return out;
}
