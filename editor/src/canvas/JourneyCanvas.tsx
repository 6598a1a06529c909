/** The graph canvas: controlled by the journey store, drops from the palette, connection rules, overlays. */
import { useCallback, useMemo, type DragEvent } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, useReactFlow, type Connection, type Edge, type IsValidConnection, type NodeTypes,
} from '@xyflow/react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { JourneyEditorStore } from '../graph/journey-store';
import type { JourneyFlowEdge, JourneyFlowNode } from '../graph/flow-types';
import { useT } from '../i18n/language-store';
import { useCanvasOverlay } from './canvas-overlay';
import { FilterNode, FlowNode, ResponseNode, ScoringNode, TriggerNode, UnknownNode } from './JourneyNodeCard';
import { PALETTE_MIME, PALETTE_TEMPLATE_MIME } from './Palette';

// At module scope: a new object per render would make xyflow re-mount every node.
const nodeTypes: NodeTypes = {
  trigger: TriggerNode, filter: FilterNode, scoring: ScoringNode, response: ResponseNode, flow: FlowNode, unknown: UnknownNode,
};

const MINIMAP_COLORS: Record<string, string> = {
  trigger: '#f59e0b', filter: '#6366f1', scoring: '#10b981', response: '#0ea5e9', flow: '#64748b', unknown: '#ef4444',
};

/** `onDropTemplate` adds a node from a node template dropped from the palette (`templateId@version`). */
export function JourneyCanvas({ store, onDropTemplate }: { store: JourneyEditorStore; onDropTemplate?(key: string, at: { x: number; y: number }): void }) {
  const t = useT();
  const { screenToFlowPosition } = useReactFlow();
  const overlay = useCanvasOverlay();
  const { nodes, edges, onNodesChange, onEdgesChange, connect, canConnect, addNode } = useStore(store, useShallow((s) => ({
    nodes: s.nodes, edges: s.edges, onNodesChange: s.onNodesChange, onEdgesChange: s.onEdgesChange, connect: s.connect, canConnect: s.canConnect, addNode: s.addNode,
  })));

  const isValidConnection: IsValidConnection<JourneyFlowEdge> = useCallback(
    (c) => canConnect({ source: c.source, sourceHandle: c.sourceHandle, target: c.target }).ok,
    [canConnect],
  );
  const onConnect = useCallback((c: Connection) => { connect(c); }, [connect]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME) || e.dataTransfer.types.includes(PALETTE_TEMPLATE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);
  const onDrop = useCallback((e: DragEvent) => {
    const tpl = e.dataTransfer.getData(PALETTE_TEMPLATE_MIME);
    if (tpl) {
      e.preventDefault();
      onDropTemplate?.(tpl, screenToFlowPosition({ x: e.clientX - 110, y: e.clientY - 30 }));
      return;
    }
    const key = e.dataTransfer.getData(PALETTE_MIME);
    if (!key) return;
    e.preventDefault();
    const [type, version] = key.split('@');
    const manifest = overlay.registry.get(type, Number(version));
    if (manifest) addNode(manifest, screenToFlowPosition({ x: e.clientX - 110, y: e.clientY - 30 }));
  }, [addNode, overlay.registry, screenToFlowPosition, onDropTemplate]);

  // Edges carry live conversion (port count / entered) and light up along a test run's path.
  const shownEdges = useMemo<Edge[]>(() => edges.map((e) => {
    const s = overlay.stats?.[e.source];
    const onPath = overlay.run?.get(e.source)?.steps.some((st) => st.port === e.sourceHandle) && overlay.run?.has(e.target);
    let label: string | undefined;
    if (s) {
      const n = s.ports[e.sourceHandle ?? ''] ?? 0;
      label = s.entered > 0 ? `${n} · ${Math.round((n / s.entered) * 100)}%` : '0';
    }
    return { ...e, label, animated: !!onPath, className: onPath ? 'edge-on-path' : undefined, data: { testid: `edge-${e.id}` } };
  }), [edges, overlay.stats, overlay.run]);

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<JourneyFlowNode, Edge>
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange as never}
        onConnect={onConnect}
        isValidConnection={isValidConnection as never}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionKeyCode="Shift"
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable nodeColor={(n) => MINIMAP_COLORS[n.type ?? 'unknown']} />
        <Controls showInteractive={false} />
      </ReactFlow>
      {nodes.length === 0 && <div className="canvas-empty" data-testid="canvas-empty">{t('editor.emptyCanvas')}</div>}
    </div>
  );
}
