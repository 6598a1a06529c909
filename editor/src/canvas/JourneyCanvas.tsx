/**
 * The graph canvas: controlled by the journey store, drops from the palette, connection rules (a refused
 * connection says why), a node picker from a port's "+" or a connection dropped in empty space, overlays.
 */
import { useCallback, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import {
  Background, Controls, getNodesBounds, getViewportForBounds, MiniMap, ReactFlow, useReactFlow, type Connection, type Edge, type FinalConnectionState, type IsValidConnection, type NodeTypes, type Viewport,
} from '@xyflow/react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { NodeManifest } from '../../../nodes/contract';
import type { ConnectionVerdict } from '../graph/connection-rules';
import type { JourneyEditorStore } from '../graph/journey-store';
import type { JourneyFlowEdge, JourneyFlowNode, NoteFlowNode } from '../graph/flow-types';
import { freeSpot, NODE_SIZE } from '../graph/placement';
import type { MessageKey } from '../i18n/dictionary';
import { localized, useLang, useT } from '../i18n/language-store';
import { CanvasActionsContext, type CanvasActions, type PickerOrigin } from './canvas-actions';
import { useOverlay } from './canvas-overlay';
import { FAR_ZOOM, FilterNode, FlowNode, ResponseNode, ScoringNode, TriggerNode, UnknownNode } from './JourneyNodeCard';
import { NodePicker } from './NodePicker';
import { PALETTE_MIME, PALETTE_TEMPLATE_MIME } from './Palette';
import { useTheme } from '../theme-store';
import { NoteCard } from '../notes/NoteCard';

// At module scope: a new object per render would make xyflow re-mount every node.
const nodeTypes: NodeTypes = {
  trigger: TriggerNode, filter: FilterNode, scoring: ScoringNode, response: ResponseNode, flow: FlowNode, unknown: UnknownNode, note: NoteCard,
};

const MINIMAP_COLORS: Record<string, string> = {
  trigger: '#f59e0b', filter: '#6366f1', scoring: '#10b981', response: '#0ea5e9', flow: '#64748b', unknown: '#ef4444', note: '#fde68a',
};
const minimapColor = (n: { type?: string }) => MINIMAP_COLORS[n.type ?? 'unknown'];
const FIT_OPTIONS = { maxZoom: 1 };
const PRO_OPTIONS = { hideAttribution: true };
const MULTI_KEYS = ['Shift', 'Meta', 'Control'];


const REFUSALS: Record<Exclude<ConnectionVerdict, { ok: true }>['reason'], MessageKey> = {
  port_taken: 'connect.portTaken', into_trigger: 'connect.intoTrigger', self: 'connect.self', unknown_port: 'connect.unknownPort', duplicate: 'connect.duplicate', missing: 'connect.missing',
};

interface PickerState { from: PickerOrigin; screen: { x: number; y: number }; flow: { x: number; y: number } | null }

/** `onDropTemplate` adds a node from a node template dropped from the palette (`templateId@version`). */
export function JourneyCanvas({ store, onDropTemplate }: { store: JourneyEditorStore; onDropTemplate?(key: string, at: { x: number; y: number }): void }) {
  const theme = useTheme((t) => t.theme);
  const t = useT();
  const lang = useLang();
  const { screenToFlowPosition } = useReactFlow();
  const registry = useOverlay((o) => o.registry);
  const stats = useOverlay((o) => o.stats);
  const run = useOverlay((o) => o.run);
  const { nodes, notes, edges, onNodesChange, onEdgesChange, connect, canConnect, addNode } = useStore(store, useShallow((s) => ({
    nodes: s.nodes, notes: s.notes, edges: s.edges, onNodesChange: s.onNodesChange, onEdgesChange: s.onEdgesChange, connect: s.connect, canConnect: s.canConnect, addNode: s.addNode,
  })));
  // Notes first: drawn beneath the steps.
  const shownNodes = useMemo<(JourneyFlowNode | NoteFlowNode)[]>(() => (notes.length ? [...notes, ...nodes] : nodes), [notes, nodes]);
  const box = useRef<HTMLDivElement>(null);
  // Fit the view to the journey it opened with; a first node dropped on an empty canvas stays where it was dropped.
  const [fitOnOpen] = useState(() => store.getState().nodes.length > 0);
  // The first frame already shows the journey about fitted (from the window's size; fitView then makes it exact),
  // so a 300-node journey is drawn once, far out, rather than first at 100 % and again when fitted.
  const [initialViewport] = useState<Viewport>(() => {
    const nodes = store.getState().nodes;
    if (!nodes.length || typeof window === 'undefined') return { x: 0, y: 0, zoom: 1 };
    const width = Math.max(300, window.innerWidth - 560);
    const height = Math.max(300, window.innerHeight - 260);
    return getViewportForBounds(getNodesBounds(nodes), width, height, 0.02, 1, 0.1);
  });
  const [picker, setPicker] = useState<PickerState | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const messageTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const say = useCallback((text: string) => {
    setMessage(text);
    clearTimeout(messageTimer.current);
    messageTimer.current = setTimeout(() => setMessage(null), 6000);
  }, []);
  // A right-click on the empty canvas offers a note there.
  const [menu, setMenu] = useState<{ screen: { x: number; y: number }; flow: { x: number; y: number } } | null>(null);
  const onPaneContextMenu = useCallback((e: MouseEvent | ReactMouseEvent) => {
    e.preventDefault();
    setMenu({ screen: { x: e.clientX, y: e.clientY }, flow: screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
  }, [screenToFlowPosition]);
  const addNoteHere = useCallback(() => {
    if (!menu) return;
    if (!store.getState().addNote(menu.flow)) say(t('note.tooMany'));
    setMenu(null);
  }, [menu, store, say, t]);
  // A class, not state: moving the view re-renders nothing (see .canvas-moving in styles.css).
  const onMoveStart = useCallback(() => { box.current?.classList.add('canvas-moving'); }, []);
  const onMoveEnd = useCallback(() => { box.current?.classList.remove('canvas-moving'); }, []);
  const onMove = useCallback((_: unknown, viewport: Viewport) => { box.current?.classList.toggle('canvas-far', viewport.zoom < FAR_ZOOM); }, []);
  const manifests = useMemo(() => registry.all().filter((m) => registry.latest(m.type) === m), [registry]);

  const isValidConnection: IsValidConnection<JourneyFlowEdge> = useCallback(
    (c) => canConnect({ source: c.source, sourceHandle: c.sourceHandle, target: c.target }).ok,
    [canConnect],
  );
  const refusal = useCallback((verdict: ConnectionVerdict, port: string) => {
    if (!verdict.ok) say(t(REFUSALS[verdict.reason], { port }));
  }, [say, t]);
  const onConnect = useCallback((c: Connection) => { refusal(connect(c), c.sourceHandle ?? ''); }, [connect, refusal]);

  const openPicker = useCallback((from: PickerOrigin, screen: { x: number; y: number }, flow: { x: number; y: number } | null = null) => {
    setPicker({ from, screen, flow });
  }, []);
  const actions = useMemo<CanvasActions>(() => ({ store, openPicker: (from, at) => openPicker(from, at) }), [store, openPicker]);

  // A connection let go of: on nothing → the node picker there; on a node or port that refuses it → why.
  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid || !state.fromNode || !state.fromHandle || state.fromHandle.type !== 'source') return;
    const port = state.fromHandle.id ?? '';
    const point = 'changedTouches' in event ? event.changedTouches[0] : event;
    const targetEl = (event.target as Element | null)?.closest?.('.react-flow__node');
    const targetId = state.toNode?.id ?? targetEl?.getAttribute('data-id') ?? null;
    if (targetId) {
      if (targetId === state.fromNode.id && !state.toNode) return; // let go on its own card: nothing meant
      const verdict = canConnect({ source: state.fromNode.id, sourceHandle: port, target: targetId });
      // Let go on a node's body rather than its input handle: connect it all the same.
      if (verdict.ok && !state.toHandle) { refusal(connect({ source: state.fromNode.id, sourceHandle: port, target: targetId }), port); return; }
      refusal(verdict, port);
      return;
    }
    const used = store.getState().edges.some((e) => e.source === state.fromNode!.id && e.sourceHandle === port);
    if (used) { refusal({ ok: false, reason: 'port_taken' }, port); return; }
    openPicker({ nodeId: state.fromNode.id, port }, { x: point.clientX, y: point.clientY }, screenToFlowPosition({ x: point.clientX, y: point.clientY - 30 }));
  }, [canConnect, connect, refusal, store, openPicker, screenToFlowPosition]);

  const pick = useCallback((m: NodeManifest<any>) => {
    if (!picker) return;
    const s = store.getState();
    let at = picker.flow;
    if (!at) {
      // From a port's "+": to the right of its node, level with the port.
      const from = s.nodes.find((n) => n.id === picker.from.nodeId);
      const fromBox = from ? { x: from.position.x, y: from.position.y, width: from.measured?.width ?? NODE_SIZE.width } : { x: 0, y: 0, width: NODE_SIZE.width };
      const portY = screenToFlowPosition(picker.screen).y;
      at = { x: fromBox.x + fromBox.width + 80, y: Math.max(fromBox.y, portY - 40) };
    }
    const { verdict } = s.addConnectedNode(m, freeSpot(s.nodes, at), picker.from);
    refusal(verdict, picker.from.port);
    setPicker(null);
  }, [picker, store, screenToFlowPosition, refusal]);

  // The steps the picker's port may lead to: every other step but triggers (nothing leads into one) and notes.
  const targets = useMemo(() => {
    if (!picker) return [];
    return nodes.filter((n) => n.type !== 'trigger' && n.id !== picker.from.nodeId).map((n) => {
      const m = manifests.find((x) => x.type === n.data.nodeType && x.version === n.data.version);
      return { id: n.id, label: n.data.label || (m ? localized(m.title, lang) : n.data.nodeType), icon: m?.icon ?? '•' };
    });
  }, [picker, nodes, manifests, lang]);
  const connectTo = useCallback((target: string) => {
    if (!picker) return;
    refusal(connect({ source: picker.from.nodeId, sourceHandle: picker.from.port, target }), picker.from.port);
    setPicker(null);
  }, [picker, connect, refusal]);

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
    const manifest = registry.get(type, Number(version));
    if (manifest) addNode(manifest, screenToFlowPosition({ x: e.clientX - 110, y: e.clientY - 30 }));
  }, [addNode, registry, screenToFlowPosition, onDropTemplate]);

  // Edges carry live conversion (port count / entered) and light up along a test run's path.
  const shownEdges = useMemo<Edge[]>(() => edges.map((e) => {
    const s = stats?.[e.source];
    const onPath = run?.get(e.source)?.steps.some((st) => st.port === e.sourceHandle) && run?.has(e.target);
    let label: string | undefined;
    if (s) {
      const n = s.ports[e.sourceHandle ?? ''] ?? 0;
      label = s.entered > 0 ? `${n} · ${Math.round((n / s.entered) * 100)}%` : '0';
    }
    if (!label && !onPath) return e;
    return { ...e, label, animated: !!onPath, className: onPath ? 'edge-on-path' : undefined };
  }), [edges, stats, run]);

  const rect = picker ? box.current?.getBoundingClientRect() : undefined; // only then: reading it forces a layout
  return (
    <CanvasActionsContext.Provider value={actions}>
      <div className="canvas" ref={box} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
        <ReactFlow<JourneyFlowNode | NoteFlowNode, Edge>
          colorMode={theme}
          nodes={shownNodes}
          edges={shownEdges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange as never}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          onPaneContextMenu={onPaneContextMenu}
          onPaneClick={() => setMenu(null)}
          onMoveStart={onMoveStart}
          onMoveEnd={onMoveEnd}
          onMove={onMove}
          onInit={(flow) => onMove(null, flow.getViewport())}
          isValidConnection={isValidConnection as never}
          deleteKeyCode={null}
          multiSelectionKeyCode={MULTI_KEYS}
          selectionKeyCode="Shift"
          defaultViewport={initialViewport}
          fitView={fitOnOpen}
          fitViewOptions={FIT_OPTIONS}
          // Small enough that "Zoom to fit" shows a 300-node journey whole.
          minZoom={0.02}
          proOptions={PRO_OPTIONS}
        >
          <Background gap={20} />
          <MiniMap pannable zoomable nodeColor={minimapColor} />
          <Controls showInteractive={false} />
        </ReactFlow>
        {nodes.length === 0 && <div className="canvas-empty" data-testid="canvas-empty">{t('editor.emptyCanvas')}</div>}
        {message && <div className="canvas-message" role="alert" data-testid="canvas-message">{message} <button type="button" className="btn-icon" onClick={() => setMessage(null)} aria-label={t('common.dismiss')}>×</button></div>}
        {menu && (
          <div className="canvas-menu" role="menu" style={{ left: menu.screen.x - (box.current?.getBoundingClientRect().left ?? 0), top: menu.screen.y - (box.current?.getBoundingClientRect().top ?? 0) }} data-testid="canvas-menu"
            onKeyDown={(e) => { if (e.key === 'Escape') setMenu(null); }}>
            <button type="button" role="menuitem" autoFocus onClick={addNoteHere} data-testid="canvas-menu-add-note">🗒 {t('note.addHere')}</button>
          </div>
        )}
        {picker && (
          <NodePicker manifests={manifests} onPick={pick} onClose={() => setPicker(null)} targets={targets} onConnect={connectTo}
            at={{ x: Math.max(8, Math.min(picker.screen.x - (rect?.left ?? 0), (rect?.width ?? 800) - 290)), y: Math.max(8, Math.min(picker.screen.y - (rect?.top ?? 0), (rect?.height ?? 600) - 330)) }} />
        )}
      </div>
    </CanvasActionsContext.Provider>
  );
}
