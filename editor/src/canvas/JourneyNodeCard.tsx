/** A journey node on the canvas: icon, title, config summary, labelled port handles, error badge, counts. */
import { memo, useContext, type ReactNode } from 'react';
import { Handle, Position, useStore as useFlowStore, type NodeProps } from '@xyflow/react';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import { portsOf } from '../../../nodes/ports';
import { configSummary } from '../graph/config-summary';
import { INPUT_HANDLE, type CanvasNodeKind, type JourneyFlowNode } from '../graph/flow-types';
import { issueText } from '../graph/issue-text';
import { localized, useLang, useT } from '../i18n/language-store';
import { useOverlay } from './canvas-overlay';
import { CanvasActionsContext, useUsedPorts } from './canvas-actions';
import { useCountActions, type CountQuery } from './count-actions';
import { isSendPort } from '../panels/test-run/step-details';

const NO_ISSUES: ValidationIssue[] = [];
/** Below this zoom no text of a card is readable: it draws its colour, title and ports only (a third of the DOM). */
export const FAR_ZOOM = 0.35;
const isFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;

/** A live count: a button that lists the contacts behind it when the page offers that, else the number as text. */
function Count({ open, query, className, title, testId, children }: {
  open: ((q: CountQuery) => void) | null; query: CountQuery; className?: string; title: string; testId?: string; children: ReactNode;
}) {
  const t = useT();
  if (!open) return <span className={className} title={title} data-testid={testId}>{children}</span>;
  return (
    <button type="button" className={['jn-count nodrag nopan', className].filter(Boolean).join(' ')} title={`${title} — ${t('insights.countHint')}`} data-testid={testId}
      onClick={(e) => { e.stopPropagation(); open(query); }}>{children}</button>
  );
}

function NodeCard({ id, data, selected, kind }: NodeProps<JourneyFlowNode> & { kind: CanvasNodeKind }) {
  const lang = useLang();
  const t = useT();
  // Each value is this node's own entry of the overlay: other nodes' changes do not re-render this card.
  const registry = useOverlay((o) => o.registry);
  const issues = useOverlay((o) => o.issuesByNode.get(id)) ?? NO_ISSUES;
  const s = useOverlay((o) => o.stats?.[id]);
  const mark = useOverlay((o) => o.run?.get(id));
  const dryRunStats = useOverlay((o) => o.dryRunStats ?? false);
  const actions = useContext(CanvasActionsContext);
  const openCount = useCountActions();
  const usedPorts = useUsedPorts(actions?.store, id);
  const far = useFlowStore(isFar);
  const manifest = registry.get(data.nodeType, data.version);
  const ports = manifest ? portsOf(manifest, data.config) : [];
  const errors = issues.filter((i) => i.severity === 'error');
  const title = data.label || (manifest ? localized(manifest.title, lang) : data.nodeType);
  const classes = ['jn', `jn-${kind}`, selected && 'jn-selected', errors.length && 'jn-invalid', mark && 'jn-visited', mark?.current && 'jn-current', far && 'jn-far'].filter(Boolean).join(' ');
  if (far) {
    return (
      <div className={classes} data-testid={`node-${id}`} data-node-type={data.nodeType}>
        {kind !== 'trigger' && <Handle type="target" position={Position.Left} id={INPUT_HANDLE} className="jn-in" />}
        <div className="jn-head"><span className="jn-title">{title}</span>{errors.length > 0 && <span className="jn-badge jn-badge-error">{errors.length}</span>}</div>
        {ports.length > 0 && <div className="jn-ports">{ports.map((p) => <div className="jn-port" key={p.id}><Handle type="source" position={Position.Right} id={p.id} className="jn-out" /></div>)}</div>}
      </div>
    );
  }
  // The tooltip names each problem once, by field: "Assignee is required".
  const errorTitle = [...new Set(errors.map((e) => issueText(e, manifest, lang, { withNode: false })))].join('\n');
  const summary = manifest ? configSummary(manifest, data.config, lang) : `${data.nodeType}@${data.version}`;

  return (
    <div className={classes} data-testid={`node-${id}`} data-node-type={data.nodeType} title={manifest ? localized(manifest.description, lang) : undefined}>
      {kind !== 'trigger' && <Handle type="target" position={Position.Left} id={INPUT_HANDLE} className="jn-in" data-testid={`handle-${id}-in`} />}
      <div className="jn-head">
        <span className="jn-icon" aria-hidden>{manifest?.icon ?? '❓'}</span>
        <span className="jn-title">{title}</span>
        {data.template && <span className="jn-template" title={t('template.nodeBadge', { version: data.template.version })} data-testid={`node-template-${id}`}>🧩</span>}
        {errors.length > 0 && (
          <span className="jn-badge jn-badge-error" data-testid={`node-error-${id}`} title={errorTitle}>
            {errors.length}
          </span>
        )}
        {mark && <span className="jn-badge jn-badge-run" data-testid={`node-run-${id}`}>{mark.order.join(',')}</span>}
      </div>
      <div className="jn-summary" data-testid={`node-summary-${id}`}>{summary || '\u00a0'}</div>
      {s && (
        <div className="jn-stats" data-testid={`node-stats-${id}`}>
          <Count open={openCount} query={{ nodeId: id, state: 'entered' }} title={t('analytics.entered')} testId={`node-count-${id}-entered`}>▶ {s.entered}</Count>
          <Count open={openCount} query={{ nodeId: id, state: 'waiting' }} title={t('analytics.waiting')} testId={`node-count-${id}-waiting`}>⏸ {s.waiting}</Count>
          <span title={t('analytics.exited')}>✓ {s.exited}</span>
          {s.errors > 0 && <span className="jn-stat-err" title={t('analytics.errors')}>⚠ {s.errors}</span>}
        </div>
      )}
      {mark && (
        <div className="jn-run" data-testid={`node-run-steps-${id}`}>
          {mark.steps.map((st) => `${st.outcome}${st.port ? ` → ${st.port}` : ''}`).join(' · ')}
        </div>
      )}
      {ports.length > 0 && (
        <div className="jn-ports">
          {ports.map((p) => (
            <div className="jn-port" key={p.id}>
              {s?.ports[p.id] === undefined
                ? <span className="jn-port-label">{localized(p.label, lang)}</span>
                : dryRunStats && isSendPort(manifest?.category, p.id)
                  ? <Count open={openCount} query={{ nodeId: id, state: 'port', port: p.id }} className="jn-port-label jn-port-recorded" title={t('test.recordedHint')} testId={`node-count-${id}-port-${p.id}`}>{t('test.recordedCount', { count: s.ports[p.id] })}</Count>
                  : <Count open={openCount} query={{ nodeId: id, state: 'port', port: p.id }} className="jn-port-label" title={localized(p.label, lang)} testId={`node-count-${id}-port-${p.id}`}>{localized(p.label, lang)} ({s.ports[p.id]})</Count>}
              <Handle type="source" position={Position.Right} id={p.id} className="jn-out" data-testid={`handle-${id}-${p.id}`} />
              {actions && !usedPorts.split('|').includes(p.id) && (
                <button type="button" className="jn-add nodrag nopan" title={t('picker.addAfter', { port: localized(p.label, lang) })} aria-label={t('picker.addAfter', { port: localized(p.label, lang) })}
                  onClick={(e) => { e.stopPropagation(); actions.openPicker({ nodeId: id, port: p.id }, { x: e.clientX, y: e.clientY }); }} data-testid={`add-after-${id}-${p.id}`}>+</button>
              )}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

// One component per category (the category styles the card); memo keeps dragging one node from re-rendering all.
export const TriggerNode = memo((p: NodeProps<JourneyFlowNode>) => <NodeCard {...p} kind="trigger" />);
export const FilterNode = memo((p: NodeProps<JourneyFlowNode>) => <NodeCard {...p} kind="filter" />);
export const ScoringNode = memo((p: NodeProps<JourneyFlowNode>) => <NodeCard {...p} kind="scoring" />);
export const ResponseNode = memo((p: NodeProps<JourneyFlowNode>) => <NodeCard {...p} kind="response" />);
export const FlowNode = memo((p: NodeProps<JourneyFlowNode>) => <NodeCard {...p} kind="flow" />);
export const UnknownNode = memo((p: NodeProps<JourneyFlowNode>) => <NodeCard {...p} kind="unknown" />);
