/** The selected node's settings: label, and a form generated from its config JSON Schema (rjsf + ajv). */
import { useMemo } from 'react';
import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { NodeManifest } from '../../../nodes/contract';
import { portsOf } from '../../../nodes/ports';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import type { JourneyFlowNode } from '../graph/flow-types';
import { localized, useLang, useT } from '../i18n/language-store';
import { issueMessage, issueText } from '../graph/issue-text';
import { errorSchemaFrom, localizeSchema, uiSchemaFor, withDefaults, withoutEmptyObjects, withoutRequiredOnlyAnyOf } from './form-schema';
import { formValidator } from './form-validator';
import { customFields, customWidgets, type FormContext } from './rjsf-adapters';
import { keepLocked, lockedUiSchema } from './template-locks';

/** The node template a node was made from, as far as the form needs it. */
export interface NodeTemplateLocks { name: string; version: number; config: Record<string, unknown>; locked: string[] }

function sameJson(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function ConfigPanel({ node, manifest, issues: allLanguages, suggestions, onConfig, onLabel, template }: {
  node: JourneyFlowNode; manifest: NodeManifest<any> | undefined; issues: ValidationIssue[]; suggestions: FormContext['suggestions'];
  onConfig(config: Record<string, unknown>): void; onLabel(label: string): void;
  /** Set when the node comes from a node template: its locked fields are shown read-only and never change. */
  template?: NodeTemplateLocks | null;
}) {
  const t = useT();
  const lang = useLang();
  // Issue messages in the UI language (validation gives them in both).
  const issues = useMemo(() => allLanguages.map((i) => ({ ...i, message: issueMessage(i, lang) })), [allLanguages, lang]);
  const schema = useMemo(() => (manifest ? withoutRequiredOnlyAnyOf(localizeSchema(manifest.configSchema as Record<string, any>, lang)) : null), [manifest, lang]);
  const locked = template?.locked ?? [];
  const lockKey = locked.join(',');
  const uiSchema = useMemo(
    () => (schema ? { ...lockedUiSchema(uiSchemaFor(schema, '', lang), locked), 'ui:submitButtonOptions': { norender: true } } : {}),
    [schema, lockKey, lang], // eslint-disable-line react-hooks/exhaustive-deps
  );
  // A new object only when the issues change, so rjsf re-merges errors exactly then.
  const issueKey = JSON.stringify(issues.map((i) => [i.path, i.message]));
  const extraErrors = useMemo(() => errorSchemaFrom(issues), [issueKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const formContext = useMemo<FormContext>(() => ({ suggestions, lockedTitle: t('template.lockedField') }), [suggestions, t]);
  // What the engine uses: a setting left out shows the schema's default (Priority "normal"), not an empty field.
  const formData = useMemo(() => withDefaults(manifest?.configSchema as Record<string, any> | undefined, node.data.config), [manifest, node.data.config]);
  const nodeLevel = issues.filter((i) => !i.path.startsWith('/config/') || i.path === '/config');

  return (
    <div className="config-panel" data-testid="config-panel" data-node-id={node.id}>
      <header>
        <span className="jn-icon" aria-hidden>{manifest?.icon}</span>
        <div>
          <h2>{manifest ? localized(manifest.title, lang) : node.data.nodeType}</h2>
          <p className="muted">{manifest ? localized(manifest.description, lang) : ''}</p>
        </div>
      </header>
      <label className="stacked">
        {t('panel.label')}
        <input value={node.data.label ?? ''} onChange={(e) => onLabel(e.target.value)} data-testid="node-label-input" />
      </label>
      {node.data.template && (
        <p className="template-badge small" data-testid="node-template-info">
          🧩 {t('template.fromTemplate', { name: template?.name ?? node.data.template.id, version: node.data.template.version })}
          {locked.length > 0 && <> · 🔒 {t('template.lockedCount', { count: locked.length })}</>}
        </p>
      )}
      <p className="muted small">{t('panel.nodeId')}: <code>{node.id}</code> · {node.data.nodeType}@{node.data.version}</p>
      {nodeLevel.length > 0 && (
        <ul className="node-issues" data-testid="node-issues">
          {nodeLevel.map((i, k) => <li key={k} className={`issue-${i.severity}`}>{issueText(i, manifest, lang, { withNode: false })}</li>)}
        </ul>
      )}
      {schema && (
        <Form
          key={`${node.id}:${lang}`}
          schema={schema}
          uiSchema={uiSchema}
          formData={formData}
          validator={formValidator}
          fields={customFields}
          widgets={customWidgets}
          formContext={formContext}
          extraErrors={extraErrors as never}
          noValidate
          showErrorList={false}
          idPrefix={`cfg-${node.id}`}
          experimental_defaultFormStateBehavior={{ arrayMinItems: { populate: 'never' }, emptyObjectFields: 'populateRequiredDefaults' }}
          onChange={(e: IChangeEvent) => {
            let next = withoutEmptyObjects(manifest?.configSchema as Record<string, any> | undefined, (e.formData ?? {}) as Record<string, unknown>);
            if (template && locked.length) next = keepLocked(next, template.config, locked);
            if (!sameJson(next, node.data.config) && !sameJson(next, formData)) onConfig(next);
          }}
        />
      )}
      {manifest && (
        <p className="muted small">{t('panel.ports')}: {portsOf(manifest, node.data.config).map((p) => localized(p.label, lang)).join(', ') || '—'}</p>
      )}
    </div>
  );
}
