/** Editor shortcuts; ignored while typing in a field so Backspace edits text instead of deleting nodes. */
import { useEffect } from 'react';
import type { JourneyEditorStore } from '../graph/journey-store';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function useKeyboardShortcuts(store: JourneyEditorStore, actions: { save(): void; fit(): void; addNote?(): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Nor behind a dialog (a version diff, publishing): Delete there must not remove the draft's selection.
      if (typing(e.target) || document.querySelector('.modal-backdrop')) return;
      const s = store.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      let handled = true;
      if (e.key === 'Delete' || e.key === 'Backspace') s.deleteSelected();
      else if (mod && key === 'z' && !e.shiftKey) s.undo();
      else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) s.redo();
      else if (mod && key === 'c') s.copySelection();
      else if (mod && key === 'v') s.paste();
      else if (mod && key === 'a') s.selectAll();
      else if (mod && key === 's') actions.save();
      else if (!mod && key === 'f' && !e.shiftKey) actions.fit();
      else if (!mod && e.shiftKey && key === 's' && actions.addNote) actions.addNote();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, actions]);
}
