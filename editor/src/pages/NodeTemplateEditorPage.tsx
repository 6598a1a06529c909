/**
 * Creating and editing a node template (admins): the form, save (every save of an existing template is a new
 * version), publish (the palette offers the newest published version), the version list and a field-level diff.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { NodeRegistry } from '../../../nodes/registry';
import { api, errorText } from '../api/client';
import type { NodeTemplate, TemplateDiff } from '../api/types';
import { draftProblems, EMPTY_DRAFT, NodeTemplateForm, type NodeTemplateDraft } from '../forms/NodeTemplateForm';
import { formatValue } from '../forms/template-locks';
import { useLang, useT } from '../i18n/language-store';
import { useSession } from '../session';
import { NavBar, NoAccess } from './NavBar';

function draftOf(t: NodeTemplate): NodeTemplateDraft {
  return { name: t.name, description: t.description ?? '', nodeType: t.nodeType, nodeVersion: t.nodeVersion, config: structuredClone(t.config), locked: [...t.locked] };
}

export function NodeTemplateEditorPage({ registry, id, onSaved, onSignOut }: { registry: NodeRegistry; id: string | null; onSaved(id: string): void; onSignOut(): void }) {
  const t = useT();
  const lang = useLang();
  const { can } = useSession();
  const [loaded, setLoaded] = useState<NodeTemplate | null>(null);
  const [draft, setDraft] = useState<NodeTemplateDraft>(EMPTY_DRAFT);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [showErrors, setShowErrors] = useState(false);
  const [diff, setDiff] = useState<TemplateDiff | null>(null);

  const load = useCallback(async (templateId: string) => {
    try {
      const tpl = await api.nodeTemplate(templateId);
      setLoaded(tpl);
      setDraft(draftOf(tpl));
    } catch (err) { setError(errorText(err)); }
  }, []);
  useEffect(() => { if (id) void load(id); }, [id, load]);

  const dirty = useMemo(() => !loaded || JSON.stringify(draftOf(loaded)) !== JSON.stringify(draft), [loaded, draft]);
  const latestPublished = loaded?.versions?.find((v) => v.version === loaded.version)?.published ?? loaded?.published ?? false;

  if (!can('templates.write')) return <div className="list-page"><NavBar current="templates" onSignOut={onSignOut} /><NoAccess /></div>;
  if (id && !loaded && !error) return <div className="list-page"><NavBar current="templates" onSignOut={onSignOut} /><p className="muted page-loading">{t('common.loading')}</p></div>;

  const save = async () => {
    setError(null);
    setNotice(null);
    if (draftProblems(draft, registry).length) { setShowErrors(true); setError(t('nodeTemplates.fixErrors')); return; }
    setBusy(true);
    try {
      const body = { name: draft.name.trim(), description: draft.description.trim() || undefined, nodeType: draft.nodeType, nodeVersion: draft.nodeVersion, config: draft.config, locked: draft.locked };
      const saved = loaded ? await api.updateNodeTemplate(loaded.id, body) : await api.createNodeTemplate(body);
      setNotice(t('nodeTemplates.savedVersion', { version: saved.version }));
      setShowErrors(false);
      if (!loaded) onSaved(saved.id); // the page reopens on the template's own address
      else await load(saved.id);
    } catch (err) { setError(errorText(err)); } finally { setBusy(false); }
  };
  const publish = async (version?: number) => {
    if (!loaded) return;
    setError(null);
    setBusy(true);
    try {
      const p = await api.publishNodeTemplate(loaded.id, version);
      setNotice(t('nodeTemplates.publishedNotice', { version: p.version }));
      await load(loaded.id);
    } catch (err) { setError(errorText(err)); } finally { setBusy(false); }
  };
  const compare = async (from: number) => {
    if (!loaded) return;
    setError(null);
    try { setDiff(await api.nodeTemplateDiff(loaded.id, from, loaded.version)); } catch (err) { setError(errorText(err)); }
  };
  const archive = async () => {
    if (!loaded || !window.confirm(t('nodeTemplates.confirmArchive', { name: loaded.name }))) return;
    try { await api.archiveNodeTemplate(loaded.id); window.location.hash = '#/templates'; } catch (err) { setError(errorText(err)); }
  };

  return (
    <div className="list-page template-editor" data-testid="node-template-editor">
      <NavBar current="templates" onSignOut={onSignOut} />
      <header className="toolbar">
        <a href="#/templates" data-testid="back-to-templates">{t('nodeTemplates.back')}</a>
        <h1>{loaded ? loaded.name : t('nodeTemplates.newHeading')}</h1>
        {loaded && <span className="pill" data-testid="template-version">v{loaded.version}</span>}
        {loaded && (latestPublished ? <span className="pill pill-published">{t('nodeTemplates.publishedV', { version: loaded.version })}</span> : <span className="pill">{t('nodeTemplates.unpublished')}</span>)}
        {dirty && loaded && <span className="save-state save-dirty">{t('editor.unsaved')}</span>}
        <span className="spacer" />
        {loaded && <button type="button" onClick={() => void archive()} disabled={busy} data-testid="template-archive">{t('nodeTemplates.archive')}</button>}
        <button type="button" onClick={() => void save()} disabled={busy || (!!loaded && !dirty)} data-testid="template-save">
          {loaded ? t('nodeTemplates.saveVersion') : t('nodeTemplates.create')}
        </button>
        {loaded && (
          <button type="button" className="primary" onClick={() => void publish()} disabled={busy || dirty || latestPublished}
            title={dirty ? t('nodeTemplates.saveFirst') : undefined} data-testid="template-publish">
            {t('nodeTemplates.publish', { version: loaded.version })}
          </button>
        )}
      </header>
      {error && <p role="alert" className="error" data-testid="template-error">{error}</p>}
      {notice && <div className="notice" role="status" data-testid="template-notice">{notice}</div>}
      <div className="template-layout">
        <NodeTemplateForm registry={registry} draft={draft} onChange={setDraft} showErrors={showErrors} />
        {loaded?.versions && (
          <aside className="side-panel template-versions" data-testid="template-versions">
            <h2>{t('versions.heading')}</h2>
            <ul className="version-list">
              {loaded.versions.map((v) => (
                <li key={v.version} data-testid={`template-version-${v.version}`}>
                  <strong>v{v.version}</strong> {v.published ? <span className="pill pill-published">{t('nodeTemplates.published')}</span> : <span className="pill">{t('nodeTemplates.unpublished')}</span>}
                  <div className="muted small">{new Date(v.createdAt).toLocaleString(lang)}{v.createdBy ? ` · ${v.createdBy}` : ''}</div>
                  <div className="row">
                    {!v.published && <button type="button" className="btn-small" disabled={busy} onClick={() => void publish(v.version)} data-testid={`template-publish-${v.version}`}>{t('nodeTemplates.publishThis')}</button>}
                    {v.version !== loaded.version && <button type="button" className="btn-small" onClick={() => void compare(v.version)} data-testid={`template-diff-${v.version}`}>{t('nodeTemplates.compare', { version: loaded.version })}</button>}
                  </div>
                </li>
              ))}
            </ul>
            {diff && <DiffView diff={diff} onClose={() => setDiff(null)} />}
          </aside>
        )}
      </div>
    </div>
  );
}

function DiffView({ diff, onClose }: { diff: TemplateDiff; onClose(): void }) {
  const t = useT();
  const lock = (b: boolean | undefined) => (b ? '🔒' : '🔓');
  return (
    <div className="template-diff" data-testid="template-diff">
      <div className="row"><h3>{t('nodeTemplates.diffHeading', { from: diff.from, to: diff.to })}</h3><span className="spacer" /><button type="button" className="btn-small" onClick={onClose}>{t('common.close')}</button></div>
      {diff.name && <p className="small">{t('nodeTemplates.name')}: {diff.name.from} → {diff.name.to}</p>}
      {diff.nodeType && <p className="small">{t('nodeTemplates.nodeType')}: {diff.nodeType.from} → {diff.nodeType.to}</p>}
      {diff.changes.length === 0 && !diff.name && !diff.nodeType && <p className="muted small">{t('nodeTemplates.noChanges')}</p>}
      {diff.changes.length > 0 && (
        <table className="diff-table">
          <thead><tr><th>{t('nodeTemplates.field')}</th><th>v{diff.from}</th><th>v{diff.to}</th></tr></thead>
          <tbody>
            {diff.changes.map((c) => (
              <tr key={c.field} data-testid={`diff-${c.field}`}>
                <td><code>{c.field}</code></td>
                <td className="diff-from">{lock(c.lockedFrom)} {formatValue(c.from)}</td>
                <td className="diff-to">{lock(c.lockedTo)} {formatValue(c.to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
