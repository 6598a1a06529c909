/**
 * The template library: the journey template gallery ("Use template" makes a draft and opens it) and the node
 * templates (admins create, edit and publish them; everyone sees the published ones, which the palette offers).
 */
import { useState } from 'react';
import type { NodeRegistry } from '../../../nodes/registry';
import { api, errorText } from '../api/client';
import type { JourneyTemplate, NodeTemplate } from '../api/types';
import { usePolling } from '../hooks/usePolling';
import { localized, useLang, useT } from '../i18n/language-store';
import { useSession } from '../session';
import { NavBar } from './NavBar';

export function TemplatesPage({ registry, onOpenJourney, onSignOut }: { registry: NodeRegistry; onOpenJourney(id: string): void; onSignOut(): void }) {
  const t = useT();
  const lang = useLang();
  const { can } = useSession();
  const admin = can('templates.write');
  const gallery = usePolling(() => api.journeyTemplates(), 60_000, []);
  const nodeTemplates = usePolling(() => api.nodeTemplates(!admin), 60_000, [admin]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  /** A built-in template in the UI language (a workspace's own templates are in the words their author chose). */
  const shown = (tpl: JourneyTemplate) => (lang === 'zh-CN' && tpl.i18n ? tpl.i18n['zh-CN'] : { name: tpl.name, description: tpl.description });
  const use = async (tpl: JourneyTemplate) => {
    setError(null);
    setBusy(tpl.id);
    try {
      // The draft is named as the marketer read it.
      const j = await api.useJourneyTemplate(tpl.id, lang === 'zh-CN' && tpl.i18n ? tpl.i18n['zh-CN'].name : undefined);
      onOpenJourney(j.id);
    } catch (err) { setError(errorText(err)); } finally { setBusy(null); }
  };
  const remove = async (tpl: JourneyTemplate) => {
    if (!window.confirm(t('gallery.confirmDelete', { name: tpl.name }))) return;
    setError(null);
    try { await api.deleteJourneyTemplate(tpl.id); gallery.refresh(); } catch (err) { setError(errorText(err)); }
  };
  const nodeTitle = (nt: NodeTemplate) => {
    const m = registry.get(nt.nodeType, nt.nodeVersion);
    return m ? `${m.icon} ${localized(m.title, lang)}` : `${nt.nodeType}@${nt.nodeVersion}`;
  };

  return (
    <div className="list-page templates-page" data-testid="templates-page">
      <NavBar current="templates" onSignOut={onSignOut} />
      {error && <p role="alert" className="error" data-testid="templates-error">{error}</p>}

      <section className="page-section">
        <header className="section-head"><h2>{t('gallery.heading')}</h2><p className="muted small">{t('gallery.hint')}</p></header>
        {gallery.error && <p role="alert" className="error">{gallery.error}</p>}
        {!gallery.data && !gallery.error && <p className="muted">{t('common.loading')}</p>}
        <div className="cards">
          {gallery.data?.templates.map((tpl) => (
            <article key={tpl.id} className="card" data-testid={`journey-template-${tpl.id}`}>
              <h3>{shown(tpl).name} {!tpl.builtin && <span className="pill">{t('gallery.own')}</span>}</h3>
              {shown(tpl).description && <p className="card-text">{shown(tpl).description}</p>}
              <p className="muted small">
                {t('gallery.nodes', { count: tpl.nodeCount })}
                {tpl.tags.map((tag) => <span key={tag} className="pill">{tag}</span>)}
              </p>
              <div className="row">
                {can('journeys.write') && (
                  <button type="button" className="primary" disabled={busy !== null} onClick={() => void use(tpl)} data-testid={`use-template-${tpl.id}`}>{t('gallery.use')}</button>
                )}
                {admin && !tpl.builtin && <button type="button" onClick={() => void remove(tpl)} data-testid={`delete-template-${tpl.id}`}>{t('editor.delete')}</button>}
              </div>
            </article>
          ))}
        </div>
      </section>

      <section className="page-section">
        <header className="section-head row">
          <h2>{t('nodeTemplates.heading')}</h2>
          <span className="spacer" />
          {admin && <a href="#/templates/node/new" className="button-link primary" data-testid="new-node-template">{t('nodeTemplates.new')}</a>}
        </header>
        <p className="muted small">{t('nodeTemplates.hint')}</p>
        {nodeTemplates.error && <p role="alert" className="error">{nodeTemplates.error}</p>}
        {nodeTemplates.data?.templates.length === 0 && <p className="empty" data-testid="node-templates-empty">{t('nodeTemplates.empty')}</p>}
        {!!nodeTemplates.data?.templates.length && (
          <table data-testid="node-templates">
            <thead>
              <tr><th>{t('list.name')}</th><th>{t('nodeTemplates.nodeType')}</th><th>{t('nodeTemplates.locked')}</th><th>{t('nodeTemplates.version')}</th><th>{t('list.status')}</th></tr>
            </thead>
            <tbody>
              {nodeTemplates.data.templates.map((nt) => (
                <tr key={nt.id} data-testid={`node-template-row-${nt.id}`}>
                  <td>{admin ? <a href={`#/templates/node/${encodeURIComponent(nt.id)}`}>{nt.name}</a> : nt.name}</td>
                  <td>{nodeTitle(nt)}</td>
                  <td>{nt.locked.length ? `🔒 ${nt.locked.join(', ')}` : '—'}</td>
                  <td>{admin ? `v${nt.latestVersion ?? nt.version}` : `v${nt.version}`}</td>
                  <td>
                    {(admin ? nt.publishedVersion : nt.version)
                      ? <span className="pill pill-published">{t('nodeTemplates.publishedV', { version: (admin ? nt.publishedVersion : nt.version)! })}</span>
                      : <span className="pill">{t('nodeTemplates.unpublished')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
