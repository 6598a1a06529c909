/**
 * The node template form for admins: name, description, node type, the node's config (the same schema-driven form
 * as the config panel) and a lock toggle per top-level config field. Controlled: the page owns the draft.
 */
import { useMemo } from 'react';
import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import { CATEGORIES } from '../../../nodes/contract';
import type { NodeRegistry } from '../../../nodes/registry';
import type { MessageKey } from '../i18n/dictionary';
import { localized, useLang, useT } from '../i18n/language-store';
import { errorSchemaFrom, localizeSchema, uiSchemaFor, withoutEmptyObjects, withoutRequiredOnlyAnyOf } from './form-schema';
import { formValidator } from './form-validator';
import { LockToggles } from './LockToggles';
import { customFields, customWidgets, type FormContext } from './rjsf-adapters';
import { cleanLocks, topLevelFields } from './template-locks';

export interface NodeTemplateDraft { name: string; description: string; nodeType: string; nodeVersion: number; config: Record<string, unknown>; locked: string[] }

export const EMPTY_DRAFT: NodeTemplateDraft = { name: '', description: '', nodeType: '', nodeVersion: 1, config: {}, locked: [] };

const NO_SUGGESTIONS: FormContext = { suggestions: { tags: [], channels: [] } };

/** What is wrong with the draft before it goes to the server (the server checks the same and answers 400). */
export function draftProblems(draft: NodeTemplateDraft, registry: NodeRegistry): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (!draft.name.trim()) out.push({ path: '/name', message: 'is required' });
  if (!registry.get(draft.nodeType, draft.nodeVersion)) { out.push({ path: '/nodeType', message: 'is required' }); return out; }
  for (const e of registry.validateConfig(draft.nodeType, draft.nodeVersion, draft.config)) out.push({ path: `/config${e.path === '/' ? '' : e.path}`, message: e.message });
  return out;
}

/** The draft with the node type changed: a new type starts from an empty config and no locks. */
export function withNodeType(draft: NodeTemplateDraft, key: string): NodeTemplateDraft {
  const [nodeType, v] = key.split('@');
  if (nodeType === draft.nodeType && Number(v) === draft.nodeVersion) return draft;
  return { ...draft, nodeType, nodeVersion: Number(v) || 1, config: {}, locked: [] };
}

export function NodeTemplateForm({ registry, draft, onChange, showErrors }: { registry: NodeRegistry; draft: NodeTemplateDraft; onChange(d: NodeTemplateDraft): void; showErrors?: boolean }) {
  const t = useT();
  const lang = useLang();
  const manifest = draft.nodeType ? registry.get(draft.nodeType, draft.nodeVersion) : undefined;
  const schema = useMemo(() => (manifest ? withoutRequiredOnlyAnyOf(localizeSchema(manifest.configSchema as Record<string, any>, lang)) : null), [manifest, lang]);
  const uiSchema = useMemo(() => {
    if (!schema) return {};
    const ui: Record<string, any> = { ...uiSchemaFor(schema, '', lang), 'ui:submitButtonOptions': { norender: true } };
    // Locked fields stay editable here (the admin sets their value) and say that journeys cannot change them.
    for (const f of draft.locked) ui[f] = { ...(ui[f] ?? {}), 'ui:description': `🔒 ${t('nodeTemplates.lockedHere')}` };
    return ui;
  }, [schema, draft.locked, t, lang]);
  const fields = useMemo(() => topLevelFields(manifest?.configSchema as Record<string, any> | undefined, lang), [manifest, lang]);
  const problems = useMemo(() => (showErrors ? draftProblems(draft, registry) : []), [showErrors, draft, registry]);
  const extraErrors = useMemo(() => errorSchemaFrom(problems), [problems]);
  const options = useMemo(() => CATEGORIES.map((c) => ({ c, nodes: registry.all().filter((m) => m.category === c && registry.latest(m.type) === m) })).filter((g) => g.nodes.length), [registry]);

  return (
    <div className="template-form" data-testid="node-template-form">
      <label className="stacked">{t('nodeTemplates.name')} *
        <input value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} className={problems.some((p) => p.path === '/name') ? 'field-invalid' : undefined} data-testid="template-name" />
      </label>
      <label className="stacked">{t('nodeTemplates.description')}
        <textarea rows={2} value={draft.description} onChange={(e) => onChange({ ...draft, description: e.target.value })} data-testid="template-description" />
      </label>
      <label className="stacked">{t('nodeTemplates.nodeType')} *
        <select value={draft.nodeType ? `${draft.nodeType}@${draft.nodeVersion}` : ''} onChange={(e) => onChange(withNodeType(draft, e.target.value))} data-testid="template-node-type">
          <option value="">{t('nodeTemplates.pickType')}</option>
          {options.map((g) => (
            <optgroup key={g.c} label={t(`category.${g.c}` as MessageKey)}>
              {g.nodes.map((m) => <option key={m.type} value={`${m.type}@${m.version}`}>{m.icon} {localized(m.title, lang)}</option>)}
            </optgroup>
          ))}
          {draft.nodeType && !manifest && <option value={`${draft.nodeType}@${draft.nodeVersion}`}>{draft.nodeType}@{draft.nodeVersion}</option>}
        </select>
      </label>
      {manifest && (
        <>
          <LockToggles fields={fields} locked={draft.locked} onChange={(locked) => onChange({ ...draft, locked: cleanLocks(locked, fields.map((f) => f.name)) })} />
          <div className="config-panel template-config" data-testid="template-config">
            <h3>{t('nodeTemplates.config')}</h3>
            {schema && (
              <Form
                key={`${draft.nodeType}@${draft.nodeVersion}:${lang}`}
                schema={schema}
                uiSchema={uiSchema}
                formData={draft.config}
                validator={formValidator}
                fields={customFields}
                widgets={customWidgets}
                formContext={NO_SUGGESTIONS}
                extraErrors={extraErrors as never}
                noValidate
                showErrorList={false}
                idPrefix="tpl"
                experimental_defaultFormStateBehavior={{ arrayMinItems: { populate: 'never' }, emptyObjectFields: 'populateRequiredDefaults' }}
                onChange={(e: IChangeEvent) => {
                  const next = withoutEmptyObjects(manifest.configSchema as Record<string, any>, (e.formData ?? {}) as Record<string, unknown>);
                  if (JSON.stringify(next) !== JSON.stringify(draft.config)) onChange({ ...draft, config: next });
                }}
              />
            )}
          </div>
        </>
      )}
      {problems.some((p) => p.path === '/nodeType') && <p className="error small">{t('nodeTemplates.nodeType')}: {problems.find((p) => p.path === '/nodeType')!.message}</p>}
    </div>
  );
}
