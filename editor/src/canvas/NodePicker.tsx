/**
 * The node picker that opens from a port's "+" or where a connection was dropped in empty space: search, then
 * Enter or a click adds the node there, connected from that port. Triggers are left out (nothing leads into one).
 * Below the node types it lists the steps already on the canvas: picking one connects the port to it, so a
 * connection can be made with the keyboard alone (Tab to the port's "+", Enter, type the step's name, Enter).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CATEGORIES, type NodeManifest } from '../../../nodes/contract';
import type { MessageKey } from '../i18n/dictionary';
import { localized, useLang, useT } from '../i18n/language-store';

export function NodePicker({ manifests, at, onPick, onClose, targets = [], onConnect }: {
  manifests: NodeManifest<any>[];
  /** Where it opens, relative to the canvas box. */
  at: { x: number; y: number };
  onPick(m: NodeManifest<any>): void;
  onClose(): void;
  /** Steps on the canvas the port may lead to (its own node and triggers left out). */
  targets?: { id: string; label: string; icon: string }[];
  onConnect?(nodeId: string): void;
}) {
  const t = useT();
  const lang = useLang();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return manifests
      .filter((m) => m.category !== 'trigger')
      .filter((m) => !q || [m.type, m.title.en, m.title['zh-CN'], m.description.en, m.description['zh-CN']].some((s) => s.toLowerCase().includes(q)))
      .sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
  }, [manifests, query]);
  const steps = useMemo(() => {
    const q = query.trim().toLowerCase();
    return onConnect ? targets.filter((x) => !q || x.label.toLowerCase().includes(q) || x.id.toLowerCase().includes(q)) : [];
  }, [targets, onConnect, query]);
  const count = shown.length + steps.length;
  const choose = (i: number) => {
    if (i < shown.length) onPick(shown[i]);
    else if (steps[i - shown.length]) onConnect?.(steps[i - shown.length].id);
  };
  useEffect(() => { setActive(0); }, [query]);
  useEffect(() => {
    const away = (e: PointerEvent) => { if (box.current && !box.current.contains(e.target as Node)) onClose(); };
    window.addEventListener('pointerdown', away, true);
    return () => window.removeEventListener('pointerdown', away, true);
  }, [onClose]);

  return (
    <div ref={box} className="node-picker nodrag nopan nowheel" style={{ left: at.x, top: at.y }} role="dialog" aria-label={t('picker.heading')} data-testid="node-picker">
      <input
        autoFocus type="search" value={query} placeholder={t('palette.search')} aria-label={t('palette.search')} data-testid="node-picker-search"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') { e.preventDefault(); onClose(); }
          else if (e.key === 'ArrowDown') { e.preventDefault(); setActive((i) => Math.min(i + 1, count - 1)); }
          else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((i) => Math.max(i - 1, 0)); }
          else if (e.key === 'Enter' && active < count) { e.preventDefault(); choose(active); }
        }}
      />
      {count === 0 && <p className="muted small">{t('palette.noMatch', { query })}</p>}
      <ul role="listbox">
        {shown.map((m, i) => (
          <li key={`${m.type}@${m.version}`} role="option" aria-selected={i === active} className={`picker-${m.category}${i === active ? ' active' : ''}`}
            onMouseEnter={() => setActive(i)} onClick={() => onPick(m)} data-testid={`node-picker-item-${m.type}`}>
            <span aria-hidden>{m.icon}</span> {localized(m.title, lang)} <span className="muted small">{t(`category.${m.category}` as MessageKey)}</span>
          </li>
        ))}
      </ul>
      {steps.length > 0 && (
        <>
          <p className="muted small picker-group">{t('picker.existing')}</p>
          <ul role="listbox" aria-label={t('picker.existing')}>
            {steps.map((x, j) => {
              const i = shown.length + j;
              return (
                <li key={x.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
                  onMouseEnter={() => setActive(i)} onClick={() => choose(i)} data-testid={`node-picker-step-${x.id}`}>
                  <span aria-hidden>{x.icon}</span> {x.label} <span className="muted small">{x.id}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
