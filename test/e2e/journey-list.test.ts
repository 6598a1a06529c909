/**
 * The journey list in headless Chromium against a real stack: the node count column, search by name and
 * description, the status filter, "Duplicate" (the copy opens, named "… (copy)" / "…（副本）" in the UI's
 * language), and imports that go wrong explained in words (not JSON; a document with a field missing) or that
 * would repeat a name ("… (imported)"). One browser and one page for the whole file (2-core CI).
 */
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { signInToEditor } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { editorApi, useEditorSession } from './helpers/session';

const WELCOME = {
  name: 'Welcome drip',
  description: 'Greets new followers with a DM',
  nodes: [
    { id: 'follow', type: 'trigger.event', version: 1, config: { eventTypes: ['social.follow'] }, position: { x: 40, y: 80 } },
    { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 1, unit: 'days' } }, position: { x: 340, y: 80 } },
    { id: 'hello', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Welcome aboard!' }, position: { x: 640, y: 80 } },
  ],
  edges: [{ from: 'follow', port: 'next', to: 'wait' }, { from: 'wait', port: 'next', to: 'hello' }],
};
const COMPLAINTS = {
  name: 'Complaint handling',
  description: 'Routes angry mentions to the care team',
  nodes: [
    { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] }, position: { x: 40, y: 80 } },
    { id: 'sorry', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Sorry to hear that, we are on it.' }, position: { x: 340, y: 80 } },
  ],
  edges: [{ from: 'mention', port: 'next', to: 'sorry' }],
};

describe('journey list in Chromium', () => {
  let page: Page;
  let base: string;
  let pageErrors: string[];
  let token: string;
  let welcomeId: string;
  let complaintsId: string;
  const { e2e } = useEditorSession({ onOpen: (s) => ({ base, token, page, pageErrors } = s) });
  const byTestId = (id: string) => page.getByTestId(id);
  const rows = () => page.locator('[data-testid^="journey-row-"]');
  const rowNames = () => page.locator('[data-testid^="journey-row-"] td:first-child a').allTextContents();
  const api = (method: string, url: string, body?: unknown) => editorApi(base, token, method, url, body);
  /** The list's error line, found by its role so the old screen (raw JSON.parse text) is read as well. */
  const listAlert = () => byTestId('journey-list').getByRole('alert');
  const openedId = () => decodeURIComponent(new URL(page.url()).hash.replace('#/journeys/', ''));
  const backToList = async () => {
    await byTestId('back').click();
    await byTestId('journey-list').waitFor();
  };
  const importFile = (name: string, content: string, mimeType = 'application/json') =>
    byTestId('import-file').setInputFiles({ name, mimeType, buffer: Buffer.from(content) });

  e2e('shows the node count of each journey, and the search narrows the rows by name or description', async () => {
    const welcome = await api('POST', '/api/v1/journeys', WELCOME);
    const complaints = await api('POST', '/api/v1/journeys', COMPLAINTS);
    expect([welcome.status, complaints.status]).toEqual([201, 201]);
    ({ id: welcomeId } = welcome.body);
    ({ id: complaintsId } = complaints.body);
    expect((await api('POST', `/api/v1/journeys/${complaintsId}/publish`, { note: 'v1' })).status).toBe(201);

    await signInToEditor(page, base, pageErrors, `journey-row-${complaintsId}`);

    expect(await byTestId(`journey-nodes-${welcomeId}`).textContent()).toBe('3');
    expect(await byTestId(`journey-nodes-${complaintsId}`).textContent()).toBe('2');

    await byTestId('journey-search').fill('COMPLAINT');
    await expect.poll(rowNames).toEqual(['Complaint handling']);
    // The description counts too, in any case.
    await byTestId('journey-search').fill('new FOLLOWERS');
    await expect.poll(rowNames).toEqual(['Welcome drip']);
    await byTestId('journey-search').fill('no such journey');
    await expect.poll(() => rows().count()).toBe(0);
    expect(await byTestId('list-no-match').textContent()).toBe('No journey matches.');
    await screenshot(page, '40-journey-list-no-match');
    await byTestId('journey-search').fill('');
    await expect.poll(() => rows().count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });

  e2e('filters the rows by status: draft, live, all', async () => {
    const options = await byTestId('journey-status-filter').locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(options).toEqual(['all', 'draft', 'live', 'paused']);
    await byTestId('journey-status-filter').selectOption('live');
    await expect.poll(rowNames).toEqual(['Complaint handling']);
    await byTestId('journey-status-filter').selectOption('draft');
    await expect.poll(rowNames).toEqual(['Welcome drip']);
    // Search and filter together: a draft named like the live journey matches neither.
    await byTestId('journey-search').fill('complaint');
    await expect.poll(() => byTestId('list-no-match').count()).toBe(1);
    await byTestId('journey-search').fill('');
    await byTestId('journey-status-filter').selectOption('all');
    await expect.poll(() => rows().count()).toBe(2);
  });

  e2e('"Duplicate" opens a copy named "… (copy)" with the same steps, and the list shows it', async () => {
    await byTestId(`clone-${welcomeId}`).click();
    await expect.poll(() => page.url()).toMatch(/#\/journeys\/[^/]+$/);
    await expect.poll(openedId).not.toBe(welcomeId);
    const copyId = openedId();
    await expect.poll(() => byTestId('journey-name').inputValue()).toBe('Welcome drip (copy)');
    await byTestId('node-hello').waitFor();
    const copy = await api('GET', `/api/v1/journeys/${copyId}`);
    expect(copy.body).toMatchObject({ name: 'Welcome drip (copy)', description: WELCOME.description, status: 'draft', edges: WELCOME.edges });
    expect(copy.body.nodes.map((n: { id: string }) => n.id)).toEqual(['follow', 'wait', 'hello']);

    await backToList();
    await byTestId(`journey-row-${copyId}`).waitFor();
    expect(await byTestId(`journey-name-${copyId}`).textContent()).toBe('Welcome drip (copy)');
    expect(await byTestId(`journey-nodes-${copyId}`).textContent()).toBe('3');
    expect(pageErrors).toEqual([]);
  });

  e2e('importing a file that is not JSON says so in words, not with a JSON.parse error', async () => {
    await importFile('notes.txt', 'Welcome drip: send a DM after a day', 'text/plain');
    await expect.poll(() => listAlert().textContent()).toContain('The file “notes.txt” is not JSON');
    const text = await listAlert().textContent();
    expect(text).not.toMatch(/JSON\.parse|Unexpected token|SyntaxError/);
    expect(page.url()).not.toMatch(/#\/journeys\//);
    expect(pageErrors).toEqual([]);
  });

  e2e('importing a document with a field missing names the edge and the field, not "body/edges/0/port"', async () => {
    const { edges: _e, ...rest } = COMPLAINTS;
    await importFile('broken.json', JSON.stringify({ ...rest, name: 'Broken export', edges: [{ from: 'mention', to: 'sorry' }] }));
    await expect.poll(() => listAlert().textContent()).toContain('The file “broken.json” is not a journey: Edge 1: port is required');
    expect(await listAlert().textContent()).not.toContain('body/');
    await screenshot(page, '41-journey-import-readable-error');
    expect((await api('GET', '/api/v1/journeys')).body.journeys.map((j: { name: string }) => j.name)).not.toContain('Broken export');
    // The browser logs the expected 400.
    expect(pageErrors.splice(0)).toEqual([expect.stringContaining('400')]);
  });

  e2e('importing a journey whose name is taken names it "… (imported)"', async () => {
    const exported = await api('GET', `/api/v1/journeys/${welcomeId}`);
    await importFile('welcome-drip.json', JSON.stringify(exported.body));
    await expect.poll(() => page.url()).toMatch(/#\/journeys\//);
    await expect.poll(() => byTestId('journey-name').inputValue()).toBe('Welcome drip (imported)');
    const imported = await api('GET', `/api/v1/journeys/${openedId()}`);
    expect(imported.body).toMatchObject({ name: 'Welcome drip (imported)', edges: WELCOME.edges });
    expect(imported.body.id).not.toBe(welcomeId);
    await backToList();
    expect(pageErrors).toEqual([]);
  });

  e2e('in Chinese: the copy is named "…（副本）" and the list and import errors speak Chinese', async () => {
    await byTestId('language').selectOption('zh-CN');
    await byTestId('journey-search').fill('不存在的旅程');
    await expect.poll(() => byTestId('list-no-match').textContent()).toBe('没有匹配的旅程。');
    await byTestId('journey-search').fill('');
    await importFile('notes.txt', 'not json', 'text/plain');
    await expect.poll(() => listAlert().textContent()).toContain('文件“notes.txt”不是 JSON');

    await byTestId(`clone-${complaintsId}`).click();
    await expect.poll(() => page.url()).toMatch(/#\/journeys\/[^/]+$/);
    await expect.poll(openedId).not.toBe(complaintsId);
    await expect.poll(() => byTestId('journey-name').inputValue()).toBe('Complaint handling（副本）');
    const copy = await api('GET', `/api/v1/journeys/${openedId()}`);
    expect(copy.body).toMatchObject({ name: 'Complaint handling（副本）', status: 'draft' });
    await screenshot(page, '42-journey-clone-zh-CN');
    await byTestId('back').click();
    await byTestId('journey-list').waitFor();
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });

  e2e('dark mode: follows the system until a theme is picked, which is remembered, canvas included, in both languages', async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    expect(await byTestId('theme').inputValue()).toBe('system');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');
    expect(await background()).toBe('rgb(11, 18, 32)');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
    expect(await background()).toBe('rgb(248, 250, 252)');

    await byTestId('theme').selectOption('dark');
    await expect.poll(theme).toBe('dark');
    await page.reload();
    await byTestId('journey-list').waitFor();
    expect([await theme(), await byTestId('theme').inputValue()]).toEqual(['dark', 'dark']);
    // The canvas takes the same mode.
    await page.locator(`[data-testid="journey-row-${welcomeId}"] td:first-child a`).click();
    await expect.poll(() => page.locator('.react-flow').getAttribute('class')).toContain('dark');
    await screenshot(page, '43-editor-dark');
    await byTestId('back').click();
    await byTestId('journey-list').waitFor();
    await byTestId('language').selectOption('zh-CN');
    expect(await byTestId('theme').locator('option:checked').textContent()).toBe('☾ 深色');
    await byTestId('language').selectOption('en');
    await byTestId('theme').selectOption('system');
    await expect.poll(theme).toBe('light');
    expect(pageErrors).toEqual([]);
  });
});
