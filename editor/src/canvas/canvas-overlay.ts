/**
 * What the canvas draws on top of the graph: validation issues, live counts of a version, a test run's path.
 * Shared through context so node components stay memoized on their own props.
 */
import { createContext, useContext } from 'react';
import type { NodeRegistry } from '../../../nodes/registry';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import type { NodeStats, RunStep } from '../api/types';

export interface RunMark { order: number[]; steps: RunStep[]; current: boolean }

export interface CanvasOverlay {
  registry: NodeRegistry;
  issuesByNode: Map<string, ValidationIssue[]>;
  stats: Record<string, NodeStats> | null;
  run: Map<string, RunMark> | null;
}

export const CanvasOverlayContext = createContext<CanvasOverlay | null>(null);

export function useCanvasOverlay(): CanvasOverlay {
  const v = useContext(CanvasOverlayContext);
  if (!v) throw new Error('CanvasOverlayContext is missing');
  return v;
}
