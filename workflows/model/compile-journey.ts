/**
 * A published journey version in the shape the interpreter workflow walks: nodes by id with their execution
 * policy, and the next node per `node:port`. The workflow receives it whole and never reads the database.
 */
import type { Category, ExecutionPolicy, FlowKind } from '../../nodes/contract';
import type { NodeRegistry } from '../../nodes/registry';
import type { JourneyGraph, JourneySettings } from './journey-schema';

export interface CompiledNode {
  id: string;
  type: string;
  version: number;
  category: Category;
  flow?: FlowKind;
  config: Record<string, unknown>;
  execution: ExecutionPolicy;
}

export interface CompiledJourney {
  workspaceId: string;
  journeyId: string;
  version: number;
  nodes: Record<string, CompiledNode>;
  /** `${nodeId}:${port}` → next node id. A port with no edge ends the run. */
  next: Record<string, string>;
  triggers: string[];
  settings: JourneySettings;
}

export function compileJourney(graph: JourneyGraph, registry: NodeRegistry, ids: { workspaceId: string; journeyId: string; version: number }): CompiledJourney {
  const nodes: Record<string, CompiledNode> = {};
  for (const n of graph.nodes) {
    const m = registry.get(n.type, n.version);
    if (!m) throw new Error(`unknown node type ${n.type}@${n.version}`);
    nodes[n.id] = { id: n.id, type: n.type, version: n.version, category: m.category, flow: m.flow, config: n.config as Record<string, unknown>, execution: m.execution };
  }
  const next: Record<string, string> = {};
  for (const e of graph.edges) next[`${e.from}:${e.port}`] = e.to;
  return {
    ...ids,
    nodes,
    next,
    triggers: Object.values(nodes).filter((n) => n.category === 'trigger').map((n) => n.id),
    settings: { reentry: 'after_exit', timezone: 'UTC', ...(graph.settings ?? {}) },
  };
}
