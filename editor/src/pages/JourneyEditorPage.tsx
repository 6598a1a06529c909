/** One journey: palette, canvas, configuration, problems, publish, versions, test run and live numbers. */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { NodeManifest } from '../../../nodes/contract';
import type { NodeRegistry } from '../../../nodes/registry';
import type { JourneyDocument } from '../../../workflows/model/journey-schema';
import { hasErrors, validateJourney, type ValidationIssue } from '../../../workflows/model/validate-journey';
import { api, errorText } from '../api/client';
import type { EnrollmentView, JourneyView, NodeTemplate } from '../api/types';
import { CanvasOverlayContext, createOverlayStore, updateOverlay, type RunMark } from '../canvas/canvas-overlay';
import { CountActionsContext, type CountQuery } from '../canvas/count-actions';
import { JourneyCanvas } from '../canvas/JourneyCanvas';
import { Palette } from '../canvas/Palette';
import { ConfigPanel } from '../forms/ConfigPanel';
import type { FormContext } from '../forms/rjsf-adapters';
import { KNOWN_CHANNELS } from '../forms/form-schema';
import { createJourneyStore, type JourneyEditorStore } from '../graph/journey-store';
import { freeSpot } from '../graph/placement';
import { NOTE_SIZE } from '../graph/document';
import { useAutosave } from '../hooks/useAutosave';
import { usePolling } from '../hooks/usePolling';
import { useKeyboardShortcuts } from '../hooks/useKeyboardShortcuts';
import { localized, useLang, useT } from '../i18n/language-store';
import { portsOf } from '../../../nodes/ports';
import { AnalyticsBar } from '../panels/AnalyticsBar';
import { ProblemsList } from '../panels/ProblemsList';
import { PublishDialog } from '../panels/PublishDialog';
import { TestRunPanel } from '../panels/TestRunPanel';
import type { RunNodeInfo } from '../panels/test-run/run-node-info';
import { triggerDefaults, type TriggerDefaults } from '../panels/test-run/trigger-defaults';
import { VersionsPanel, type CompareSide } from '../panels/VersionsPanel';
import { VersionDiffView } from '../panels/VersionDiffView';
import type { Graph } from '../graph/journey-diff';
import { NodeContactsPanel } from '../panels/insights/NodeContactsPanel';
import { MessagePreview, type PreviewContact } from '../panels/insights/MessagePreview';
import { LanguageSwitch } from './LanguageSwitch';
import { useSession } from '../session';

type Side = 'config' | 'test' | 'versions' | 'contacts';

/** The stats "version" of the draft's test runs (core/engine/test-runs.ts DRAFT_VERSION): all dry runs. */
const DRAFT_STATS = 0;

function documentOf(j: JourneyView): JourneyDocument {
  return { name: j.name, ...(j.description ? { description: j.description } : {}), nodes: j.nodes, edges: j.edges, ...(j.settings ? { settings: j.settings } : {}), ...(j.notes?.length ? { notes: j.notes } : {}) };
}

function runMarks(run: EnrollmentView | null): Map<string, RunMark> | null {
  if (!run) return null;
  const marks = new Map<string, RunMark>();
  run.steps.forEach((s, i) => {
    const m = marks.get(s.nodeId) ?? { order: [], steps: [], current: false };
    m.order.push(i + 1);
    m.steps.push(s);
    marks.set(s.nodeId, m);
  });
  if (run.status === 'active' && run.currentNodeId) {
    const m = marks.get(run.currentNodeId) ?? { order: [], steps: [], current: true };
    m.current = true;
    marks.set(run.currentNodeId, m);
  }
  return marks;
}

export function JourneyEditorPage(props: { registry: NodeRegistry; journey: JourneyView; onBack(): void }) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

/** Validation waits this long after the last change (typing in a form does not validate 300 nodes per key). */
const VALIDATE_DEBOUNCE_MS = 150;
const VALIDATE_MAX_WAIT_MS = 1000;

/**
 * The shared journey model's verdict on the draft, then again a moment after each change. At open the server's
 * verdict (same model, sent with the journey) shows at once and the editor's own follows when the browser is idle,
 * so opening a 300-node journey does not wait for validating it.
 */
function useValidation(store: JourneyEditorStore, registry: NodeRegistry, atOpen?: ValidationIssue[]): ValidationIssue[] {
  const [issues, setIssues] = useState<ValidationIssue[]>(() => atOpen ?? validateJourney(store.getState().document(), registry));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pendingSince = 0;
    // The graph's shape at the last validation: a change of it is validated at once.
    let shape = { edges: store.getState().edges, count: store.getState().nodes.length };
    const run = () => {
      pendingSince = 0;
      const st = store.getState();
      shape = { edges: st.edges, count: st.nodes.length };
      setIssues(validateJourney(st.document(), registry));
    };
    const idle = (window as { requestIdleCallback?: (fn: () => void, o?: { timeout: number }) => number }).requestIdleCallback;
    if (atOpen) {
      if (idle) idle(run, { timeout: 1000 });
      else timer = setTimeout(run, 300);
    }
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.changeCount === prev.changeCount) return;
      clearTimeout(timer);
      // A step added, removed or connected is answered at once; typing in a form waits for a pause.
      if (s.edges !== shape.edges || s.nodes.length !== shape.count) { run(); return; }
      const now = Date.now();
      pendingSince ||= now;
      timer = setTimeout(run, Math.max(0, Math.min(VALIDATE_DEBOUNCE_MS, pendingSince + VALIDATE_MAX_WAIT_MS - now)));
    });
    return () => { unsubscribe(); clearTimeout(timer); };
  }, [store, registry]); // eslint-disable-line react-hooks/exhaustive-deps
  return issues;
}

function Editor({ registry, journey, onBack }: { registry: NodeRegistry; journey: JourneyView; onBack(): void }) {
  const t = useT();
  const lang = useLang();
  const [store] = useState<JourneyEditorStore>(() => createJourneyStore(registry, documentOf(journey)));
  const { fitView, screenToFlowPosition } = useReactFlow();
  // Only what the page itself shows: typing in a node's form changes none of these, so the page does not re-render.
  const { meta, canUndo, canRedo } = useStore(store, useShallow((s) => ({ meta: s.meta, canUndo: s.past.length > 0, canRedo: s.future.length > 0 })));
  const selectedIds = useStore(store, useShallow((s) => s.nodes.filter((n) => n.selected).map((n) => n.id)));
  const notesSelected = useStore(store, (s) => s.notes.some((n) => n.selected));
  const [liveVersion, setLiveVersion] = useState<number | null>(journey.liveVersion);
  const [side, setSide] = useState<Side>('config');
  const [publishing, setPublishing] = useState(false);
  // A version shown read-only (before: null) or two graphs compared.
  const [comparing, setComparing] = useState<{ before: Graph | null; after: Graph; title: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [statsVersion, setStatsVersion] = useState<number | null>(journey.liveVersion);
  const [run, setRun] = useState<EnrollmentView | null>(null);
  const [suggestions, setSuggestions] = useState({ tags: [] as string[], channels: KNOWN_CHANNELS });
  const { can } = useSession();
  const [savingTemplate, setSavingTemplate] = useState(false);
  // The count clicked on the canvas (its contacts show in the side panel), and the contact messages are previewed for.
  const [countQuery, setCountQuery] = useState<CountQuery | null>(null);
  const [previewContact, setPreviewContact] = useState<PreviewContact | null>(null);
  const openCount = useCallback((q: CountQuery) => { setCountQuery(q); setSide('contacts'); }, []);
  useEffect(() => { if (statsVersion === null) setSide((s) => (s === 'contacts' ? 'config' : s)); }, [statsVersion]);

  // Node templates: the published ones for the palette, and every version a node on the canvas was made from.
  const [paletteTemplates, setPaletteTemplates] = useState<NodeTemplate[]>([]);
  const [templateCache, setTemplateCache] = useState<Record<string, NodeTemplate>>({});
  const requestedTemplates = useRef(new Set<string>());
  useEffect(() => {
    api.nodeTemplates(true).then((r) => {
      setPaletteTemplates(r.templates);
      setTemplateCache((c) => ({ ...c, ...Object.fromEntries(r.templates.map((x) => [`${x.id}@${x.version}`, x])) }));
    }, () => undefined); // no templates: the palette still offers every node type
  }, []);
  const boundTemplates = useStore(store, (s) => [...new Set(s.nodes.flatMap((n) => (n.data.template ? [`${n.data.template.id}@${n.data.template.version}`] : [])))].join('|'));
  useEffect(() => {
    for (const key of boundTemplates.split('|').filter(Boolean)) {
      if (templateCache[key] || requestedTemplates.current.has(key)) continue;
      requestedTemplates.current.add(key);
      const at = key.lastIndexOf('@');
      api.nodeTemplate(key.slice(0, at), Number(key.slice(at + 1))).then((x) => setTemplateCache((c) => ({ ...c, [key]: x })), () => undefined);
    }
  }, [boundTemplates, templateCache]);

  const onSaved = useCallback(() => undefined, []);
  const { state: saveState, saveNow } = useAutosave(store, journey.id, journey.revision, onSaved);

  // Validation is the shared journey model's: the same verdict the server gives at publish.
  const [openIssues] = useState(() => (Array.isArray(journey.issues) ? journey.issues : undefined));
  const issues = useValidation(store, registry, openIssues);
  const invalid = hasErrors(issues);
  const issuesByNode = useMemo(() => {
    const m = new Map<string, ValidationIssue[]>();
    for (const i of issues) if (i.nodeId) m.set(i.nodeId, [...(m.get(i.nodeId) ?? []), i]);
    return m;
  }, [issues]);

  const versions = usePolling(side === 'versions' || publishing ? () => api.versions(journey.id) : null, 60_000, [side, liveVersion]);
  const versionNumbers = useMemo(() => {
    const n = new Set((versions.data?.versions ?? []).map((v) => v.version));
    for (let v = 1; v <= (liveVersion ?? 0); v++) n.add(v);
    return [...n].sort((a, b) => b - a);
  }, [versions.data, liveVersion]);
  const stats = usePolling(statsVersion !== null ? () => api.stats(journey.id, statsVersion) : null, 2000, [statsVersion]);

  useEffect(() => {
    api.recentContacts().then((r) => setSuggestions({
      tags: [...new Set(r.contacts.flatMap((c) => c.tags))],
      channels: [...new Set([...KNOWN_CHANNELS, ...r.contacts.flatMap((c) => c.identities.map((i) => i.channel))])],
    }), () => undefined); // suggestions are a convenience: the fields still take any value
  }, []);

  const [overlay] = useState(() => createOverlayStore({ registry, issuesByNode, stats: null, run: null }));
  useLayoutEffect(() => {
    updateOverlay(overlay, { registry, issuesByNode, stats: statsVersion !== null ? stats.data?.nodes ?? {} : null, dryRunStats: statsVersion === DRAFT_STATS, run: runMarks(run) });
  }, [overlay, registry, issuesByNode, stats.data, statsVersion, run]);
  const manifests = useMemo(() => registry.all().filter((m) => registry.latest(m.type) === m), [registry]);

  const focusNode = useCallback((id: string) => {
    store.getState().selectOnly([id]);
    setSide('config');
    void fitView({ nodes: [{ id }], duration: 300, maxZoom: 1.2 });
  }, [store, fitView]);

  const addFromPalette = useCallback((m: NodeManifest<any>) => {
    const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const at = el ? screenToFlowPosition({ x: el.left + el.width / 2 - 110, y: el.top + el.height / 2 - 40 }) : { x: 0, y: 0 };
    // The middle of the view, or the nearest free place: never on top of another node.
    store.getState().addNode(m, freeSpot(store.getState().nodes, at));
  }, [store, screenToFlowPosition]);

  const addTemplateNode = useCallback((tpl: NodeTemplate, at?: { x: number; y: number }) => {
    const manifest = registry.get(tpl.nodeType, tpl.nodeVersion);
    if (!manifest) { setNotice(t('template.unknownType', { type: `${tpl.nodeType}@${tpl.nodeVersion}` })); return; }
    let pos = at;
    if (!pos) {
      const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      pos = freeSpot(store.getState().nodes, el ? screenToFlowPosition({ x: el.left + el.width / 2 - 110, y: el.top + el.height / 2 - 40 }) : { x: 0, y: 0 });
    }
    const id = store.getState().addNode(manifest, pos, structuredClone(tpl.config), { id: tpl.id, version: tpl.version });
    store.setState((s) => ({ nodes: s.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, label: tpl.name.slice(0, 120) } } : n)) }));
    setTemplateCache((c) => ({ ...c, [`${tpl.id}@${tpl.version}`]: tpl }));
  }, [registry, store, screenToFlowPosition, t]);
  const dropTemplate = useCallback((key: string, at: { x: number; y: number }) => {
    const tpl = paletteTemplates.find((x) => `${x.id}@${x.version}` === key);
    if (tpl) addTemplateNode(tpl, at);
  }, [paletteTemplates, addTemplateNode]);

  const saveAsTemplate = useCallback(async () => {
    setSavingTemplate(true);
    try {
      await saveNow();
      const tpl = await api.saveJourneyAsTemplate({ journeyId: journey.id, name: store.getState().meta.name });
      setNotice(t('gallery.savedAsTemplate', { name: tpl.name }));
    } catch (err) {
      setNotice(t('gallery.saveAsTemplateFailed', { message: errorText(err) }));
    } finally { setSavingTemplate(false); }
  }, [saveNow, journey.id, store, t]);

  const exportJson = useCallback(() => {
    const blob = new Blob([JSON.stringify(store.getState().document(), null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${meta.name.replace(/[^\w\u4e00-\u9fa5-]+/g, '-') || 'journey'}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, [store, meta.name]);

  // A new note: in the middle of the view, a little lower and to the right of any note already there.
  const addNote = useCallback(() => {
    const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const at = el ? screenToFlowPosition({ x: el.left + el.width / 2 - NOTE_SIZE.width / 2, y: el.top + el.height / 2 - NOTE_SIZE.height / 2 }) : { x: 0, y: 0 };
    const taken = store.getState().notes;
    while (taken.some((n) => Math.abs(n.position.x - at.x) < 8 && Math.abs(n.position.y - at.y) < 8)) { at.x += 24; at.y += 24; }
    if (!store.getState().addNote({ x: Math.round(at.x), y: Math.round(at.y) })) setNotice(t('note.tooMany'));
  }, [store, screenToFlowPosition, t]);

  const shortcutActions = useMemo(() => ({ save: () => void saveNow(), fit: () => void fitView({ duration: 300 }), addNote }), [saveNow, fitView, addNote]);
  useKeyboardShortcuts(store, shortcutActions);

  // As a string, so the test-run form re-renders only when the trigger's event types or channels change.
  const triggerKey = useStore(store, (s) => JSON.stringify(triggerDefaults(s.nodes, registry)));
  const trigger = useMemo<TriggerDefaults>(() => JSON.parse(triggerKey), [triggerKey]);
  const saveLabel = saveState.kind === 'saved' ? t('editor.saved') : saveState.kind === 'saving' ? t('editor.saving') : saveState.kind === 'dirty' ? t('editor.unsaved')
    : saveState.kind === 'conflict' ? t('editor.conflict') : t('editor.saveFailed', { message: saveState.message });
  const nodeInfo = useCallback<RunNodeInfo>((id) => {
    const n = store.getState().nodes.find((x) => x.id === id);
    return n && { manifest: registry.get(n.data.nodeType, n.data.version), label: n.data.label, config: n.data.config };
  }, [store, registry]);

  const countNode = countQuery ? nodeInfo(countQuery.nodeId) : undefined;
  const countStats = countQuery ? stats.data?.nodes[countQuery.nodeId] : undefined;
  const countTotal = !countQuery || !countStats ? undefined
    : countQuery.state === 'port' ? countStats.ports[countQuery.port ?? ''] : countQuery.state === 'waiting' ? countStats.waiting : countStats.entered;
  const countPortLabels = useMemo(() => Object.fromEntries(countNode?.manifest ? portsOf(countNode.manifest, countNode.config).map((p) => [p.id, localized(p.label, lang)]) : []), [countNode?.manifest, countNode?.config, lang]);

  return (
    <CanvasOverlayContext.Provider value={overlay}>
      <CountActionsContext.Provider value={openCount}>
      <div className="editor" data-testid="editor">
        <header className="toolbar">
          <button type="button" onClick={async () => { await saveNow(); onBack(); }} data-testid="back">{t('editor.back')}</button>
          <input className="name-input" value={meta.name} aria-label={t('editor.name')} onChange={(e) => store.getState().setName(e.target.value)} data-testid="journey-name" />
          <span className={`save-state save-${saveState.kind}`} role={saveState.kind === 'error' || saveState.kind === 'conflict' ? 'alert' : 'status'} data-testid="save-state">{saveLabel}</span>
          <span className="spacer" />
          {/* Undo and redo as icons (named for screen readers and in the tooltip): the toolbar stays one line at 1440 px. */}
          <button type="button" className="icon-button" disabled={!canUndo} onClick={() => store.getState().undo()} title={`${t('editor.undo')} (Ctrl+Z)`} aria-label={t('editor.undo')} data-testid="undo">↶</button>
          <button type="button" className="icon-button" disabled={!canRedo} onClick={() => store.getState().redo()} title={`${t('editor.redo')} (Ctrl+Shift+Z)`} aria-label={t('editor.redo')} data-testid="redo">↷</button>
          <button type="button" onClick={() => { store.getState().autoLayout(); setTimeout(() => void fitView({ duration: 300 }), 50); }} data-testid="auto-layout">{t('editor.layout')}</button>
          <button type="button" onClick={() => void fitView({ duration: 300 })} data-testid="fit">{t('editor.fit')}</button>
          <button type="button" onClick={addNote} title={t('note.addHint')} data-testid="add-note">🗒 {t('note.add')}</button>
          <button type="button" onClick={exportJson} data-testid="export">{t('editor.export')}</button>
          {can('templates.write') && (
            <button type="button" onClick={() => void saveAsTemplate()} disabled={savingTemplate} data-testid="save-as-template">{t('gallery.saveAsTemplate')}</button>
          )}
          <button type="button" className={side === 'versions' ? 'active' : ''} onClick={() => setSide(side === 'versions' ? 'config' : 'versions')} data-testid="toggle-versions">{t('editor.versions')}</button>
          <button type="button" className={side === 'test' ? 'active' : ''} onClick={() => setSide(side === 'test' ? 'config' : 'test')} data-testid="toggle-test-run">{t('editor.testRun')}</button>
          <LanguageSwitch />
          <button type="button" className="primary" disabled={invalid} title={invalid ? t('editor.publishDisabled') : undefined} onClick={() => setPublishing(true)} data-testid="publish">
            {t('editor.publish')}
          </button>
        </header>
        <AnalyticsBar
          journeyId={journey.id} versions={versionNumbers} version={statsVersion} onVersion={setStatsVersion}
          stats={stats.data} statsError={statsVersion !== null ? stats.error : null} onTrace={setRun}
        />
        {notice && <div className="notice" role="status" data-testid="notice">{notice} <button type="button" onClick={() => setNotice(null)}>{t('common.dismiss')}</button></div>}
        <div className="workspace">
          <Palette manifests={manifests} onAdd={addFromPalette} templates={paletteTemplates} onAddTemplate={addTemplateNode} />
          <main className="center">
            <JourneyCanvas store={store} onDropTemplate={dropTemplate} />
            <ProblemsList issues={issues} onFocus={focusNode} nodeInfo={nodeInfo} />
            <p className="shortcuts muted small">{t('editor.shortcuts')}</p>
          </main>
          <aside className="side">
            {side === 'config' && selectedIds.length === 1 && (
              <SelectedNodePanel store={store} registry={registry} nodeId={selectedIds[0]} issues={issuesByNode.get(selectedIds[0])} suggestions={suggestions} templateCache={templateCache}
                previewContact={previewContact} onPreviewContact={setPreviewContact} />
            )}
            {side === 'config' && selectedIds.length !== 1 && (
              <div className="side-empty muted" data-testid="no-selection">
                {selectedIds.length > 1 ? t('panel.multiSelection', { count: selectedIds.length }) : t('panel.noSelection')}
                {(selectedIds.length > 0 || notesSelected) && <p><button type="button" onClick={() => store.getState().deleteSelected()} data-testid="delete-selected">{t('editor.delete')}</button></p>}
              </div>
            )}
            {side === 'test' && (
              <TestRunPanel journeyId={journey.id} trigger={trigger} nodeInfo={nodeInfo} hasErrors={invalid} beforeStart={saveNow} run={run}
                onRun={(r) => { setRun(r); if (r && statsVersion === null) setStatsVersion(DRAFT_STATS); }} />
            )}
            {side === 'contacts' && countQuery && statsVersion !== null && (
              <NodeContactsPanel journeyId={journey.id} version={statsVersion} query={countQuery} portLabels={countPortLabels} total={countTotal}
                nodeTitle={countNode?.label || (countNode?.manifest ? localized(countNode.manifest.title, lang) : countQuery.nodeId)}
                onTrace={setRun} onClose={() => setSide('config')} />
            )}
            {side === 'versions' && (
              <VersionsPanel versions={versions.data?.versions ?? null} error={versions.error} liveVersion={liveVersion}
                onShowStats={(v) => setStatsVersion(v)} onRestore={(v) => store.getState().replaceGraph(v)}
                onView={(v) => setComparing({ before: null, after: v, title: t('diff.viewHeading', { version: t('diff.version', { version: v.version }) }) })}
                onCompare={(from, to) => {
                  const graphOf = (x: CompareSide): Graph | undefined => (x === 'draft' ? store.getState().document() : versions.data?.versions.find((v) => v.version === x));
                  const name = (x: CompareSide) => (x === 'draft' ? t('diff.draft') : t('diff.version', { version: x }));
                  const [before, after] = [graphOf(from), graphOf(to)];
                  if (before && after) setComparing({ before, after, title: t('diff.heading', { from: name(from), to: name(to) }) });
                }} />
            )}
          </aside>
        </div>
        {comparing && <VersionDiffView registry={registry} before={comparing.before} after={comparing.after} title={comparing.title} onClose={() => setComparing(null)} />}
        {publishing && (
          <PublishDialog journeyId={journey.id} beforePublish={saveNow} onClose={() => setPublishing(false)} issues={issues} nodeInfo={nodeInfo}
            onPublished={(v) => { setPublishing(false); setLiveVersion(v); setStatsVersion(v); setNotice(t('publish.done', { version: v })); versions.refresh(); }} />
        )}
      </div>
      </CountActionsContext.Provider>
    </CanvasOverlayContext.Provider>
  );
}

const NO_ISSUES: ValidationIssue[] = [];

/** The form of the one selected node: it alone follows that node's config as the marketer types. */
const SelectedNodePanel = memo(function SelectedNodePanel({ store, registry, nodeId, issues = NO_ISSUES, suggestions, templateCache, previewContact, onPreviewContact }: {
  store: JourneyEditorStore; registry: NodeRegistry; nodeId: string; issues?: ValidationIssue[]; suggestions: FormContext['suggestions']; templateCache: Record<string, NodeTemplate>;
  previewContact: PreviewContact | null; onPreviewContact(p: PreviewContact | null): void;
}) {
  const node = useStore(store, (s) => s.nodes.find((n) => n.id === nodeId));
  const onConfig = useCallback((c: Record<string, unknown>) => store.getState().updateConfig(nodeId, c), [store, nodeId]);
  const onLabel = useCallback((l: string) => store.getState().setLabel(nodeId, l), [store, nodeId]);
  if (!node) return null;
  const manifest = registry.get(node.data.nodeType, node.data.version);
  return (
    <>
      <ConfigPanel
        node={node} manifest={manifest} issues={issues} suggestions={suggestions}
        onConfig={onConfig} onLabel={onLabel}
        template={node.data.template ? templateCache[`${node.data.template.id}@${node.data.template.version}`] ?? null : null}
      />
      {manifest?.category === 'response' && <MessagePreview manifest={manifest} config={node.data.config} picked={previewContact} onPick={onPreviewContact} />}
    </>
  );
});
