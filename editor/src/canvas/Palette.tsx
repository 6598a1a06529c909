/**
 * The searchable node palette: published node templates, then custom nodes (loaded from custom node modules, the
 * catalog's `source: 'custom'`), then the built-in nodes by category; drag onto the canvas, or Enter/click to add.
 */
import { useMemo, useState, type DragEvent } from 'react';
import { CATEGORIES, type NodeManifest } from '../../../nodes/contract';
import type { CatalogManifest, NodeTemplate } from '../api/types';
import type { MessageKey } from '../i18n/dictionary';
import { localized, useLang, useT } from '../i18n/language-store';

export const PALETTE_MIME = 'application/x-journeys-node';
/** A node template dragged from the palette: `templateId@version`. */
export const PALETTE_TEMPLATE_MIME = 'application/x-journeys-template';

/** A node from a custom node module (the catalog says so; manifests without `source` are built-in). */
export function isCustomNode(m: NodeManifest<any>): boolean {
  return (m as CatalogManifest).source === 'custom';
}

export function Palette({ manifests, onAdd, templates = [], onAddTemplate }: {
  manifests: NodeManifest<any>[]; onAdd(m: NodeManifest<any>): void;
  /** Published node templates: their own "Templates" group, first. */
  templates?: NodeTemplate[]; onAddTemplate?(t: NodeTemplate): void;
}) {
  const t = useT();
  const lang = useLang();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = (m: NodeManifest<any>) => !q || [m.type, m.title.en, m.title['zh-CN'], m.description.en, m.description['zh-CN']].some((s) => s.toLowerCase().includes(q));
    const shown = manifests.filter(match);
    return {
      custom: shown.filter(isCustomNode).sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || a.type.localeCompare(b.type)),
      builtin: CATEGORIES.map((c) => ({ category: c, nodes: shown.filter((m) => m.category === c && !isCustomNode(m)) })).filter((g) => g.nodes.length),
    };
  }, [manifests, query]);
  const shownTemplates = useMemo(() => {
    const q = query.trim().toLowerCase();
    const byType = new Map(manifests.map((m) => [m.type, m]));
    return templates.filter((tpl) => {
      const m = byType.get(tpl.nodeType);
      return !q || [tpl.name, tpl.description ?? '', tpl.nodeType, m?.title.en ?? '', m?.title['zh-CN'] ?? ''].some((s) => s.toLowerCase().includes(q));
    });
  }, [templates, manifests, query]);
  const iconOf = (tpl: NodeTemplate) => manifests.find((m) => m.type === tpl.nodeType)?.icon ?? '🧩';
  const categoryOf = (tpl: NodeTemplate) => manifests.find((m) => m.type === tpl.nodeType)?.category ?? 'flow';

  const onDragStart = (e: DragEvent, m: NodeManifest<any>) => {
    e.dataTransfer.setData(PALETTE_MIME, `${m.type}@${m.version}`);
    e.dataTransfer.effectAllowed = 'copy';
  };

  const nodeItem = (m: NodeManifest<any>) => (
    <li
      key={`${m.type}@${m.version}`}
      draggable
      tabIndex={0}
      role="button"
      className={isCustomNode(m) ? `palette-custom-node palette-custom-${m.category}` : undefined}
      onDragStart={(e) => onDragStart(e, m)}
      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onAdd(m); } }}
      onDoubleClick={() => onAdd(m)}
      title={isCustomNode(m) ? `${localized(m.description, lang)}\n${t(`category.${m.category}` as MessageKey)} · ${m.type}@${m.version}` : localized(m.description, lang)}
      data-testid={`palette-item-${m.type}`}
    >
      <span aria-hidden>{m.icon}</span> {localized(m.title, lang)}
    </li>
  );

  return (
    <aside className="palette" aria-label={t('palette.heading')} data-testid="palette">
      <h2>{t('palette.heading')}</h2>
      <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('palette.search')} aria-label={t('palette.search')} data-testid="palette-search"
        onKeyDown={(e) => {
          // Enter adds the first match, in the order shown: templates, custom nodes, built-in nodes.
          if (e.key !== 'Enter' || !query.trim()) return;
          e.preventDefault();
          if (shownTemplates[0]) { onAddTemplate?.(shownTemplates[0]); return; }
          const first = groups.custom[0] ?? groups.builtin[0]?.nodes[0];
          if (first) onAdd(first);
        }} />
      <p className="hint">{t('palette.hint')}</p>
      {groups.builtin.length === 0 && groups.custom.length === 0 && shownTemplates.length === 0 && <p className="empty">{t('palette.noMatch', { query })}</p>}
      {shownTemplates.length > 0 && (
        <section className="palette-group palette-templates" data-testid="palette-templates">
          <h3>{t('palette.templates')}</h3>
          <ul>
            {shownTemplates.map((tpl) => (
              <li
                key={tpl.id}
                draggable
                tabIndex={0}
                role="button"
                className={`palette-tpl palette-tpl-${categoryOf(tpl)}`}
                onDragStart={(e) => { e.dataTransfer.setData(PALETTE_TEMPLATE_MIME, `${tpl.id}@${tpl.version}`); e.dataTransfer.effectAllowed = 'copy'; }}
                onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onAddTemplate?.(tpl); } }}
                onDoubleClick={() => onAddTemplate?.(tpl)}
                title={[tpl.description, tpl.locked.length ? `🔒 ${tpl.locked.join(', ')}` : ''].filter(Boolean).join('\n')}
                data-testid={`palette-template-${tpl.id}`}
              >
                <span aria-hidden>{iconOf(tpl)}</span> {tpl.name}{tpl.locked.length > 0 && <span className="muted small" aria-label={t('template.lockedCount', { count: tpl.locked.length })}> 🔒</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {groups.custom.length > 0 && (
        <section className="palette-group palette-custom" data-testid="palette-custom">
          <h3>{t('palette.custom')}</h3>
          <ul>
            {groups.custom.map((m) => nodeItem(m))}
          </ul>
        </section>
      )}
      {groups.builtin.map((g) => (
        <section key={g.category} className={`palette-group palette-${g.category}`} data-testid={`palette-category-${g.category}`}>
          <h3>{t(`category.${g.category}` as MessageKey)}</h3>
          <ul>
            {g.nodes.map((m) => nodeItem(m))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
