/**
 * Loaders of the lazily loaded pages that other screens warm up ahead of use (the editor from the journey list),
 * and the first journey request when the app opens straight on a journey (fetched alongside the catalog).
 */
import { api } from './api/client';
import type { JourneyView } from './api/types';

/** The editor page with the registry module it needs, fetched as one step. */
export const loadEditorPage = () => Promise.all([import('./pages/JourneyEditorPage'), import('./registry-of')]).then(([m]) => m.JourneyEditorPage);

/** Fetches the editor's chunk when the browser is idle, so opening a journey does not wait for it. */
export function preloadEditorWhenIdle(): void {
  const idle = (window as { requestIdleCallback?: (fn: () => void) => void }).requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 200));
  idle(() => { void loadEditorPage().catch(() => undefined); });
}

let early: { id: string; request: Promise<JourneyView> } | null = null;

/** Starts loading a journey (and the editor) before the app knows who is signed in; taken once by its loader. */
export function prefetchJourney(id: string): void {
  early = { id, request: api.getJourney(id) };
  early.request.catch(() => undefined); // the loader asks again and shows the error
  void loadEditorPage().catch(() => undefined);
}

export function takeJourney(id: string): Promise<JourneyView> {
  const hit = early?.id === id ? early.request : null;
  early = null;
  return hit ?? api.getJourney(id);
}
