// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { BUILTIN_MANIFESTS } from '../../../nodes/manifests';
import { NodeRegistry } from '../../../nodes/registry';
import { nodesFromDocument, toDocument } from '../graph/document';
import { Palette } from '../canvas/Palette';
import type { NodeTemplate } from '../api/types';
import { useLanguage } from '../i18n/language-store';
import { ConfigPanel } from './ConfigPanel';
import { draftProblems, EMPTY_DRAFT, NodeTemplateForm, withNodeType, type NodeTemplateDraft } from './NodeTemplateForm';
import { cleanLocks, keepLocked, lockedUiSchema, lockViolations, toggleLock, topLevelFields } from './template-locks';

const registry = new NodeRegistry(BUILTIN_MANIFESTS);
const reply = registry.get('response.reply', 1)!;
afterEach(() => { cleanup(); useLanguage.getState().setLang('en'); });

describe('template lock logic', () => {
  it('lists top-level fields in schema order with localized titles and toggles locks in that order', () => {
    expect(topLevelFields(reply.configSchema as never, 'en').map((f) => [f.name, f.title, f.required])).toEqual([['mode', 'Send as', true], ['message', 'Message', true], ['fallback', 'If the platform refuses', false]]);
    expect(topLevelFields(reply.configSchema as never, 'zh-CN')[1].title).toBe('消息内容');
    const order = ['mode', 'message'];
    expect(toggleLock([], 'message', order)).toEqual(['message']);
    expect(toggleLock(['message'], 'mode', order)).toEqual(['mode', 'message']);
    expect(toggleLock(['mode', 'message'], 'mode', order)).toEqual(['message']);
    expect(cleanLocks(['gone', 'message'], order)).toEqual(['message']);
  });

  it('keeps locked values on edits and reports changed locked fields', () => {
    const tpl = { mode: 'dm', message: 'Hello from the brand' };
    expect(keepLocked({ mode: 'reply', message: 'hacked' }, tpl, ['message'])).toEqual({ mode: 'reply', message: 'Hello from the brand' });
    expect(keepLocked({ mode: 'reply', extra: 1 }, { mode: 'dm' }, ['extra'])).toEqual({ mode: 'reply' });
    expect(lockViolations({ mode: 'reply', message: 'x' }, tpl, ['mode', 'message'])).toEqual(['mode', 'message']);
    expect(lockViolations(tpl, tpl, ['mode', 'message'])).toEqual([]);
    expect(lockedUiSchema({ mode: {}, message: { 'ui:widget': 'template' } }, ['message'])).toEqual({ mode: {}, message: { 'ui:field': 'locked' } });
  });

  it('carries the template binding through the document round trip', () => {
    const doc = { name: 'j', nodes: [{ id: 'r', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Hi' }, template: { id: 'tpl-1', version: 2 } }], edges: [] };
    const back = toDocument({ name: 'j' }, nodesFromDocument(doc, registry), []);
    expect(back.nodes[0].template).toEqual({ id: 'tpl-1', version: 2 });
  });
});

function FormHarness({ onDraft }: { onDraft(d: NodeTemplateDraft): void }) {
  const [draft, setDraft] = useState<NodeTemplateDraft>(EMPTY_DRAFT);
  return <NodeTemplateForm registry={registry} draft={draft} showErrors onChange={(d) => { setDraft(d); onDraft(d); }} />;
}

describe('node template form', () => {
  it('builds the config form for the chosen node type, locks a field by toggle, and resets on a new type', () => {
    const onDraft = vi.fn();
    render(<FormHarness onDraft={onDraft} />);
    fireEvent.change(screen.getByTestId('template-name'), { target: { value: 'Brand reply' } });
    fireEvent.change(screen.getByTestId('template-node-type'), { target: { value: 'response.reply@1' } });
    const message = screen.getByTestId('template-tpl_message') as HTMLTextAreaElement;
    fireEvent.change(message, { target: { value: 'Thanks for reaching out!' } });
    const toggle = screen.getByTestId('lock-toggle-message');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    fireEvent.click(toggle);
    expect(screen.getByTestId('lock-toggle-message').getAttribute('aria-checked')).toBe('true');
    const last = onDraft.mock.lastCall![0] as NodeTemplateDraft;
    expect(last).toMatchObject({ name: 'Brand reply', nodeType: 'response.reply', nodeVersion: 1, locked: ['message'] });
    expect(last.config).toMatchObject({ message: 'Thanks for reaching out!' });
    expect(draftProblems(last, registry)).toEqual([]);
    // The locked field stays editable for the admin and says journeys keep it.
    expect(screen.getByTestId('template-config').textContent).toContain('Locked: journeys keep this value');

    fireEvent.change(screen.getByTestId('template-node-type'), { target: { value: 'scoring.points@1' } });
    expect((onDraft.mock.lastCall![0] as NodeTemplateDraft).locked).toEqual([]);
    expect(screen.queryByTestId('lock-toggle-message')).toBeNull();
    expect(screen.getByTestId('lock-toggle-points')).toBeTruthy();
  });

  it('names what is missing before saving', () => {
    expect(draftProblems(EMPTY_DRAFT, registry).map((p) => p.path)).toEqual(['/name', '/nodeType']);
    const d = withNodeType({ ...EMPTY_DRAFT, name: 'x' }, 'response.reply@1');
    expect(draftProblems(d, registry).some((p) => p.path.startsWith('/config'))).toBe(true);
  });
});

describe('a node made from a template', () => {
  const template = { name: 'Brand reply', version: 1, config: { mode: 'dm', message: 'Official text' }, locked: ['message'] };
  function renderPanel(onConfig = vi.fn()) {
    const doc = { name: 'T', nodes: [{ id: 'reply-1', type: 'response.reply', version: 1, config: { ...template.config }, template: { id: 'tpl', version: 1 } }], edges: [] };
    render(<ConfigPanel node={nodesFromDocument(doc, registry)[0]} manifest={reply} issues={[]} suggestions={{ tags: [], channels: [] }} onConfig={onConfig} onLabel={vi.fn()} template={template} />);
    return onConfig;
  }

  it('shows locked fields read-only, and edits of the other fields keep the locked value', () => {
    const onConfig = renderPanel();
    expect(screen.getByTestId('locked-value-message').textContent).toBe('Official text');
    expect(screen.queryByTestId('template-cfg-reply-1_message')).toBeNull(); // no text box for the locked field
    expect(screen.getByTestId('node-template-info').textContent).toContain('Brand reply');
    const mode = document.getElementById('cfg-reply-1_mode') as HTMLSelectElement;
    fireEvent.change(mode, { target: { value: '0' } }); // rjsf selects use option indexes
    expect(onConfig).toHaveBeenLastCalledWith({ mode: 'reply', message: 'Official text' });
  });

  it('the palette offers published templates in their own group', () => {
    const tpl: NodeTemplate = { id: 'tpl', version: 1, name: 'Brand reply', description: null, nodeType: 'response.reply', nodeVersion: 1, config: template.config, locked: ['message'], editable: ['mode'], published: true, createdAt: '', createdBy: null };
    const onAddTemplate = vi.fn();
    render(<Palette manifests={registry.all()} onAdd={vi.fn()} templates={[tpl]} onAddTemplate={onAddTemplate} />);
    expect(screen.getByTestId('palette-templates').querySelector('h3')!.textContent).toBe('Templates');
    fireEvent.keyDown(screen.getByTestId('palette-template-tpl'), { key: 'Enter' });
    expect(onAddTemplate).toHaveBeenCalledWith(tpl);
    fireEvent.change(screen.getByTestId('palette-search'), { target: { value: 'zzz-none' } });
    expect(screen.queryByTestId('palette-templates')).toBeNull();
  });
});
