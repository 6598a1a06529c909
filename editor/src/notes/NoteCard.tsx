/**
 * A sticky note on the canvas: its text (a little markdown), edited on double-click; resizable and recoloured
 * when selected. Edits go through the journey store (undo, autosave); a read-only note (a version's view, a diff)
 * only shows its text.
 */
import { memo, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { NOTE_COLORS, NOTE_TEXT_MAX, type NoteColor } from '../../../workflows/model/journey-schema';
import { CanvasActionsContext } from '../canvas/canvas-actions';
import { noteIdOf, type NoteFlowNode } from '../graph/flow-types';
import type { MessageKey } from '../i18n/dictionary';
import { useT } from '../i18n/language-store';
import { parseNote, type Span } from './note-markdown';

function SpanText({ span }: { span: Span }) {
  if (span.code) return <code>{span.text}</code>;
  if (span.bold) return <strong>{span.text}</strong>;
  if (span.italic) return <em>{span.text}</em>;
  return <>{span.text}</>;
}

function NoteText({ text }: { text: string }) {
  const blocks = parseNote(text);
  const items: ReactNode[] = [];
  blocks.forEach((b, i) => {
    const spans = b.spans.map((s, j) => <SpanText key={j} span={s} />);
    if (b.kind === 'h') items.push(<p key={i} className="note-h">{spans}</p>);
    else if (b.kind === 'li') items.push(<p key={i} className="note-li">• {spans}</p>);
    else items.push(<p key={i}>{spans}</p>);
  });
  return <>{items}</>;
}

export const NoteCard = memo(function NoteCard({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const t = useT();
  const store = useContext(CanvasActionsContext)?.store;
  const editable = !!store && !data.readOnly;
  const [editing, setEditing] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const docId = noteIdOf(id);
  useEffect(() => { if (editing) area.current?.focus(); }, [editing]);
  useEffect(() => { if (!selected) setEditing(false); }, [selected]);
  // A note added from the toolbar or Shift+S starts empty and in editing, ready for typing.
  useEffect(() => { if (editable && selected && !data.text) setEditing(true); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className={`note note-${data.color}${data.readOnly ? ' note-readonly' : ''}`} data-testid={`note-${docId}`} data-color={data.color}
      onDoubleClick={() => { if (editable) setEditing(true); }}>
      {editable && <NodeResizer isVisible={selected} minWidth={80} minHeight={40} maxWidth={2000} maxHeight={2000} />}
      {editable && selected && (
        <div className="note-colors nodrag" role="group" aria-label={t('note.color')}>
          {NOTE_COLORS.map((c: NoteColor) => (
            <button key={c} type="button" className={`note-swatch note-${c}${c === data.color ? ' active' : ''}`} title={t(`note.color.${c}` as MessageKey)} aria-label={t(`note.color.${c}` as MessageKey)}
              aria-pressed={c === data.color} onClick={() => store.getState().setNoteColor(id, c)} data-testid={`note-color-${docId}-${c}`} />
          ))}
        </div>
      )}
      {editing ? (
        <textarea ref={area} className="note-input nodrag nowheel nopan" value={data.text} maxLength={NOTE_TEXT_MAX} aria-label={t('note.text')} placeholder={t('note.placeholder')}
          onChange={(e) => store?.getState().setNoteText(id, e.target.value)}
          onBlur={() => setEditing(false)}
          onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); setEditing(false); } }}
          data-testid={`note-text-${docId}`} />
      ) : (
        <div className="note-body" data-testid={`note-body-${docId}`}>
          {data.text ? <NoteText text={data.text} /> : <p className="note-empty">{editable ? t('note.placeholder') : ''}</p>}
        </div>
      )}
    </div>
  );
});
