/**
 * Building a journey in headless Chromium against a real stack: the next step from a port's "+" or from a
 * connection let go on empty canvas (the node picker), a refused second connection from a taken port said in words,
 * a first palette drop that stays where it was dropped, Enter in the palette never stacking nodes, the keyboard way
 * to add a connected step, forms showing the engine's defaults, problems named by node and field, in English and
 * Chinese. One browser and one page for the whole file (2-core CI).
 */
import fs from 'node:fs/promises';
import { describe, expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { signInToEditor } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { editorApi, useEditorSession } from './helpers/session';

const JOURNEY = {
  name: 'Building journey',
  nodes: [{ id: 'form', type: 'trigger.form-submitted', version: 1, config: {}, position: { x: 40, y: 80 } }],
  edges: [],
};

interface SavedEdge { from: string; port: string; to: string }
interface SavedNode { id: string; type: string; position: { x: number; y: number }; config: Record<string, unknown> }
type Box = { x: number; y: number; width: number; height: number };

describe('building journeys in Chromium', () => {
  let page: Page;
  let base: string;
  let token: string;
  let pageErrors: string[];
  let journeyId: string;
  const { e2e } = useEditorSession({ onOpen: (s) => ({ base, token, page, pageErrors } = s) });
  const byTestId = (id: string) => page.getByTestId(id);
  const api = (method: string, url: string, body?: unknown) => editorApi(base, token, method, url, body);
  const savedJourney = async (): Promise<{ nodes: SavedNode[]; edges: SavedEdge[] }> => (await api('GET', `/api/v1/journeys/${journeyId}`)).body;
  const saved = () => expect.poll(() => byTestId('save-state').textContent()).toBe('Saved');
  const box = async (l: Locator): Promise<Box> => (await l.boundingBox())!;
  const centre = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
  /** Drags a connection from a handle to a screen point, step by step as a hand would. */
  const dragConnection = async (from: Locator, to: { x: number; y: number }) => {
    const a = centre(await box(from));
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + to.x) / 2, (a.y + to.y) / 2, { steps: 6 });
    await page.mouse.move(to.x, to.y, { steps: 6 });
    await page.mouse.up();
  };
  const overlap = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.abs(a.x - b.x) < 240 && Math.abs(a.y - b.y) < 110;
  const openJourney = async (doc: unknown) => {
    const created = await api('POST', '/api/v1/journeys', doc);
    expect(created.status).toBe(201);
    journeyId = created.body.id;
    await page.goto(`${base}/#/journeys/${encodeURIComponent(journeyId)}`);
  };

  e2e('the "+" on a port opens the node picker; the picked step is added connected from that port', async () => {
    await signInToEditor(page, base, pageErrors);
    await openJourney(JOURNEY);
    await byTestId('node-form').waitFor();

    await byTestId('add-after-form-next').click();
    await byTestId('node-picker').waitFor();
    // Nothing leads into a trigger: the picker offers none.
    expect(await page.locator('[data-testid^="node-picker-item-trigger."]').count()).toBe(0);
    await byTestId('node-picker-search').fill('ticket');
    await byTestId('node-picker-item-response.ticket').click();
    await byTestId('node-ticket-1').waitFor();
    await byTestId('node-picker').waitFor({ state: 'detached' });
    // Right of the node it follows, and the used port offers no "+" any more.
    expect((await box(byTestId('node-ticket-1'))).x).toBeGreaterThan((await box(byTestId('node-form'))).x + 200);
    await byTestId('add-after-form-next').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);

    await saved();
    expect((await savedJourney()).edges).toEqual([{ from: 'form', port: 'next', to: 'ticket-1' }]);
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId('export').click()]);
    const exported = JSON.parse(await fs.readFile((await download.path())!, 'utf8'));
    expect(exported.edges).toEqual([{ from: 'form', port: 'next', to: 'ticket-1' }]);
    expect(exported.nodes.map((n: SavedNode) => [n.id, n.type])).toEqual([['form', 'trigger.form-submitted'], ['ticket-1', 'response.ticket']]);
    await screenshot(page, '90-picker-from-plus');
    expect(pageErrors).toEqual([]);
  });

  e2e('the form shows the engine\'s defaults; problems name the node and the field, the badge each field once', async () => {
    // The new step is selected: its form is open.
    await expect.poll(() => byTestId('config-panel').getAttribute('data-node-id')).toBe('ticket-1');
    const panel = byTestId('config-panel');
    const priority = panel.locator('select[id$="_priority"]');
    await priority.waitFor();
    expect(await priority.evaluate((el: HTMLSelectElement) => el.options[el.selectedIndex]?.text)).toBe('Normal');
    expect(await panel.locator('textarea[id$="_description"]').inputValue()).toBe('{{event.text}}');

    await byTestId('node-error-ticket-1').waitFor();
    await expect.poll(() => page.locator('[data-testid="problem-ticket-1"]').allTextContents()).toContain('⛔Create ticket › Assignee is required');
    const problems = await page.locator('[data-testid="problem-ticket-1"]').allTextContents();
    expect(problems.every((p) => p.startsWith('⛔Create ticket › '))).toBe(true);
    expect(problems.some((p) => p.includes('/config') || p.includes('ticket-1'))).toBe(false);

    const lines = (await byTestId('node-error-ticket-1').getAttribute('title'))!.split('\n');
    expect(lines).toContain('Assignee is required');
    expect(new Set(lines).size).toBe(lines.length);
    for (const l of lines) {
      expect(l).not.toContain('Create ticket');
      expect(l.match(/is required/g)?.length ?? 0).toBeLessThanOrEqual(1);
    }
    expect(lines.filter((l) => l.includes('Assignee')).length).toBe(1);
    expect(Number(await byTestId('node-error-ticket-1').textContent())).toBe(lines.length);
    await screenshot(page, '91-form-defaults-problems');
    expect(pageErrors).toEqual([]);
  });

  e2e('in Chinese the problems and the choices of a list are Chinese', async () => {
    await byTestId('language').selectOption('zh-CN');
    await expect.poll(() => page.locator('[data-testid="problem-ticket-1"]').allTextContents()).toContain('⛔创建工单 › 处理人为必填项');
    const priority = byTestId('config-panel').locator('select[id$="_priority"]');
    await expect.poll(() => priority.evaluate((el: HTMLSelectElement) => el.options[el.selectedIndex]?.text)).toBe('普通');
    expect(await priority.evaluate((el: HTMLSelectElement) => [...el.options].map((o) => o.text).filter(Boolean))).toEqual(['低', '普通', '高', '紧急']);
    expect(await byTestId('node-error-ticket-1').getAttribute('title')).toContain('处理人为必填项');
    expect(await byTestId('config-panel').textContent()).toContain('为必填项');
    expect(await byTestId('config-panel').textContent()).not.toContain('is required');
    await screenshot(page, '92-problems-zh-CN');
    await byTestId('language').selectOption('en');
    await expect.poll(() => byTestId('palette').locator('h2').textContent()).toBe('Nodes');
  });

  e2e('a connection let go on empty canvas opens the picker there; the step lands near the drop, connected', async () => {
    await byTestId('fit').click();
    await page.waitForTimeout(400);
    const canvas = await box(byTestId('canvas'));
    const ticket = await box(byTestId('node-ticket-1'));
    // Below the steps, clear of the minimap and the zoom controls.
    const drop = { x: canvas.x + canvas.width / 2, y: Math.min(ticket.y + ticket.height + 170, canvas.y + canvas.height - 60) };
    await dragConnection(byTestId('handle-ticket-1-created'), drop);
    await byTestId('node-picker').waitFor();
    const picker = await box(byTestId('node-picker'));
    expect(Math.abs(picker.x - drop.x)).toBeLessThan(300);
    await byTestId('node-picker-search').fill('wait');
    await byTestId('node-picker-item-flow.wait').click();
    await byTestId('node-wait-1').waitFor();
    const wait = await box(byTestId('node-wait-1'));
    expect(Math.abs(wait.x - drop.x)).toBeLessThan(60);
    expect(Math.abs(wait.y - drop.y)).toBeLessThan(80);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await saved();
    expect((await savedJourney()).edges).toEqual([{ from: 'form', port: 'next', to: 'ticket-1' }, { from: 'ticket-1', port: 'created', to: 'wait-1' }]);
    await screenshot(page, '93-picker-from-drop');
    expect(pageErrors).toEqual([]);
  });

  e2e('a second connection from a taken port is refused in words and not made', async () => {
    // Onto another step's input…
    await dragConnection(byTestId('handle-form-next'), centre(await box(byTestId('handle-wait-1-in'))));
    await expect.poll(() => byTestId('canvas-message').textContent()).toContain('The port “next” already leads to a step');
    expect(await byTestId('canvas-message').getAttribute('role')).toBe('alert');
    await screenshot(page, '94-port-taken');
    await byTestId('canvas-message').locator('button').click();
    await byTestId('canvas-message').waitFor({ state: 'detached' });
    // …and onto empty canvas: no picker for a taken port, the same words.
    const canvas = await box(byTestId('canvas'));
    await dragConnection(byTestId('handle-form-next'), { x: canvas.x + 80, y: canvas.y + canvas.height - 200 });
    await expect.poll(() => byTestId('canvas-message').textContent()).toContain('one port, one next step');
    expect(await byTestId('node-picker').count()).toBe(0);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await saved();
    expect((await savedJourney()).edges).toEqual([{ from: 'form', port: 'next', to: 'ticket-1' }, { from: 'ticket-1', port: 'created', to: 'wait-1' }]);
    expect(pageErrors).toEqual([]);
  });

  e2e('the first node dragged from the palette lands where it was dropped, not in the middle', async () => {
    await openJourney({ name: 'Empty journey', nodes: [], edges: [] });
    await byTestId('canvas-empty').waitFor();
    const canvas = await box(byTestId('canvas'));
    const drop = { x: 200, y: 120 };
    await byTestId('palette-item-trigger.event').dragTo(byTestId('canvas'), { targetPosition: drop });
    await byTestId('node-event-1').waitFor();
    const node = await box(byTestId('node-event-1'));
    // The card is held by its top-left part (110 px in, 30 px down), as the drop handler places it.
    expect(Math.abs(node.x - (canvas.x + drop.x - 110))).toBeLessThan(20);
    expect(Math.abs(node.y - (canvas.y + drop.y - 30))).toBeLessThan(20);
    expect(Math.abs(node.x + node.width / 2 - (canvas.x + canvas.width / 2))).toBeGreaterThan(150);
    await saved();
    const [event] = (await savedJourney()).nodes;
    expect(Math.abs(event.position.x - (drop.x - 110))).toBeLessThan(6);
    expect(Math.abs(event.position.y - (drop.y - 30))).toBeLessThan(6);
    await screenshot(page, '95-first-drop');
    expect(pageErrors).toEqual([]);
  });

  e2e('Enter in the palette search adds the first match, never on top of another node', async () => {
    await byTestId('palette-search').fill('reply');
    await byTestId('palette-search').press('Enter');
    await byTestId('node-reply-1').waitFor();
    await byTestId('palette-search').press('Enter');
    await byTestId('node-reply-2').waitFor();
    await byTestId('palette-search').fill('');
    // A focused palette item adds on Enter too.
    await byTestId('palette-item-flow.wait').focus();
    await page.keyboard.press('Enter');
    await byTestId('node-wait-1').waitFor();
    await saved();
    const nodes = (await savedJourney()).nodes;
    expect(nodes.map((n) => n.id)).toEqual(['event-1', 'reply-1', 'reply-2', 'wait-1']);
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) expect(overlap(nodes[i].position, nodes[j].position), `${nodes[i].id} on ${nodes[j].id}`).toBe(false);
    }
    const boxes = await Promise.all(['reply-1', 'reply-2'].map((id) => box(byTestId(`node-${id}`))));
    expect(boxes[0].x !== boxes[1].x || boxes[0].y !== boxes[1].y).toBe(true);
    await screenshot(page, '96-palette-enter');
    expect(pageErrors).toEqual([]);
  });

  e2e('the keyboard adds a connected next step or connects one on the canvas: Tab to a port\'s "+", Enter, type, Enter', async () => {
    await byTestId('add-after-event-1-next').focus();
    await page.keyboard.press('Enter');
    await byTestId('node-picker').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('node-picker-search');
    await page.keyboard.type('ticket');
    await expect.poll(() => page.locator('[data-testid^="node-picker-item-"][aria-selected="true"]').getAttribute('data-testid')).toBe('node-picker-item-response.ticket');
    await page.keyboard.press('Enter');
    await byTestId('node-ticket-1').waitFor();
    await byTestId('node-picker').waitFor({ state: 'detached' });
    await saved();
    const doc = await savedJourney();
    expect(doc.edges).toEqual([{ from: 'event-1', port: 'next', to: 'ticket-1' }]);
    const ticket = doc.nodes.find((n) => n.id === 'ticket-1')!;
    for (const n of doc.nodes) if (n.id !== 'ticket-1') expect(overlap(n.position, ticket.position), `ticket-1 on ${n.id}`).toBe(false);
    // Escape closes the picker without adding anything.
    await byTestId('add-after-ticket-1-created').focus();
    await page.keyboard.press('Enter');
    await byTestId('node-picker').waitFor();
    await page.keyboard.press('Escape');
    await byTestId('node-picker').waitFor({ state: 'detached' });
    expect((await savedJourney()).nodes).toHaveLength(doc.nodes.length);

    // Two steps already on the canvas: the picker lists them too, so the keyboard connects them.
    await byTestId('palette-search').fill('wait for');
    await byTestId('palette-search').press('Enter');
    await byTestId('node-wait-1').waitFor();
    await saved();
    const before = await savedJourney();
    await byTestId('add-after-ticket-1-created').focus();
    await page.keyboard.press('Enter');
    await byTestId('node-picker').waitFor();
    await page.keyboard.type('wait-1');
    await expect.poll(() => page.locator('[data-testid^="node-picker-"][aria-selected="true"]').getAttribute('data-testid')).toBe('node-picker-step-wait-1');
    await page.keyboard.press('Enter');
    await byTestId('node-picker').waitFor({ state: 'detached' });
    await saved();
    const after = await savedJourney();
    expect(after.nodes).toHaveLength(before.nodes.length);
    expect(after.edges).toEqual(expect.arrayContaining([{ from: 'ticket-1', port: 'created', to: 'wait-1' }]));
    expect(after.edges).toHaveLength(before.edges.length + 1);
    expect(pageErrors).toEqual([]);
  });
});
