/**
 * What the canvas draws on top of the graph: validation issues, live counts of a version, a test run's path.
 * Shared as a small store (not a context value), so each node card subscribes to its own entries only: typing in
 * one node's form, or a stats poll that changed one node, re-renders that card and not the other 299.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { NodeRegistry } from '../../../nodes/registry';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import type { NodeStats, RunStep } from '../api/types';

export interface RunMark { order: number[]; steps: RunStep[]; current: boolean }

export interface CanvasOverlay {
  registry: NodeRegistry;
  issuesByNode: Map<string, ValidationIssue[]>;
  stats: Record<string, NodeStats> | null;
  /** The stats are the draft's test runs: their messages were recorded, never sent. */
  dryRunStats?: boolean;
  run: Map<string, RunMark> | null;
}

export type CanvasOverlayStore = StoreApi<CanvasOverlay>;

export function createOverlayStore(initial: CanvasOverlay): CanvasOverlayStore {
  return createStore<CanvasOverlay>(() => initial);
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function keepMap<V>(prev: Map<string, V> | null, next: Map<string, V> | null): Map<string, V> | null {
  if (!next || !prev) return next;
  const out = new Map<string, V>();
  for (const [k, v] of next) {
    const old = prev.get(k);
    out.set(k, old !== undefined && same(old, v) ? old : v);
  }
  return out;
}

function keepRecord<V>(prev: Record<string, V> | null, next: Record<string, V> | null): Record<string, V> | null {
  if (!next || !prev) return next;
  return Object.fromEntries(Object.entries(next).map(([k, v]) => [k, k in prev && same(prev[k], v) ? prev[k] : v]));
}

/** Replaces the overlay, keeping each node's previous entry where it did not change (same reference, no re-render). */
export function updateOverlay(store: CanvasOverlayStore, next: CanvasOverlay): void {
  const prev = store.getState();
  store.setState({
    registry: next.registry,
    issuesByNode: keepMap(prev.issuesByNode, next.issuesByNode)!,
    stats: keepRecord(prev.stats, next.stats),
    dryRunStats: next.dryRunStats ?? false,
    run: keepMap(prev.run, next.run),
  }, true);
}

export const CanvasOverlayContext = createContext<CanvasOverlayStore | null>(null);

/** One value of the overlay; the selector must return a stored reference (not a new object). */
export function useOverlay<T>(selector: (o: CanvasOverlay) => T): T {
  const store = useContext(CanvasOverlayContext);
  if (!store) throw new Error('CanvasOverlayContext is missing');
  return useStore(store, selector);
}
