/** Which nodes may run together in one stretch (plain data: the workflow and the worker both decide with it). */
import type { CompiledJourney, CompiledNode } from './compile-journey';

/** A node with its own retry schedule runs as its own activity. Versions compiled before the flag: by timeout. */
export function isolated(node: Pick<CompiledNode, 'execution'>): boolean {
  return node.execution.isolated ?? node.execution.timeoutMs > 30_000;
}

/** Flow nodes are the workflow's own (timers, signals); isolated nodes end a stretch. */
export function stretchable(node: Pick<CompiledNode, 'flow' | 'execution'>): boolean {
  return !node.flow && !isolated(node);
}

/**
 * A journey whose every run is one stretch: only stretchable nodes, no quiet hours (a wait before a response), and
 * every event enters anew (`reentry: always`: an entry's `_id` is its event's, so it cannot exist before the run,
 * and no rule asks whether the contact is in the journey right now). Its runs write their enrollment themselves,
 * once, when the stretch ends (the API does not insert it first): a run ends within one local activity, so no
 * event has to find it meanwhile. Under `after_exit` the row must exist from the start, so that a second event of
 * the contact a moment later sees the first run and stays out.
 */
export function runsInOneStretch(journey: Pick<CompiledJourney, 'nodes' | 'settings'>): boolean {
  return !journey.settings.quietHours && journey.settings.reentry === 'always'
    && Object.values(journey.nodes).every(stretchable);
}
