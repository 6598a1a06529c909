/** Where a new node goes so it does not land on top of another one. */
import type { JourneyFlowNode } from './flow-types';

export const NODE_SIZE = { width: 240, height: 110 };
const GAP = 16;

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) {
  return a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
}

/** `at` if it is free, else the nearest free slot below it, then in the next columns to the right. */
export function freeSpot(nodes: Pick<JourneyFlowNode, 'position' | 'measured'>[], at: { x: number; y: number }, size = NODE_SIZE): { x: number; y: number } {
  const boxes = nodes.map((n) => ({ x: n.position.x, y: n.position.y, width: n.measured?.width ?? NODE_SIZE.width, height: n.measured?.height ?? NODE_SIZE.height }));
  for (let col = 0; col < 40; col++) {
    for (let row = 0; row < 8; row++) {
      const c = { x: at.x + col * (size.width + GAP * 2), y: at.y + row * (size.height + GAP * 2), ...size };
      if (!boxes.some((b) => overlaps(c, b))) return { x: Math.round(c.x), y: Math.round(c.y) };
    }
  }
  return at;
}
