/**
 * The node picker that opens from a port's "+" or where a connection was dropped in empty space: search, then
 * Enter or a click adds the node there, connected from that port. Triggers are left out (nothing leads into one).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CATEGORIES, type NodeManifest } from '../../../nodes/contract';
import type { MessageKey } from '../i18n/dictionary';
import { localized, useLang, useT } from '../i18n/language-store';

export function NodePicker({ manifests, at, onPick, onClose }: {
  manifests: NodeManifest<any>[];
  /** Where it opens, relative to the canvas box. */
  at: { x: number; y: number };
  onPick(m: NodeManifest<any>): void;
  onClose(): void;
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
          else if (e.key === 'ArrowDown') { e.preventDefault(); setActive((i) => Math.min(i + 1, shown.length - 1)); }
          else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((i) => Math.max(i - 1, 0)); }
          else if (e.key === 'Enter' && shown[active]) { e.preventDefault(); onPick(shown[active]); }
        }}
      />
      {shown.length === 0 && <p className="muted small">{t('palette.noMatch', { query })}</p>}
      <ul role="listbox">
        {shown.map((m, i) => (
          <li key={`${m.type}@${m.version}`} role="option" aria-selected={i === active} className={`picker-${m.category}${i === active ? ' active' : ''}`}
            onMouseEnter={() => setActive(i)} onClick={() => onPick(m)} data-testid={`node-picker-item-${m.type}`}>
            <span aria-hidden>{m.icon}</span> {localized(m.title, lang)} <span className="muted small">{t(`category.${m.category}` as MessageKey)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
