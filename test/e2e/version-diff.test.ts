/**
 * The version diff in headless Chromium against a real stack: from the version history, v1 against v2 shows the
 * added step and connection in green, the removed ones ghosted in red, the changed step in amber with its changed
 * fields named as its form names them (in English and Chinese); a version against the current draft; and a
 * published version viewed read-only, its sticky notes included. One browser and one page for the whole file.
 */
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { signInToEditor } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { editorApi, useEditorSession } from './helpers/session';

const V1 = {
  name: 'Welcome drip',
  nodes: [
    { id: 'follow', type: 'trigger.event', version: 1, config: { eventTypes: ['social.follow'] }, position: { x: 40, y: 80 } },
    { id: 'hello', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Welcome!' }, position: { x: 340, y: 80 } },
    { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 1, unit: 'days' } }, position: { x: 640, y: 80 } },
  ],
  edges: [{ from: 'follow', port: 'next', to: 'hello' }, { from: 'hello', port: 'sent', to: 'wait' }],
};
const V2 = {
  ...V1,
  nodes: [
    V1.nodes[0],
    { ...V1.nodes[1], label: 'Say hello', config: { mode: 'dm', message: 'Welcome aboard, {{contact.profile.name | "friend"}}!' } },
    { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['welcomed'] }, position: { x: 640, y: 240 } },
  ],
  edges: [{ from: 'follow', port: 'next', to: 'hello' }, { from: 'hello', port: 'sent', to: 'tag' }],
  notes: [{ id: 'note-1', position: { x: 40, y: 300 }, size: { width: 260, height: 120 }, text: '**v2**: tag instead of waiting', color: 'green' }],
};

describe('version diff in Chromium', () => {
  let page: Page;
  let base: string;
  let token: string;
  let pageErrors: string[];
  let journeyId: string;
  const { e2e } = useEditorSession({ onOpen: (s) => ({ base, token, page, pageErrors } = s) });
  const byTestId = (id: string) => page.getByTestId(id);
  const api = (method: string, url: string, body?: unknown) => editorApi(base, token, method, url, body);
  const diffNode = (id: string) => byTestId('version-diff').locator(`.react-flow__node[data-id="${id}"]`);
  const diffClass = async (id: string) => ((await diffNode(id).getAttribute('class')) ?? '').split(' ').find((c) => c.startsWith('diff-')) ?? 'same';

  e2e('v1 against v2: added green, removed ghosted red, changed amber with its fields by their form titles', async () => {
    const created = await api('POST', '/api/v1/journeys', V1);
    journeyId = created.body.id;
    expect((await api('POST', `/api/v1/journeys/${journeyId}/publish`, { note: 'first' })).status).toBe(201);
    expect((await api('PUT', `/api/v1/journeys/${journeyId}`, V2)).status).toBe(200);
    expect((await api('POST', `/api/v1/journeys/${journeyId}/publish`, { note: 'tag' })).status).toBe(201);
    await signInToEditor(page, base, pageErrors);
    await page.goto(`${base}/#/journeys/${encodeURIComponent(journeyId)}`);
    await byTestId('node-hello').waitFor();

    await byTestId('toggle-versions').click();
    await byTestId('version-2').waitFor();
    await byTestId('compare-from').selectOption('1');
    await byTestId('compare-to').selectOption('2');
    await byTestId('compare-show').click();
    await byTestId('version-diff').waitFor();
    expect(await byTestId('version-diff-title').textContent()).toBe('Changes from Version 1 to Version 2');
    await expect.poll(() => diffClass('tag')).toBe('diff-added');
    expect(await diffClass('wait')).toBe('diff-removed');
    expect(await diffClass('hello')).toBe('diff-changed');
    expect(await diffClass('follow')).toBe('same');
    // Removed steps are ghosted; connections are coloured.
    expect(Number(await diffNode('wait').evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(0.6);
    expect(await byTestId('version-diff').locator('.react-flow__edge.diff-edge-added').count()).toBe(1);
    expect(await byTestId('version-diff').locator('.react-flow__edge.diff-edge-removed').count()).toBe(1);

    expect(await byTestId('diff-fields-hello').locator('li').allTextContents()).toEqual(['Name on the canvas', 'Message']);
    expect(await byTestId('diff-added-tag').textContent()).toContain('tag');
    expect(await byTestId('diff-removed-wait').textContent()).toContain('wait');
    expect(await byTestId('diff-edges-added').textContent()).toBe('Connections added: 1');
    expect(await byTestId('diff-notes').textContent()).toBe('Notes changed');
    await screenshot(page, '80-version-diff');
    expect(pageErrors).toEqual([]);
  });

  e2e('in Chinese the changed fields read as the Chinese form does', async () => {
    // The language switch is behind the dialog: close, switch, compare again.
    await byTestId('version-diff-close').click();
    await byTestId('language').selectOption('zh-CN');
    await byTestId('compare-from').selectOption('1');
    await byTestId('compare-to').selectOption('2');
    await byTestId('compare-show').click();
    await expect.poll(() => byTestId('diff-fields-hello').locator('li').allTextContents()).toEqual(['画布上的名称', '消息内容']);
    expect(await byTestId('version-diff-title').textContent()).toBe('从版本 1到版本 2的变更');
    await screenshot(page, '81-version-diff-zh-CN');
    await byTestId('version-diff-close').click();
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });

  e2e('a version against the current draft, and a version viewed read-only with its notes', async () => {
    // The draft is what v2 published: nothing to show.
    await byTestId('compare-from').selectOption('2');
    await byTestId('compare-to').selectOption('draft');
    await byTestId('compare-show').click();
    await byTestId('diff-none').waitFor();
    expect(await byTestId('version-diff-title').textContent()).toBe('Changes from Version 2 to the current draft');
    await byTestId('version-diff-close').click();
    // v1 against the draft: the draft's steps, marked against v1.
    await byTestId('compare-from').selectOption('1');
    await byTestId('compare-show').click();
    await expect.poll(() => diffClass('tag')).toBe('diff-added');
    expect(await diffClass('wait')).toBe('diff-removed');
    await byTestId('version-diff-close').click();

    await byTestId('version-view-2').click();
    await byTestId('version-diff').waitFor();
    expect(await byTestId('version-diff-title').textContent()).toBe('Version 2 — read-only');
    const note = byTestId('version-diff').getByTestId('note-body-note-1');
    await note.waitFor();
    expect(await note.locator('strong').textContent()).toBe('v2');
    // Read-only: a double-click opens no editor, no colour buttons show, and nothing is diff-marked.
    await note.dispatchEvent('dblclick');
    expect(await byTestId('version-diff').getByTestId('note-text-note-1').count()).toBe(0);
    expect(await byTestId('version-diff').locator('.note-colors').count()).toBe(0);
    expect(await byTestId('version-diff').locator('[class*="diff-added"], [class*="diff-removed"], [class*="diff-changed"]').count()).toBe(0);
    await screenshot(page, '82-version-view-notes');
    await byTestId('version-diff-close').click();
    await byTestId('version-diff').waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });
});
