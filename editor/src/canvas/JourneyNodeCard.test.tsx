// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { BUILTIN_MANIFESTS } from '../../../nodes/manifests';
import { NodeRegistry } from '../../../nodes/registry';
import { validateJourney } from '../../../workflows/model/validate-journey';
import { useLanguage } from '../i18n/language-store';
import { nodesFromDocument } from '../graph/document';
import { CanvasOverlayContext, createOverlayStore, type CanvasOverlay } from './canvas-overlay';
import { FilterNode, FlowNode, ResponseNode, ScoringNode, TriggerNode, UnknownNode } from './JourneyNodeCard';

const registry = new NodeRegistry(BUILTIN_MANIFESTS);
const nodeTypes = { trigger: TriggerNode, filter: FilterNode, scoring: ScoringNode, response: ResponseNode, flow: FlowNode, unknown: UnknownNode };

afterEach(() => {
  cleanup();
  useLanguage.getState().setLang('en');
});

function renderGraph(doc: { name: string; nodes: any[]; edges: any[] }, overlay: Partial<CanvasOverlay> = {}) {
  const issues = validateJourney(doc, registry);
  const issuesByNode = new Map<string, typeof issues>();
  for (const i of issues) if (i.nodeId) issuesByNode.set(i.nodeId, [...(issuesByNode.get(i.nodeId) ?? []), i]);
  render(
    <div style={{ width: 1000, height: 600 }}>
      <ReactFlowProvider>
        <CanvasOverlayContext.Provider value={createOverlayStore({ registry, issuesByNode, stats: null, run: null, ...overlay })}>
          <ReactFlow nodes={nodesFromDocument(doc, registry)} edges={[]} nodeTypes={nodeTypes} />
        </CanvasOverlayContext.Provider>
      </ReactFlowProvider>
    </div>,
  );
}

describe('node card', () => {
  it('draws one labelled handle per port, taken from the config for a split, and no input on a trigger', () => {
    renderGraph({
      name: 'AB',
      nodes: [
        { id: 'start', type: 'trigger.event', version: 1, config: { eventTypes: ['form.submitted'] } },
        { id: 'ab', type: 'flow.split', version: 1, config: { branches: [{ id: 'a', label: 'Variant A', weight: 1 }, { id: 'b', label: 'Variant B', weight: 3 }] } },
      ],
      edges: [],
    });
    expect(screen.getByTestId('handle-ab-a').getAttribute('data-handleid')).toBe('a');
    expect(screen.getByTestId('handle-ab-b')).toBeTruthy();
    expect(screen.getByTestId('handle-ab-in')).toBeTruthy();
    expect(screen.getByTestId('node-ab').textContent).toContain('Variant A');
    expect(screen.getByTestId('node-ab').textContent).toContain('Variant B');
    expect(screen.getByTestId('handle-start-next')).toBeTruthy();
    expect(screen.queryByTestId('handle-start-in')).toBeNull();
    expect(screen.getByTestId('node-summary-start').textContent).toBe('form.submitted');
  });

  it('shows an error badge with the messages when the config is invalid, and live counts per node and port', () => {
    renderGraph({
      name: 'Bad',
      nodes: [
        { id: 'start', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
        { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply' } },
      ],
      edges: [{ from: 'start', port: 'next', to: 'reply' }],
    }, { stats: { start: { entered: 4, waiting: 0, exited: 4, errors: 0, ports: { next: 4 } } } });
    const badge = screen.getByTestId('node-error-reply');
    expect(badge.textContent).toBe('1');
    expect(badge.getAttribute('title')).toContain('is required');
    expect(screen.queryByTestId('node-error-start')).toBeNull();
    expect(screen.getByTestId('node-stats-start').textContent).toContain('▶ 4');
    expect(screen.getByTestId('node-start').textContent).toContain('Next (4)');
  });

  it('counts the messages of test runs as recorded, not sent, and says why', () => {
    const doc = {
      name: 'Dry',
      nodes: [
        { id: 'start', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
        { id: 'reply', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks!' } },
      ],
      edges: [{ from: 'start', port: 'next', to: 'reply' }],
    };
    const stats = { reply: { entered: 3, waiting: 0, exited: 3, errors: 0, ports: { sent: 3 } } };
    renderGraph(doc, { stats, dryRunStats: true });
    const recorded = screen.getByText('Recorded (3)');
    expect(recorded.getAttribute('title')).toContain('Test runs never send');
    expect(screen.getByTestId('node-reply').textContent).not.toContain('Sent (3)');
    cleanup();
    // A published version's counts are real sends.
    renderGraph(doc, { stats });
    expect(screen.getByTestId('node-reply').textContent).toContain('Sent (3)');
  });

  it('shows the messages in the UI language, by field title (an unknown time zone, in Chinese)', () => {
    useLanguage.getState().setLang('zh-CN');
    renderGraph({
      name: 'Tz',
      nodes: [
        { id: 'start', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
        { id: 'later', type: 'flow.wait-until', version: 1, config: { days: [1], start: '09:00', end: '10:00', timezone: 'Asia/Shangai' } },
      ],
      edges: [{ from: 'start', port: 'next', to: 'later' }],
    });
    expect(screen.getByTestId('node-error-later').getAttribute('title')).toBe('时区不是有效的时区（例如 Asia/Shanghai、UTC），也不是 "contact"');
  });
});
