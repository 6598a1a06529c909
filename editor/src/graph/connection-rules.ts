/** Which connections the canvas accepts; the shared validator would reject the rest at publish time anyway. */
import { portsOf } from '../../../nodes/ports';
import type { NodeRegistry } from '../../../nodes/registry';
import type { JourneyFlowEdge, JourneyFlowNode } from './flow-types';

export interface ConnectionAttempt { source: string | null; sourceHandle?: string | null; target: string | null }

export type ConnectionVerdict = { ok: true } | { ok: false; reason: 'self' | 'missing' | 'into_trigger' | 'unknown_port' | 'port_taken' | 'duplicate' };

export function checkConnection(c: ConnectionAttempt, nodes: JourneyFlowNode[], edges: JourneyFlowEdge[], registry: NodeRegistry): ConnectionVerdict {
  if (!c.source || !c.target || !c.sourceHandle) return { ok: false, reason: 'missing' };
  if (c.source === c.target) return { ok: false, reason: 'self' };
  const from = nodes.find((n) => n.id === c.source);
  const to = nodes.find((n) => n.id === c.target);
  if (!from || !to) return { ok: false, reason: 'missing' };
  if (to.type === 'trigger') return { ok: false, reason: 'into_trigger' };
  const manifest = registry.get(from.data.nodeType, from.data.version);
  if (!manifest || !portsOf(manifest, from.data.config).some((p) => p.id === c.sourceHandle)) return { ok: false, reason: 'unknown_port' };
  // One edge per output port: a port is a decision, it leads to exactly one next step.
  if (edges.some((e) => e.source === c.source && e.sourceHandle === c.sourceHandle)) return { ok: false, reason: 'port_taken' };
  return { ok: true };
}
