/**
 * A published version read-only, or two graphs compared: the canvas with added steps and connections in green,
 * removed ones ghosted in red and changed steps in amber, beside a list of what changed (config fields named by
 * the node's JSON Schema titles in the UI language). Its own ReactFlow, nothing editable; notes show read-only.
 */
import { useMemo, useState } from 'react';
import { Background, Controls, ReactFlow, ReactFlowProvider, type Edge, type NodeTypes } from '@xyflow/react';
import type { NodeRegistry } from '../../../nodes/registry';
import { createOverlayStore, CanvasOverlayContext } from '../canvas/canvas-overlay';
import { FilterNode, FlowNode, ResponseNode, ScoringNode, TriggerNode, UnknownNode } from '../canvas/JourneyNodeCard';
import { NoteCard } from '../notes/NoteCard';
import { edgesFromDocument, nodesFromDocument, notesFromDocument } from '../graph/document';
import { configFieldTitle, diffJourneys, hasChanges, type ChangedField, type DiffStatus, type Graph } from '../graph/journey-diff';
import type { JourneyFlowNode, NoteFlowNode } from '../graph/flow-types';
import type { MessageKey } from '../i18n/dictionary';
import { localized, useLang, useT } from '../i18n/language-store';
import { useTheme } from '../theme-store';

const nodeTypes: NodeTypes = {
  trigger: TriggerNode, filter: FilterNode, scoring: ScoringNode, response: ResponseNode, flow: FlowNode, unknown: UnknownNode, note: NoteCard,
};
const EDGE_COLORS: Partial<Record<DiffStatus, string>> = { added: '#16a34a', removed: '#dc2626' };
const PRO_OPTIONS = { hideAttribution: true };

export function VersionDiffView({ registry, before, after, title, onClose }: {
  registry: NodeRegistry; before: Graph | null; after: Graph; title: string; onClose(): void;
}) {
  const t = useT();
  const lang = useLang();
  const theme = useTheme((s) => s.theme);
  const [overlay] = useState(() => createOverlayStore({ registry, issuesByNode: new Map(), stats: null, run: null }));
  const diff = useMemo(() => (before ? diffJourneys(before, after) : null), [before, after]);

  const { nodes, edges } = useMemo(() => {
    // The removed steps stay where they were, ghosted; everything else is the newer graph.
    const removed = before && diff ? before.nodes.filter((n) => diff.nodes.get(n.id) === 'removed') : [];
    const steps = nodesFromDocument({ nodes: [...after.nodes, ...removed] }, registry).map((n): JourneyFlowNode => {
      const status = diff?.nodes.get(n.id) ?? 'same';
      return { ...n, draggable: false, connectable: false, className: status === 'same' ? undefined : `diff-${status}` };
    });
    const notes: NoteFlowNode[] = notesFromDocument(after, [], true);
    const removedEdges = before && diff ? before.edges.filter((e) => diff.edges.get(`${e.from}:${e.port}->${e.to}`) === 'removed') : [];
    const lines = edgesFromDocument({ edges: [...after.edges, ...removedEdges] }).map((e): Edge => {
      const status = diff?.edges.get(e.id) ?? 'same';
      const color = EDGE_COLORS[status];
      return { ...e, selectable: false, className: status === 'same' ? undefined : `diff-edge-${status}`, ...(color ? { style: { stroke: color, strokeWidth: 2.5, ...(status === 'removed' ? { strokeDasharray: '6 4' } : {}) } } : {}) };
    });
    return { nodes: [...notes, ...steps] as (JourneyFlowNode | NoteFlowNode)[], edges: lines };
  }, [before, after, diff, registry]);

  const nodeTitle = (id: string) => {
    const n = after.nodes.find((x) => x.id === id) ?? before?.nodes.find((x) => x.id === id);
    const m = n && registry.get(n.type, n.version);
    return n?.label || (m ? localized(m.title, lang) : id);
  };
  const fieldTitle = (id: string, f: ChangedField) => {
    if (f.kind !== 'config') return t(`diff.field.${f.kind === 'type' ? 'version' : f.kind}` as MessageKey);
    const n = after.nodes.find((x) => x.id === id);
    return configFieldTitle(n && registry.get(n.type, n.version)?.configSchema, f.key, lang);
  };
  const ids = (status: DiffStatus) => (diff ? [...diff.nodes].filter(([, s]) => s === status).map(([id]) => id) : []);
  const edgeCount = (status: DiffStatus) => (diff ? [...diff.edges.values()].filter((s) => s === status).length : 0);

  return (
    <div className="modal-backdrop diff-backdrop" role="dialog" aria-label={title} data-testid="version-diff">
      <div className="diff-view">
        <header className="toolbar">
          <h2 data-testid="version-diff-title">{title}</h2>
          <span className="spacer" />
          {diff && <span className="muted small">{t('diff.legend')}</span>}
          <button type="button" onClick={onClose} data-testid="version-diff-close">{t('common.close')}</button>
        </header>
        <div className="diff-body">
          <div className="diff-canvas">
            <CanvasOverlayContext.Provider value={overlay}>
              <ReactFlowProvider>
                <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} colorMode={theme} fitView minZoom={0.05} proOptions={PRO_OPTIONS}
                  nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} deleteKeyCode={null}>
                  <Background gap={20} />
                  <Controls showInteractive={false} />
                </ReactFlow>
              </ReactFlowProvider>
            </CanvasOverlayContext.Provider>
          </div>
          {diff && (
            <aside className="diff-side side-panel" data-testid="diff-summary">
              {!hasChanges(diff) && <p className="muted" data-testid="diff-none">{t('diff.none')}</p>}
              {(['added', 'removed'] as const).map((status) => ids(status).length > 0 && (
                <section key={status}>
                  <h3 className={`diff-h diff-h-${status}`}>{t(`diff.${status}`)}</h3>
                  <ul>{ids(status).map((id) => <li key={id} data-testid={`diff-${status}-${id}`}>{nodeTitle(id)} <span className="muted small">{id}</span></li>)}</ul>
                </section>
              ))}
              {ids('changed').length > 0 && (
                <section>
                  <h3 className="diff-h diff-h-changed">{t('diff.changed')}</h3>
                  <ul>
                    {ids('changed').map((id) => (
                      <li key={id} data-testid={`diff-changed-${id}`}>
                        {nodeTitle(id)} <span className="muted small">{id}</span>
                        <ul className="diff-fields" data-testid={`diff-fields-${id}`}>{diff.changed.get(id)!.map((f, i) => <li key={i}>{fieldTitle(id, f)}</li>)}</ul>
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              {edgeCount('added') > 0 && <p data-testid="diff-edges-added">{t('diff.edgesAdded', { count: edgeCount('added') })}</p>}
              {edgeCount('removed') > 0 && <p data-testid="diff-edges-removed">{t('diff.edgesRemoved', { count: edgeCount('removed') })}</p>}
              {diff.settingsChanged && <p data-testid="diff-settings">{t('diff.settings')}</p>}
              {diff.notesChanged && <p data-testid="diff-notes">{t('diff.notes')}</p>}
            </aside>
          )}
        </div>
      </div>
    </div>
  );
}
