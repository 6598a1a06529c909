// @vitest-environment happy-dom
/** The palette's groups: templates, custom nodes (catalog `source: 'custom'`), then built-ins by category. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { NodeManifest } from '../../../nodes/contract';
import { BUILTIN_MANIFESTS } from '../../../nodes/manifests';
import type { CatalogManifest, NodeTemplate } from '../api/types';
import { DICTIONARIES } from '../i18n/dictionary';
import { useLanguage } from '../i18n/language-store';
import { isCustomNode, Palette } from './Palette';

afterEach(() => { cleanup(); useLanguage.getState().setLang('en'); });

const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const custom = (type: string, category: NodeManifest<any>['category'], title: [string, string]): CatalogManifest => ({
  type, version: 1, category, title: text(...title), description: text(`${title[0]} node`, `${title[1]}节点`), icon: '💎',
  configSchema: { type: 'object', properties: {} }, outputs: [{ id: 'next', label: text('Next', '下一步') }],
  execution: { timeoutMs: 5000, pure: false } as never, source: 'custom',
});
const catalog: CatalogManifest[] = [
  ...BUILTIN_MANIFESTS.map((m) => ({ ...m, source: 'builtin' as const })),
  custom('acme.loyalty-tier', 'scoring', ['Loyalty tier', '会员等级']),
  custom('acme.crm-sync', 'response', ['CRM sync', '同步 CRM']),
];
const template: NodeTemplate = {
  id: 'tpl-1', version: 1, name: 'Polite reply', description: null, nodeType: 'response.reply', nodeVersion: 1, config: {}, locked: [], editable: [],
  published: true, createdAt: new Date().toISOString(), createdBy: null,
};

const headings = () => [...screen.getByTestId('palette').querySelectorAll('section > h3')].map((h) => h.textContent);

describe('palette groups', () => {
  it('shows templates, then custom nodes in their own group, then built-ins by category', () => {
    const onAdd = vi.fn();
    render(<Palette manifests={catalog} onAdd={onAdd} templates={[template]} />);
    expect(headings()).toEqual(['Templates', 'Custom nodes', 'Triggers', 'Filters', 'Scoring', 'Responses', 'Flow']);
    const customGroup = screen.getByTestId('palette-custom');
    expect([...customGroup.querySelectorAll('li')].map((li) => li.getAttribute('data-testid'))).toEqual(['palette-item-acme.loyalty-tier', 'palette-item-acme.crm-sync']);
    // Custom nodes are not repeated among the built-ins of their category.
    expect(within(screen.getByTestId('palette-category-scoring')).queryByTestId('palette-item-acme.loyalty-tier')).toBeNull();
    expect(within(screen.getByTestId('palette-category-scoring')).getByTestId('palette-item-scoring.points')).toBeTruthy();
    fireEvent.keyDown(screen.getByTestId('palette-item-acme.crm-sync'), { key: 'Enter' });
    expect(onAdd).toHaveBeenCalledWith(catalog.find((m) => m.type === 'acme.crm-sync'));
  });

  it('labels the custom group in Chinese, searches it, and hides it when nothing custom matches or exists', () => {
    useLanguage.getState().setLang('zh-CN');
    render(<Palette manifests={catalog} onAdd={vi.fn()} />);
    expect(headings()[0]).toBe('自定义节点');
    fireEvent.change(screen.getByTestId('palette-search'), { target: { value: '会员' } });
    expect(headings()).toEqual(['自定义节点']);
    fireEvent.change(screen.getByTestId('palette-search'), { target: { value: 'scoring.points' } });
    expect(headings()).toEqual(['评分']);
    cleanup();
    render(<Palette manifests={BUILTIN_MANIFESTS} onAdd={vi.fn()} />); // a catalog without `source`: all built-in
    expect(screen.queryByTestId('palette-custom')).toBeNull();
    expect(BUILTIN_MANIFESTS.some(isCustomNode)).toBe(false);
  });

  it('has the group label in both languages', () => {
    expect(DICTIONARIES.en['palette.custom']).toBe('Custom nodes');
    expect(DICTIONARIES['zh-CN']['palette.custom']).toBe('自定义节点');
  });
});
