// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { BUILTIN_MANIFESTS } from '../../../nodes/manifests';
import { NodeRegistry } from '../../../nodes/registry';
import { validateJourney } from '../../../workflows/model/validate-journey';
import { nodesFromDocument } from '../graph/document';
import { useLanguage } from '../i18n/language-store';
import { ConfigPanel } from './ConfigPanel';

const registry = new NodeRegistry(BUILTIN_MANIFESTS);
afterEach(() => { cleanup(); useLanguage.getState().setLang('en'); });

function panelFor(node: { id: string; type: string; version: number; config: Record<string, unknown> }, onConfig = vi.fn()) {
  const doc = { name: 'T', nodes: [{ id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['x.y'] } }, node], edges: [{ from: 't', port: 'next', to: node.id }] };
  const issues = validateJourney(doc, registry).filter((i) => i.nodeId === node.id);
  const flowNode = nodesFromDocument(doc, registry)[1];
  render(<ConfigPanel node={flowNode} manifest={registry.get(node.type, node.version)} issues={issues} suggestions={{ tags: [], channels: [] }} onConfig={onConfig} onLabel={vi.fn()} />);
  return onConfig;
}

describe('config panel', () => {
  it('generates the form from the schema, shows the shared validator\'s error on the field, and reports edits', () => {
    const onConfig = panelFor({ id: 'pts', type: 'scoring.points', version: 1, config: { score: 'lead', reason: 'liked a post' } });
    expect(screen.getByTestId('config-panel').textContent).toContain('is required');
    const points = document.getElementById('cfg-pts_points') as HTMLInputElement;
    expect(points).toBeTruthy();
    fireEvent.change(points, { target: { value: '5' } });
    expect(onConfig).toHaveBeenLastCalledWith({ score: 'lead', reason: 'liked a post', points: 5 });
  });

  it('uses the duration widget and Chinese titles from x-i18n', () => {
    useLanguage.getState().setLang('zh-CN');
    const onConfig = panelFor({ id: 'w', type: 'flow.wait', version: 1, config: { duration: { amount: 3, unit: 'days' } } });
    expect(screen.getByTestId('config-panel').textContent).toContain('等待时长');
    expect((screen.getByTestId('duration-duration-unit') as HTMLSelectElement).selectedOptions[0].textContent).toBe('天');
    fireEvent.change(screen.getByTestId('duration-duration-amount'), { target: { value: '2' } });
    expect(onConfig).toHaveBeenLastCalledWith({ duration: { amount: 2, unit: 'days' } });
  });

  it('inserts a {{contact.field}} variable with a fallback into a message template (event fields without)', () => {
    const onConfig = panelFor({ id: 'r', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Hi ' } });
    const insert = document.querySelector('[data-testid$="_message-insert"]') as HTMLSelectElement;
    fireEvent.change(insert, { target: { value: 'contact.profile.name' } });
    expect(onConfig).toHaveBeenLastCalledWith({ mode: 'reply', message: 'Hi {{contact.profile.name | "there"}}' });
    // The fallback word is selected right away (typing replaces it); with the cursor put at the end, an event field
    // goes there, without a fallback.
    const text = document.querySelector('[data-testid$="_message"]') as HTMLTextAreaElement;
    expect(text.value.slice(text.selectionStart, text.selectionEnd)).toBe('there');
    text.setSelectionRange(text.value.length, text.value.length);
    fireEvent.change(insert, { target: { value: 'event.text' } });
    expect(onConfig.mock.lastCall?.[0].message).toMatch(/\{\{contact\.profile\.name \| "there"\}\}\{\{event\.text\}\}$/);
  });
});
