/** The selected node's settings: label, and a form generated from its config JSON Schema (rjsf + ajv). */
import { useMemo } from 'react';
import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { NodeManifest } from '../../../nodes/contract';
import { portsOf } from '../../../nodes/ports';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import type { JourneyFlowNode } from '../graph/flow-types';
import { localized, useLang, useT } from '../i18n/language-store';
import { errorSchemaFrom, localizeSchema, uiSchemaFor, withoutRequiredOnlyAnyOf } from './form-schema';
import { formValidator } from './form-validator';
import { customFields, customWidgets, type FormContext } from './rjsf-adapters';

function sameJson(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function ConfigPanel({ node, manifest, issues, suggestions, onConfig, onLabel }: {
  node: JourneyFlowNode; manifest: NodeManifest<any> | undefined; issues: ValidationIssue[]; suggestions: FormContext['suggestions'];
  onConfig(config: Record<string, unknown>): void; onLabel(label: string): void;
}) {
  const t = useT();
  const lang = useLang();
  const schema = useMemo(() => (manifest ? withoutRequiredOnlyAnyOf(localizeSchema(manifest.configSchema as Record<string, any>, lang)) : null), [manifest, lang]);
  const uiSchema = useMemo(() => (schema ? { ...uiSchemaFor(schema), 'ui:submitButtonOptions': { norender: true } } : {}), [schema]);
  // A new object only when the issues change, so rjsf re-merges errors exactly then.
  const issueKey = JSON.stringify(issues.map((i) => [i.path, i.message]));
  const extraErrors = useMemo(() => errorSchemaFrom(issues), [issueKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const formContext = useMemo<FormContext>(() => ({ suggestions }), [suggestions]);
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
      <p className="muted small">{t('panel.nodeId')}: <code>{node.id}</code> · {node.data.nodeType}@{node.data.version}</p>
      {nodeLevel.length > 0 && (
        <ul className="node-issues" data-testid="node-issues">
          {nodeLevel.map((i, k) => <li key={k} className={`issue-${i.severity}`}>{i.message}</li>)}
        </ul>
      )}
      {schema && (
        <Form
          key={`${node.id}:${lang}`}
          schema={schema}
          uiSchema={uiSchema}
          formData={node.data.config}
          validator={formValidator}
          fields={customFields}
          widgets={customWidgets}
          formContext={formContext}
          extraErrors={extraErrors as never}
          noValidate
          showErrorList={false}
          idPrefix={`cfg-${node.id}`}
          experimental_defaultFormStateBehavior={{ arrayMinItems: { populate: 'never' }, emptyObjectFields: 'populateRequiredDefaults' }}
          onChange={(e: IChangeEvent) => { if (!sameJson(e.formData ?? {}, node.data.config)) onConfig((e.formData ?? {}) as Record<string, unknown>); }}
        />
      )}
      {manifest && (
        <p className="muted small">{t('panel.ports')}: {portsOf(manifest, node.data.config).map((p) => localized(p.label, lang)).join(', ') || '—'}</p>
      )}
    </div>
  );
}
