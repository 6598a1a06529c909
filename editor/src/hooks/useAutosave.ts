/**
 * Saves the draft a moment after the last change (debounced PUT with the revision it was based on), and asks
 * before leaving while something is unsaved. A 409 means another tab or person saved meanwhile: we stop
 * autosaving rather than overwrite their work.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import type { JourneyView } from '../api/types';
import type { JourneyEditorStore } from '../graph/journey-store';

export type SaveState = { kind: 'saved' } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'error'; message: string } | { kind: 'conflict' };

export function useAutosave(store: JourneyEditorStore, journeyId: string, initialRevision: number, onSaved: (j: JourneyView) => void, delayMs = 700) {
  const [state, setState] = useState<SaveState>({ kind: 'saved' });
  const revision = useRef(initialRevision);
  const savedCount = useRef(store.getState().changeCount);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<Promise<void> | null>(null);
  const conflict = useRef(false);

  const saveNow = useCallback(async (): Promise<void> => {
    if (conflict.current) return;
    if (inFlight.current) await inFlight.current;
    const count = store.getState().changeCount;
    if (count === savedCount.current) return;
    setState({ kind: 'saving' });
    const run = (async () => {
      try {
        const saved = await api.saveDraft(journeyId, store.getState().document(), revision.current);
        revision.current = saved.revision;
        savedCount.current = count;
        onSaved(saved);
        setState(store.getState().changeCount === count ? { kind: 'saved' } : { kind: 'dirty' });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          conflict.current = true;
          setState({ kind: 'conflict' });
        } else {
          setState({ kind: 'error', message: errorText(err) });
        }
      }
    })();
    inFlight.current = run;
    await run;
    inFlight.current = null;
    if (store.getState().changeCount !== savedCount.current && !conflict.current) schedule();
  }, [journeyId, store, onSaved]); // eslint-disable-line react-hooks/exhaustive-deps

  const schedule = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => { void saveNow(); }, delayMs);
  }, [saveNow, delayMs]);

  useEffect(() => store.subscribe((s, prev) => {
    if (s.changeCount !== prev.changeCount && s.changeCount !== savedCount.current) {
      setState((st) => (st.kind === 'conflict' || st.kind === 'dirty' ? st : { kind: 'dirty' }));
      schedule();
    }
  }), [store, schedule]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (store.getState().changeCount !== savedCount.current) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', warn);
    return () => { window.removeEventListener('beforeunload', warn); clearTimeout(timer.current); };
  }, [store]);

  return { state, saveNow, revision };
}
