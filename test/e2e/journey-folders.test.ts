/**
 * Folders, search and filters of the journey list in headless Chromium against a real stack: a folder is created
 * by typing its name, a journey moved in, the folder renamed (its journeys move), the search finds Chinese names,
 * status and trigger filters narrow the rows, and the choice lives in the URL (a reload and the way back from a
 * journey keep it), in English and Chinese. One browser and one page for the whole file (2-core CI).
 */
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { signInToEditor } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { editorApi, useEditorSession } from './helpers/session';

const journey = (name: string, trigger: string, description?: string) => ({
  name, ...(description ? { description } : {}),
  nodes: [
    { id: 'start', type: trigger, version: 1, config: trigger === 'trigger.event' ? { eventTypes: ['social.follow'] } : {}, position: { x: 40, y: 80 } },
    { id: 'hello', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Hello!' }, position: { x: 340, y: 80 } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'hello' }],
});

describe('journey folders in Chromium', () => {
  let page: Page;
  let base: string;
  let token: string;
  let pageErrors: string[];
  const ids: Record<string, string> = {};
  const { e2e } = useEditorSession({ onOpen: (s) => ({ base, token, page, pageErrors } = s) });
  const byTestId = (id: string) => page.getByTestId(id);
  const rowNames = async () => (await page.locator('[data-testid^="journey-row-"] td:first-child a').allTextContents()).sort();
  const api = (method: string, url: string, body?: unknown) => editorApi(base, token, method, url, body);
  const query = () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');

  e2e('creates a folder by typing its name, moves a journey in, and opens it', async () => {
    for (const [key, doc] of Object.entries({
      spring: journey('Spring sale follow-up', 'trigger.event', 'Thanks new followers during the sale'),
      lead: journey('Lead form welcome', 'trigger.form-submitted'),
      care: journey('投诉安抚', 'trigger.event', '处理负面评论'),
    })) {
      const res = await api('POST', '/api/v1/journeys', doc);
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    }
    expect((await api('POST', `/api/v1/journeys/${ids.lead}/publish`, {})).status).toBe(201);
    await signInToEditor(page, base, pageErrors, `journey-row-${ids.care}`);

    await byTestId('new-folder').click();
    await byTestId('folder-name-input').fill('Campaigns');
    await byTestId('folder-name-confirm').click();
    await byTestId('folder-empty').waitFor();
    expect(query().get('folder')).toBe('Campaigns');
    await byTestId('folder-crumb-root').click();

    await byTestId(`move-${ids.spring}`).click();
    await byTestId(`move-input-${ids.spring}`).fill(' Campaigns / Spring ');
    await byTestId(`move-confirm-${ids.spring}`).click();
    await expect.poll(() => byTestId(`journey-folder-${ids.spring}`).textContent()).toContain('Campaigns/Spring');
    expect((await api('GET', `/api/v1/journeys/${ids.spring}`)).body.folder).toBe('Campaigns/Spring');

    await byTestId('folder-Campaigns').click();
    await byTestId('folder-Campaigns/Spring').waitFor();
    await expect.poll(rowNames).toEqual(['Spring sale follow-up']);
    await byTestId('folder-Campaigns/Spring').click();
    await expect.poll(() => query().get('folder')).toBe('Campaigns/Spring');
    await byTestId('folder-crumb-Campaigns').waitFor();
    // A journey created in a folder lands in it.
    await byTestId('new-journey').click();
    await byTestId('canvas-empty').waitFor();
    const newId = decodeURIComponent(new URL(page.url()).hash.replace('#/journeys/', ''));
    expect((await api('GET', `/api/v1/journeys/${newId}`)).body.folder).toBe('Campaigns/Spring');
    // "← Journeys" comes back to the folder it left.
    await byTestId('back').click();
    await byTestId('journey-list').waitFor();
    await expect.poll(() => query().get('folder')).toBe('Campaigns/Spring');
    await expect.poll(rowNames).toEqual(['Spring sale follow-up', 'Untitled journey']);
    await screenshot(page, '70-journey-folder');
    expect(pageErrors).toEqual([]);
  });

  e2e('renames a folder: every journey in it moves to the new name', async () => {
    await byTestId('rename-folder').click();
    await byTestId('folder-name-input').fill('Spring 2025');
    await byTestId('folder-name-confirm').click();
    await expect.poll(() => query().get('folder')).toBe('Campaigns/Spring 2025');
    await expect.poll(rowNames).toEqual(['Spring sale follow-up', 'Untitled journey']);
    expect((await api('GET', `/api/v1/journeys/${ids.spring}`)).body.folder).toBe('Campaigns/Spring 2025');
    expect((await api('GET', '/api/v1/journeys')).body.folders).toEqual(['Campaigns', 'Campaigns/Spring 2025']);
    await byTestId('folder-crumb-root').click();
    await expect.poll(() => query().get('folder')).toBe(null);
    expect(pageErrors).toEqual([]);
  });

  e2e('searches in any case and in Chinese, filters by status and trigger, and keeps all of it in the URL', async () => {
    await byTestId('journey-search').fill('SPRING SALE');
    await expect.poll(rowNames).toEqual(['Spring sale follow-up']);
    await byTestId('journey-search').fill('负面');
    await expect.poll(rowNames).toEqual(['投诉安抚']);
    await expect.poll(() => query().get('q')).toBe('负面');
    await byTestId('journey-search').fill('');

    await byTestId('journey-trigger-filter').selectOption('trigger.form-submitted');
    await expect.poll(rowNames).toEqual(['Lead form welcome']);
    await byTestId('journey-trigger-filter').selectOption('trigger.event');
    await expect.poll(rowNames).toEqual(['Spring sale follow-up', '投诉安抚']);
    await byTestId('journey-status-filter').selectOption('live');
    await expect.poll(() => byTestId('list-no-match').count()).toBe(1);
    await byTestId('journey-trigger-filter').selectOption('all');
    await expect.poll(rowNames).toEqual(['Lead form welcome']);
    expect([query().get('status'), query().get('trigger')]).toEqual(['live', null]);

    // A reload shows the same list.
    await byTestId('journey-search').fill('welcome');
    await expect.poll(() => query().get('q')).toBe('welcome');
    await page.reload();
    await byTestId(`journey-row-${ids.lead}`).waitFor();
    expect(await byTestId('journey-search').inputValue()).toBe('welcome');
    expect(await byTestId('journey-status-filter').inputValue()).toBe('live');
    await expect.poll(rowNames).toEqual(['Lead form welcome']);
    expect(pageErrors).toEqual([]);
  });

  e2e('in Chinese: folders, filters and messages speak Chinese, and a bad folder name is explained', async () => {
    await page.goto(`${base}/#/`);
    await byTestId(`journey-row-${ids.care}`).waitFor();
    await byTestId('language').selectOption('zh-CN');
    await expect.poll(() => byTestId('folder-crumb-root').textContent()).toBe('全部旅程');
    expect(await byTestId('journey-trigger-filter').locator('option').first().textContent()).toBe('全部触发器');
    expect(await byTestId('journey-status-filter').locator('option[value="paused"]').textContent()).toBe('已暂停');
    await byTestId(`move-${ids.care}`).click();
    await byTestId(`move-input-${ids.care}`).fill('客服/投诉');
    await byTestId(`move-confirm-${ids.care}`).click();
    await expect.poll(() => byTestId(`journey-folder-${ids.care}`).textContent()).toContain('客服/投诉');
    await byTestId('folder-客服').click();
    await expect.poll(rowNames).toEqual(['投诉安抚']);
    await byTestId('new-folder').click();
    await byTestId('folder-name-input').fill(' / ');
    await byTestId('folder-name-confirm').click();
    await expect.poll(() => byTestId('list-error').textContent()).toContain('文件夹名称不能为空');
    await screenshot(page, '71-journey-folders-zh-CN');
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });
});
