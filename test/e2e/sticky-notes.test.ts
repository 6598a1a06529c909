/**
 * Sticky notes on the canvas in headless Chromium against a real stack: added from the toolbar, with Shift+S and
 * from the canvas' right-click menu; written in a little markdown; recoloured (a tint that follows dark mode),
 * resized, moved, deleted and undone like steps; saved with the draft and exported with it; never a problem for
 * validation. One browser and one page for the whole file (2-core CI).
 */
import fs from 'node:fs/promises';
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { signInToEditor } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { editorApi, useEditorSession } from './helpers/session';

const JOURNEY = {
  name: 'Notes journey',
  nodes: [
    { id: 'form', type: 'trigger.form-submitted', version: 1, config: {}, position: { x: 40, y: 80 } },
    { id: 'hello', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Thanks for signing up!' }, position: { x: 360, y: 80 } },
  ],
  edges: [{ from: 'form', port: 'next', to: 'hello' }],
};

interface SavedNote { id: string; position: { x: number; y: number }; size: { width: number; height: number }; text: string; color: string }

describe('sticky notes in Chromium', () => {
  let page: Page;
  let base: string;
  let token: string;
  let pageErrors: string[];
  let journeyId: string;
  const { e2e } = useEditorSession({ onOpen: (s) => ({ base, token, page, pageErrors } = s) });
  const byTestId = (id: string) => page.getByTestId(id);
  const api = (method: string, url: string, body?: unknown) => editorApi(base, token, method, url, body);
  const savedNotes = async (): Promise<SavedNote[]> => (await api('GET', `/api/v1/journeys/${journeyId}`)).body.notes ?? [];
  const saved = () => expect.poll(() => byTestId('save-state').textContent()).toBe('Saved');
  /** A click on an empty spot of the canvas: clears the selection and ends editing. */
  const clickEmptyCanvas = async () => {
    const box = (await byTestId('canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width - 60, box.y + box.height - 160);
  };

  e2e('adds a note from the toolbar, writes markdown in it, and saves it with the draft', async () => {
    const created = await api('POST', '/api/v1/journeys', JOURNEY);
    expect(created.status).toBe(201);
    journeyId = created.body.id;
    await signInToEditor(page, base, pageErrors);
    await page.goto(`${base}/#/journeys/${encodeURIComponent(journeyId)}`);
    await byTestId('node-hello').waitFor();

    await byTestId('add-note').click();
    // A new note opens for typing at once.
    await byTestId('note-text-note-1').waitFor();
    await page.keyboard.type('# Why this journey\n**VIP** leads get a DM *first*\n- check `hello` weekly');
    await clickEmptyCanvas();
    const body = byTestId('note-body-note-1');
    await body.waitFor();
    expect(await body.locator('strong').textContent()).toBe('VIP');
    expect(await body.locator('em').textContent()).toBe('first');
    expect(await body.locator('code').textContent()).toBe('hello');
    expect(await body.locator('.note-h').textContent()).toBe('Why this journey');
    await saved();
    const [note] = await savedNotes();
    expect(note).toMatchObject({ id: 'note-1', color: 'yellow', size: { width: 240, height: 160 }, text: '# Why this journey\n**VIP** leads get a DM *first*\n- check `hello` weekly' });
    // A note is no step: nothing to fix, publishing is open.
    await byTestId('problems-none').waitFor();
    expect(await byTestId('publish').isDisabled()).toBe(false);
    expect((await api('POST', `/api/v1/journeys/${journeyId}/validate`)).body).toEqual({ valid: true, issues: [] });
    await screenshot(page, '60-sticky-note');
    expect(pageErrors).toEqual([]);
  });

  e2e('recolours a note with a tint that works in light and dark mode, resizes and moves it', async () => {
    const note = byTestId('note-note-1');
    await note.click();
    await byTestId('note-color-note-1-blue').click();
    await expect.poll(() => note.getAttribute('data-color')).toBe('blue');
    const bg = () => note.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await bg()).toBe('rgb(219, 234, 254)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(bg).toBe('rgb(23, 42, 74)');
    await screenshot(page, '61-sticky-note-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(bg).toBe('rgb(219, 234, 254)');

    // Resize from the bottom-right corner.
    const before = (await note.boundingBox())!;
    const corner = page.locator('.react-flow__node-note .react-flow__resize-control.handle.bottom.right');
    const c = (await corner.boundingBox())!;
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    await page.mouse.down();
    await page.mouse.move(c.x + 80, c.y + 50, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await note.boundingBox())!.width).toBeGreaterThan(before.width + 40);
    await saved();
    const [resized] = await savedNotes();
    expect(resized.color).toBe('blue');
    expect(resized.size.width).toBeGreaterThan(280);
    expect(resized.size.height).toBeGreaterThan(180);

    // Move it by its body.
    const at = (await note.boundingBox())!;
    await page.mouse.move(at.x + 40, at.y + 60);
    await page.mouse.down();
    await page.mouse.move(at.x + 40, at.y + 260, { steps: 8 });
    await page.mouse.up();
    await saved();
    const [moved] = await savedNotes();
    expect(moved.position.y).toBeGreaterThan(resized.position.y + 100);
    expect(moved.size).toEqual(resized.size);
    expect(pageErrors).toEqual([]);
  });

  e2e('Shift+S and the canvas menu add notes; Delete removes one and Ctrl+Z brings it back', async () => {
    await clickEmptyCanvas();
    await page.keyboard.press('Shift+S');
    await byTestId('note-text-note-2').waitFor();
    await page.keyboard.type('Second note');
    await page.keyboard.press('Escape');
    await byTestId('note-body-note-2').waitFor();

    const box = (await byTestId('canvas').boundingBox())!;
    await page.mouse.click(box.x + 120, box.y + box.height - 220, { button: 'right' });
    await byTestId('canvas-menu-add-note').click();
    await byTestId('note-text-note-3').waitFor();
    await page.keyboard.type('From the menu');
    await clickEmptyCanvas();
    await saved();
    expect((await savedNotes()).map((n) => [n.id, n.text])).toEqual([['note-1', expect.any(String)], ['note-2', 'Second note'], ['note-3', 'From the menu']]);

    await byTestId('note-body-note-3').click();
    await page.keyboard.press('Delete');
    await byTestId('note-note-3').waitFor({ state: 'detached' });
    await saved();
    expect((await savedNotes()).map((n) => n.id)).toEqual(['note-1', 'note-2']);
    await page.keyboard.press('Control+z');
    await byTestId('note-note-3').waitFor();
    expect(await byTestId('note-body-note-3').textContent()).toBe('From the menu');
    await saved();
    expect((await savedNotes()).map((n) => n.id)).toEqual(['note-1', 'note-2', 'note-3']);
    // The steps were never touched.
    expect((await api('GET', `/api/v1/journeys/${journeyId}`)).body.nodes.map((n: { id: string }) => n.id)).toEqual(['form', 'hello']);
    expect(pageErrors).toEqual([]);
  });

  e2e('the export holds the notes, a reload shows them, and the texts speak Chinese', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId('export').click()]);
    const exported = JSON.parse(await fs.readFile((await download.path())!, 'utf8'));
    expect(exported.notes.map((n: SavedNote) => n.id)).toEqual(['note-1', 'note-2', 'note-3']);
    expect(exported.notes[0]).toMatchObject({ color: 'blue' });
    // The export imports as a new journey with its notes.
    const imported = await api('POST', '/api/v1/journeys', { ...exported, name: 'Notes journey (imported)' });
    expect(imported.status).toBe(201);
    expect(imported.body.notes).toEqual(exported.notes);

    await page.reload();
    await byTestId('note-body-note-2').waitFor();
    expect(await byTestId('note-note-1').getAttribute('data-color')).toBe('blue');
    await byTestId('language').selectOption('zh-CN');
    await expect.poll(() => byTestId('add-note').textContent()).toContain('添加便签');
    // The menu's note lies away from the steps: nothing covers it.
    await byTestId('note-body-note-3').click({ position: { x: 10, y: 10 } });
    expect(await byTestId('note-color-note-3-green').getAttribute('title')).toBe('绿色');
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });
});
