/** Which nodes may run together in one stretch (plain data: the workflow and the worker both decide with it). */
import type { CompiledNode } from './compile-journey';

/** A node with its own retry schedule runs as its own activity. Versions compiled before the flag: by timeout. */
export function isolated(node: Pick<CompiledNode, 'execution'>): boolean {
  return node.execution.isolated ?? node.execution.timeoutMs > 30_000;
}

/** Flow nodes are the workflow's own (timers, signals); isolated nodes end a stretch. */
export function stretchable(node: Pick<CompiledNode, 'flow' | 'execution'>): boolean {
  return !node.flow && !isolated(node);
}
