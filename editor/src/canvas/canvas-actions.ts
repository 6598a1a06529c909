/** What node cards can ask of the canvas: open the node picker after one of their ports; which ports are connected. */
import { createContext } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { JourneyEditorStore } from '../graph/journey-store';
import type { JourneyFlowEdge } from '../graph/flow-types';

export interface PickerOrigin { nodeId: string; port: string }

export interface CanvasActions {
  store: JourneyEditorStore;
  /** `at` is a screen position (client coordinates). */
  openPicker(from: PickerOrigin, at: { x: number; y: number }): void;
}

export const CanvasActionsContext = createContext<CanvasActions | null>(null);

const NO_EDGES = createStore<{ edges: JourneyFlowEdge[] }>(() => ({ edges: [] }));

/** The node's connected output ports, `|`-joined (a string, so the card re-renders only when it changes). */
export function useUsedPorts(store: JourneyEditorStore | undefined, nodeId: string): string {
  return useStore((store ?? NO_EDGES) as typeof NO_EDGES, (s) => s.edges.filter((e) => e.source === nodeId).map((e) => e.sourceHandle ?? '').join('|'));
}
