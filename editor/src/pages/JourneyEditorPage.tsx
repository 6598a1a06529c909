/** One journey: palette, canvas, configuration, problems, publish, versions, test run and live numbers. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { NodeManifest } from '../../../nodes/contract';
import type { NodeRegistry } from '../../../nodes/registry';
import type { JourneyDocument } from '../../../workflows/model/journey-schema';
import { hasErrors, validateJourney, type ValidationIssue } from '../../../workflows/model/validate-journey';
import { api, errorText } from '../api/client';
import type { EnrollmentView, JourneyView, NodeTemplate } from '../api/types';
import { CanvasOverlayContext, type CanvasOverlay, type RunMark } from '../canvas/canvas-overlay';
import { JourneyCanvas } from '../canvas/JourneyCanvas';
import { Palette } from '../canvas/Palette';
import { ConfigPanel } from '../forms/ConfigPanel';
import { KNOWN_CHANNELS } from '../forms/form-schema';
import { toDocument } from '../graph/document';
import { createJourneyStore, type JourneyEditorStore } from '../graph/journey-store';
import { useAutosave } from '../hooks/useAutosave';
import { usePolling } from '../hooks/usePolling';
import { useKeyboardShortcuts } from '../hooks/useKeyboardShortcuts';
import { useT } from '../i18n/language-store';
import { AnalyticsBar } from '../panels/AnalyticsBar';
import { ProblemsList } from '../panels/ProblemsList';
import { PublishDialog } from '../panels/PublishDialog';
import { TestRunPanel } from '../panels/TestRunPanel';
import { VersionsPanel } from '../panels/VersionsPanel';
import { LanguageSwitch } from './LanguageSwitch';
import { useSession } from '../session';

type Side = 'config' | 'test' | 'versions';

function documentOf(j: JourneyView): JourneyDocument {
  return { name: j.name, ...(j.description ? { description: j.description } : {}), nodes: j.nodes, edges: j.edges, ...(j.settings ? { settings: j.settings } : {}) };
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

function Editor({ registry, journey, onBack }: { registry: NodeRegistry; journey: JourneyView; onBack(): void }) {
  const t = useT();
  const [store] = useState<JourneyEditorStore>(() => createJourneyStore(registry, documentOf(journey)));
  const { fitView, screenToFlowPosition } = useReactFlow();
  const { nodes, edges, meta, canUndo, canRedo } = useStore(store, useShallow((s) => ({
    nodes: s.nodes, edges: s.edges, meta: s.meta, canUndo: s.past.length > 0, canRedo: s.future.length > 0,
  })));
  const [liveVersion, setLiveVersion] = useState<number | null>(journey.liveVersion);
  const [side, setSide] = useState<Side>('config');
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [statsVersion, setStatsVersion] = useState<number | null>(journey.liveVersion);
  const [run, setRun] = useState<EnrollmentView | null>(null);
  const [suggestions, setSuggestions] = useState({ tags: [] as string[], channels: KNOWN_CHANNELS });
  const { can } = useSession();
  const [savingTemplate, setSavingTemplate] = useState(false);

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
  const boundTemplates = useMemo(() => [...new Set(nodes.flatMap((n) => (n.data.template ? [`${n.data.template.id}@${n.data.template.version}`] : [])))].join('|'), [nodes]);
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

  // Validation is the shared journey model's, run on every change: the same verdict the server gives at publish.
  const doc = useMemo(() => toDocument(meta, nodes, edges), [meta, nodes, edges]);
  const issues = useMemo(() => validateJourney(doc, registry), [doc, registry]);
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

  const overlay = useMemo<CanvasOverlay>(() => ({
    registry, issuesByNode, stats: statsVersion !== null ? stats.data?.nodes ?? {} : null, run: runMarks(run),
  }), [registry, issuesByNode, stats.data, statsVersion, run]);

  const selected = nodes.filter((n) => n.selected);
  const focusNode = useCallback((id: string) => {
    store.getState().selectOnly([id]);
    setSide('config');
    void fitView({ nodes: [{ id }], duration: 300, maxZoom: 1.2 });
  }, [store, fitView]);

  const addFromPalette = useCallback((m: NodeManifest<any>) => {
    const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const at = el ? screenToFlowPosition({ x: el.left + el.width / 2 - 110 + Math.random() * 40, y: el.top + el.height / 2 - 40 + Math.random() * 40 }) : { x: 0, y: 0 };
    store.getState().addNode(m, at);
  }, [store, screenToFlowPosition]);

  const addTemplateNode = useCallback((tpl: NodeTemplate, at?: { x: number; y: number }) => {
    const manifest = registry.get(tpl.nodeType, tpl.nodeVersion);
    if (!manifest) { setNotice(t('template.unknownType', { type: `${tpl.nodeType}@${tpl.nodeVersion}` })); return; }
    let pos = at;
    if (!pos) {
      const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      pos = el ? screenToFlowPosition({ x: el.left + el.width / 2 - 110, y: el.top + el.height / 2 - 40 }) : { x: 0, y: 0 };
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

  const shortcutActions = useMemo(() => ({ save: () => void saveNow(), fit: () => void fitView({ duration: 300 }) }), [saveNow, fitView]);
  useKeyboardShortcuts(store, shortcutActions);

  const firstTrigger = nodes.find((n) => n.type === 'trigger');
  const defaultEventType = ((firstTrigger?.data.config.eventTypes as string[] | undefined) ?? [])[0] ?? '';
  const saveLabel = saveState.kind === 'saved' ? t('editor.saved') : saveState.kind === 'saving' ? t('editor.saving') : saveState.kind === 'dirty' ? t('editor.unsaved')
    : saveState.kind === 'conflict' ? t('editor.conflict') : t('editor.saveFailed', { message: saveState.message });
  const node = selected.length === 1 ? selected[0] : null;

  return (
    <CanvasOverlayContext.Provider value={overlay}>
      <div className="editor" data-testid="editor">
        <header className="toolbar">
          <button type="button" onClick={async () => { await saveNow(); onBack(); }} data-testid="back">{t('editor.back')}</button>
          <input className="name-input" value={meta.name} aria-label={t('editor.name')} onChange={(e) => store.getState().setName(e.target.value)} data-testid="journey-name" />
          <span className={`save-state save-${saveState.kind}`} role={saveState.kind === 'error' || saveState.kind === 'conflict' ? 'alert' : 'status'} data-testid="save-state">{saveLabel}</span>
          <span className="spacer" />
          <button type="button" disabled={!canUndo} onClick={() => store.getState().undo()} title="Ctrl+Z" data-testid="undo">↶ {t('editor.undo')}</button>
          <button type="button" disabled={!canRedo} onClick={() => store.getState().redo()} title="Ctrl+Shift+Z" data-testid="redo">↷ {t('editor.redo')}</button>
          <button type="button" onClick={() => { store.getState().autoLayout(); setTimeout(() => void fitView({ duration: 300 }), 50); }} data-testid="auto-layout">{t('editor.layout')}</button>
          <button type="button" onClick={() => void fitView({ duration: 300 })} data-testid="fit">{t('editor.fit')}</button>
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
          <Palette manifests={registry.all().filter((m) => registry.latest(m.type) === m)} onAdd={addFromPalette} templates={paletteTemplates} onAddTemplate={addTemplateNode} />
          <main className="center">
            <JourneyCanvas store={store} onDropTemplate={dropTemplate} />
            <ProblemsList issues={issues} onFocus={focusNode} />
            <p className="shortcuts muted small">{t('editor.shortcuts')}</p>
          </main>
          <aside className="side">
            {side === 'config' && node && (
              <ConfigPanel
                node={node} manifest={registry.get(node.data.nodeType, node.data.version)} issues={issuesByNode.get(node.id) ?? []} suggestions={suggestions}
                onConfig={(c) => store.getState().updateConfig(node.id, c)} onLabel={(l) => store.getState().setLabel(node.id, l)}
                template={node.data.template ? templateCache[`${node.data.template.id}@${node.data.template.version}`] ?? null : null}
              />
            )}
            {side === 'config' && !node && (
              <div className="side-empty muted" data-testid="no-selection">
                {selected.length > 1 ? t('panel.multiSelection', { count: selected.length }) : t('panel.noSelection')}
                {selected.length > 0 && <p><button type="button" onClick={() => store.getState().deleteSelected()} data-testid="delete-selected">{t('editor.delete')}</button></p>}
              </div>
            )}
            {side === 'test' && (
              <TestRunPanel journeyId={journey.id} defaultEventType={defaultEventType} hasErrors={invalid} beforeStart={saveNow} run={run}
                onRun={(r) => { setRun(r); if (r && statsVersion === null) setStatsVersion(0); }} />
            )}
            {side === 'versions' && (
              <VersionsPanel versions={versions.data?.versions ?? null} error={versions.error} liveVersion={liveVersion}
                onShowStats={(v) => setStatsVersion(v)} onRestore={(v) => store.getState().replaceGraph(v)} />
            )}
          </aside>
        </div>
        {publishing && (
          <PublishDialog journeyId={journey.id} beforePublish={saveNow} onClose={() => setPublishing(false)}
            onPublished={(v) => { setPublishing(false); setLiveVersion(v); setStatsVersion(v); setNotice(t('publish.done', { version: v })); versions.refresh(); }} />
        )}
      </div>
    </CanvasOverlayContext.Provider>
  );
}
