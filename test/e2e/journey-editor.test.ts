/**
 * The editor end to end in headless Chromium against a real stack (API + Temporal worker + FerretDB): build a
 * journey from the palette, configure it, fix a validation error, publish, watch live counts, switch language,
 * and test-run a journey with a fast-forwarded wait. One browser and one page for the whole file (2-core CI).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { mention } from '../helpers/api';
import type { TestStack } from '../helpers/stack';
import { E2E_USER } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { closeEditorSession, openEditorSession, reportFailure, UI_TIMEOUT } from './helpers/session';


describe('journey editor in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let base: string;
  let pageErrors: string[];
  let journeyId: string;
  let token: string;

  let setupError: unknown;

  beforeAll(async () => {
    const s = await openEditorSession({ clipboard: false });
    if ('error' in s) {
      setupError = s.error;
      return;
    }
    ({ browser, stack, base, token, page, pageErrors } = s);
  });

  afterAll(() => closeEditorSession({ browser, stack }));

  afterEach((ctx) => reportFailure(ctx, { page, pageErrors }));

  /** An `it` that fails with the setup error instead of running against a missing browser. */
  const e2e = (name: string, fn: () => Promise<void>) => it(name, async () => {
    if (setupError) throw setupError;
    await fn();
  });

  const byTestId = (id: string) => page.getByTestId(id);

  async function dragFromPalette(type: string, x: number, y: number) {
    const canvas = await byTestId('canvas').boundingBox();
    await byTestId(`palette-item-${type}`).dragTo(byTestId('canvas'), { targetPosition: { x, y } });
    expect(canvas).not.toBeNull();
  }

  async function connect(from: Locator, to: Locator) {
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await page.mouse.up();
  }

  async function apiGet(url: string) {
    const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
    return res.json();
  }

  async function apiPost(url: string, body: unknown) {
    const res = await fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  }

  e2e('builds a journey by dragging and connecting, catches a missing message on the node and the field, and publishes', async () => {
    await page.goto(base);
    // No session yet: the editor asks to sign in, and a wrong password is explained, not swallowed.
    await byTestId('sign-in-email').fill(E2E_USER.email);
    await byTestId('sign-in-password').fill('wrong-password');
    await byTestId('sign-in-submit').click();
    await expect.poll(() => byTestId('sign-in-error').textContent()).toContain('email or password is wrong');
    await screenshot(page, '00-sign-in-error');
    await byTestId('sign-in-password').fill(E2E_USER.password);
    await byTestId('sign-in-submit').click();
    await byTestId('list-empty').waitFor();
    pageErrors.length = 0; // the 401s before signing in were expected
    await screenshot(page, '01-journey-list-empty');
    await byTestId('new-journey').click();
    await byTestId('canvas-empty').waitFor();

    await dragFromPalette('trigger.event', 120, 160);
    await byTestId('node-event-1').waitFor();
    await byTestId('tags-eventTypes-input').fill('social.mention');
    await byTestId('tags-eventTypes-input').press('Enter');
    await expect.poll(() => byTestId('node-summary-event-1').textContent()).toContain('social.mention');

    await dragFromPalette('filter.condition', 430, 160);
    await byTestId('node-condition-1').waitFor();
    await byTestId('rules-conditions-enable').click();
    await byTestId('rules-conditions-0-0-value').fill('help');

    // The palette search narrows the list; the match is then dragged like any other item.
    const allItems = await page.locator('[data-testid^="palette-item-"]').count();
    await byTestId('palette-search').fill('reply');
    await expect.poll(() => page.locator('[data-testid^="palette-item-"]').count()).toBeLessThan(allItems);
    expect(await byTestId('palette-item-trigger.event').count()).toBe(0);
    await dragFromPalette('response.reply', 760, 160);
    await byTestId('node-reply-1').waitFor();
    await byTestId('palette-search').fill('');

    await connect(byTestId('handle-event-1-next'), byTestId('handle-condition-1-in'));
    await connect(byTestId('handle-condition-1-yes'), byTestId('handle-reply-1-in'));
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);

    // The reply has no message yet: an error badge on the node, a problem in the list, publish disabled.
    await byTestId('node-error-reply-1').waitFor();
    expect(await byTestId('publish').isDisabled()).toBe(true);
    await byTestId('node-event-1').click();
    await byTestId('problem-reply-1').click();
    await expect.poll(() => byTestId('config-panel').getAttribute('data-node-id')).toBe('reply-1');
    await expect.poll(() => byTestId('config-panel').textContent()).toContain('is required');
    await screenshot(page, '02-validation-error');

    const message = page.locator('[data-testid^="template-"][data-testid$="_message"]').first();
    await message.fill('Hi ');
    await page.locator('[data-testid^="template-"][data-testid$="_message-insert"]').selectOption('contact.profile.name');
    // A contact field comes with its fallback selected: typing replaces it (a message without one is not sent).
    await expect.poll(() => message.inputValue()).toBe('Hi {{contact.profile.name | "there"}}');
    await page.keyboard.type('friend');
    await expect.poll(() => message.inputValue()).toBe('Hi {{contact.profile.name | "friend"}}');
    await byTestId('node-error-reply-1').waitFor({ state: 'detached' });
    await byTestId('problems-none').waitFor();

    // Copy/paste and undo on the canvas keyboard.
    await byTestId('node-reply-1').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await byTestId('node-reply-2').waitFor();
    await page.keyboard.press('Control+z');
    await byTestId('node-reply-2').waitFor({ state: 'detached' });

    await expect.poll(() => byTestId('save-state').textContent(), { timeout: UI_TIMEOUT }).toBe('Saved');
    journeyId = decodeURIComponent(new URL(page.url()).hash.replace('#/journeys/', ''));
    const saved = await apiGet(`/api/v1/journeys/${journeyId}`);
    expect(saved.edges).toEqual([{ from: 'event-1', port: 'next', to: 'condition-1' }, { from: 'condition-1', port: 'yes', to: 'reply-1' }]);
    expect(saved.nodes.find((n: { id: string }) => n.id === 'reply-1').config).toEqual({ mode: 'reply', message: 'Hi {{contact.profile.name | "friend"}}' });
    // Auto-layout puts the trigger left and each next step to its right.
    await byTestId('auto-layout').click();
    await expect.poll(async () => {
      const [a, b, c] = await Promise.all(['event-1', 'condition-1', 'reply-1'].map(async (id) => (await byTestId(`node-${id}`).boundingBox())!.x));
      return a < b && b < c;
    }).toBe(true);
    await expect.poll(() => byTestId('save-state').textContent(), { timeout: UI_TIMEOUT }).toBe('Saved');
    await screenshot(page, '03-journey-built');

    expect(await byTestId('publish').isDisabled()).toBe(false);
    await byTestId('publish').click();
    await byTestId('publish-note').fill('First version: answer help requests');
    await byTestId('publish-confirm').click();
    await expect.poll(() => byTestId('notice').textContent()).toContain('Version 1 is live');
    await byTestId('toggle-versions').click();
    await expect.poll(() => byTestId('version-1').textContent()).toContain('First version: answer help requests');
    await byTestId('toggle-versions').click();
    expect(pageErrors).toEqual([]);
  });

  e2e('shows live counts on the canvas when an event comes in through the API', async () => {
    expect(await byTestId('analytics-version').inputValue()).toBe('1');
    const posted = await apiPost('/api/v1/events', mention('@lily', 'help, my order is late'));
    expect(posted.status).toBe(200);
    expect(posted.body.enrolled).toHaveLength(1);
    await expect.poll(async () => byTestId('node-stats-reply-1').textContent().catch(() => ''), { timeout: 30_000 }).toContain('✓ 1');
    expect(await byTestId('node-stats-event-1').textContent()).toContain('▶ 1');
    // Per-edge conversion: everything that entered the condition left by "yes".
    await expect.poll(() => page.locator('.react-flow__edge-text').allTextContents()).toContain('1 · 100%');
    // A contact's trace: the path @lily took lights up on the canvas.
    await byTestId('trace-identity').fill('weibo:@lily');
    await byTestId('trace-find').click();
    await byTestId('node-run-reply-1').waitFor();
    expect(await byTestId('node-run-steps-condition-1').textContent()).toContain('yes');
    await screenshot(page, '04-live-counts');
    expect(pageErrors).toEqual([]);
  });

  e2e('switches to Chinese and remembers it after a reload', async () => {
    await byTestId('language').selectOption('zh-CN');
    await expect.poll(() => byTestId('palette').locator('h2').textContent()).toBe('节点库');
    await page.reload();
    await expect.poll(() => byTestId('palette').locator('h2').textContent()).toBe('节点库');
    expect(await byTestId('node-reply-1').textContent()).toContain('渠道回复');
    await byTestId('node-reply-1').click();
    await expect.poll(() => byTestId('config-panel').textContent()).toContain('消息内容');
    await screenshot(page, '05-zh-CN');
    await byTestId('language').selectOption('en');
    await expect.poll(() => byTestId('palette').locator('h2').textContent()).toBe('Nodes');
  });

  e2e('test-runs a draft with a three-day wait: the path lights up and the wait is fast-forwarded', async () => {
    const created = await apiPost('/api/v1/journeys', {
      name: 'Drip test',
      nodes: [
        { id: 'form', type: 'trigger.event', version: 1, config: { eventTypes: ['form.submitted'] }, position: { x: 40, y: 80 } },
        { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 3, unit: 'days' } }, position: { x: 340, y: 80 } },
        { id: 'hello', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Still interested?' }, position: { x: 640, y: 80 } },
      ],
      edges: [{ from: 'form', port: 'next', to: 'wait' }, { from: 'wait', port: 'next', to: 'hello' }],
    });
    expect(created.status).toBe(201);
    await page.goto(`${base}/#/journeys/${encodeURIComponent(created.body.id)}`);
    await byTestId('node-wait').waitFor();
    await byTestId('toggle-test-run').click();
    expect(await byTestId('test-event-type').inputValue()).toBe('form.submitted');
    await byTestId('test-start').click();
    await byTestId('test-fast-forward').waitFor({ timeout: 30_000 });
    await byTestId('node-run-wait').waitFor();
    await screenshot(page, '06-test-run-waiting');
    await byTestId('test-fast-forward').click();
    await expect.poll(() => byTestId('test-run-status').textContent(), { timeout: 30_000 }).toContain('Status: completed');
    await byTestId('node-run-hello').waitFor();
    expect(await byTestId('test-step-hello').textContent()).toContain('dry-run');
    await screenshot(page, '07-test-run-done');
    expect(pageErrors).toEqual([]);
  });
});
