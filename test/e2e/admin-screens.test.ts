/**
 * The admin and library screens in headless Chromium against a real stack: an admin creates a node template with a
 * locked field and publishes it, adds a marketer, creates an API token (secret shown once), uses a journey
 * template from the gallery and reads the audit log; the marketer then finds the template in the palette, drags it
 * onto a canvas and cannot edit the locked field. One browser and one page for the whole file (2-core CI).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestStack } from '../helpers/stack';
import { E2E_USER } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { closeEditorSession, openEditorSession, reportFailure, UI_TIMEOUT } from './helpers/session';

const MARKETER = { email: 'mia-marketer@example.com', password: 'marketer-pass-123' };
const LOCKED_MESSAGE = 'Thanks for reaching out! Our care team will DM you within the hour.';

describe('admin screens and template library in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let base: string;
  let pageErrors: string[];
  let token: string;
  let templateId: string;
  let setupError: unknown;

  beforeAll(async () => {
    const s = await openEditorSession({ clipboard: true });
    if ('error' in s) {
      setupError = s.error;
      return;
    }
    ({ browser, stack, base, token, page, pageErrors } = s);
  });

  afterAll(() => closeEditorSession({ browser, stack }));

  afterEach((ctx) => reportFailure(ctx, { page, pageErrors }));

  const e2e = (name: string, fn: () => Promise<void>) => it(name, async () => {
    if (setupError) throw setupError;
    await fn();
  });
  const byTestId = (id: string) => page.getByTestId(id);
  const api = async (method: string, url: string, body?: unknown, bearer = token) => {
    const res = await fetch(`${base}${url}`, {
      method, headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  async function signIn(user: { email: string; password: string }) {
    await byTestId('sign-in-email').fill(user.email);
    await byTestId('sign-in-password').fill(user.password);
    await byTestId('sign-in-submit').click();
    await byTestId('sign-in').waitFor({ state: 'detached' });
  }

  e2e('an admin creates a node template with a locked field, publishes it, and compares versions', async () => {
    await page.goto(base);
    await signIn(E2E_USER);
    await byTestId('journey-list').waitFor();
    pageErrors.length = 0; // the 401s before signing in were expected
    for (const s of ['journeys', 'templates', 'users', 'audit']) await byTestId(`nav-${s}`).waitFor();

    await byTestId('nav-templates').click();
    await byTestId('use-template-builtin:welcome-drip').waitFor();
    await screenshot(page, '10-template-library');
    await byTestId('new-node-template').click();
    await byTestId('template-name').fill('Brand care reply');
    await byTestId('template-description').fill('The approved answer to complaints');
    await byTestId('template-node-type').selectOption('response.reply@1');
    await byTestId('template-tpl_message').fill(LOCKED_MESSAGE);
    await byTestId('lock-toggle-message').click();
    expect(await byTestId('lock-toggle-message').getAttribute('aria-checked')).toBe('true');
    expect(await byTestId('lock-toggle-mode').getAttribute('aria-checked')).toBe('false');
    await byTestId('template-save').click();
    await expect.poll(() => page.url()).toMatch(/#\/templates\/node\/(?!new$)[^/]+$/);
    templateId = decodeURIComponent(page.url().split('#/templates/node/')[1]);
    await expect.poll(() => byTestId('template-version').textContent()).toBe('v1');
    await byTestId('template-publish').click();
    await expect.poll(() => byTestId('template-notice').textContent()).toContain('Version 1 is published');
    await byTestId('template-version-1').getByText('published', { exact: true }).waitFor();
    await screenshot(page, '11-node-template-locked-published');

    // An edit is a new, unpublished version; the diff names the field and shows the lock.
    await byTestId('template-name').fill('Brand care reply (DM)');
    await page.locator('#tpl_mode').selectOption({ label: 'Direct message' });
    await byTestId('template-save').click();
    await expect.poll(() => byTestId('template-version').textContent()).toBe('v2');
    expect(await byTestId('template-publish').isDisabled()).toBe(false);
    await byTestId('template-diff-1').click();
    await expect.poll(() => byTestId('diff-mode').textContent()).toContain('dm');
    expect(await byTestId('template-diff').textContent()).toContain('Brand care reply (DM)');
    await screenshot(page, '12-node-template-diff');

    // The API holds what the screen showed: v1 published with the lock, v2 waiting.
    const published = await api('GET', '/api/v1/node-templates?published=true');
    expect(published.body.templates).toEqual([expect.objectContaining({ id: templateId, version: 1, locked: ['message'], config: { mode: 'reply', message: LOCKED_MESSAGE } })]);
    expect(pageErrors).toEqual([]);
  });

  e2e('the admin adds a marketer and creates an API token whose secret is shown once', async () => {
    await byTestId('nav-users').click();
    await byTestId('users-table').waitFor();
    await byTestId('new-user-email').fill(MARKETER.email);
    await byTestId('new-user-name').fill('Mia Marketer');
    await byTestId('new-user-role').selectOption('marketer');
    await byTestId('new-user-password').fill(MARKETER.password);
    await byTestId('new-user-submit').click();
    await byTestId(`user-row-${MARKETER.email}`).waitFor();
    expect(await byTestId(`user-role-${MARKETER.email}`).inputValue()).toBe('marketer');
    // A readable error, not "[object Object]": the same email again.
    await byTestId('new-user-email').fill(MARKETER.email);
    await byTestId('new-user-password').fill(MARKETER.password);
    await byTestId('new-user-submit').click();
    await expect.poll(() => byTestId('users-error').textContent()).toMatch(/exists/i);
    expect(pageErrors.splice(0)).toEqual([expect.stringContaining('409')]); // the browser logs the expected 409

    await byTestId('token-name').fill('CI pipeline');
    await byTestId('token-role').selectOption('developer');
    await byTestId('token-create').click();
    await byTestId('token-created').waitFor();
    const secret = await byTestId('token-secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    expect(await byTestId('token-warning').textContent()).toContain('shown only this once');
    await byTestId('token-copy').click();
    await expect.poll(() => byTestId('token-copy').textContent()).toContain('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(page, '13-token-secret-once');
    // The secret works, as the role it was given.
    const me = await api('GET', '/api/v1/auth/me', undefined, secret);
    expect(me.body).toMatchObject({ kind: 'token', role: 'developer' });

    await byTestId('token-secret-done').click();
    await byTestId('token-created').waitFor({ state: 'detached' });
    await byTestId('token-row-CI pipeline').waitFor();
    await page.reload();
    await byTestId('token-row-CI pipeline').waitFor();
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, '14-users-and-tokens');
    expect(pageErrors).toEqual([]);
  });

  e2e('a journey template from the gallery opens as a new draft; the admin saves a journey as a template', async () => {
    await byTestId('nav-templates').click();
    await byTestId('use-template-builtin:welcome-drip').click();
    await byTestId('editor').waitFor();
    await byTestId('node-welcome').waitFor();
    expect(await byTestId('journey-name').inputValue()).toBe('Welcome drip');
    const journeyId = decodeURIComponent(page.url().split('#/journeys/')[1]);
    expect((await api('GET', `/api/v1/journeys/${journeyId}`)).body).toMatchObject({ status: 'draft', name: 'Welcome drip' });
    await byTestId('journey-name').fill('Welcome drip (ours)');
    await byTestId('save-as-template').click();
    await expect.poll(() => byTestId('notice').textContent()).toContain('is now in the template gallery');
    await screenshot(page, '15-journey-from-template');
    expect((await api('GET', '/api/v1/journey-templates')).body.templates.map((t: { name: string }) => t.name)).toContain('Welcome drip (ours)');
    expect(pageErrors).toEqual([]);
  });

  e2e('in Chinese the gallery speaks Chinese, and a template\'s draft takes the name the marketer read', async () => {
    await page.goto(`${base}/#/templates`);
    await byTestId('templates-page').waitFor();
    await byTestId('language').selectOption('zh-CN');
    const card = byTestId('journey-template-builtin:post-purchase-review');
    await expect.poll(() => card.locator('h3').textContent()).toBe('购后邀评 ');
    expect(await card.locator('.card-text').textContent()).toContain('签收三天后邀请评价');
    // A workspace's own template keeps the words its author chose.
    expect(await byTestId('templates-page').textContent()).toContain('Welcome drip (ours)');
    await byTestId('use-template-builtin:post-purchase-review').click();
    await byTestId('editor').waitFor();
    expect(await byTestId('journey-name').inputValue()).toBe('购后邀评');
    await screenshot(page, '18-template-zh-CN');
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });

  e2e('the audit log lists those actions and filters by action', async () => {
    await page.goto(`${base}/#/audit`);
    await byTestId('audit-table').waitFor();
    const actions = await page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    for (const a of ['template.created', 'template.published', 'template.changed', 'user.created', 'token.created', 'journey_template.published']) expect(actions).toContain(a);
    expect(await page.locator('[data-testid="audit-row"][data-action="user.created"]').textContent()).toContain(MARKETER.email);
    await screenshot(page, '16-audit-log');
    await byTestId('audit-action').selectOption('token.created');
    await expect.poll(() => page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['token.created']);
    expect(await page.locator('[data-testid="audit-row"]').textContent()).toContain('CI pipeline');
    // Actions and targets read in words, in the reader's language, not as codes.
    const row = page.locator('[data-testid="audit-row"]').first();
    expect(await row.textContent()).toContain('API token created');
    expect(await row.textContent()).not.toContain('token.created');
    await byTestId('language').selectOption('zh-CN');
    await expect.poll(() => row.textContent()).toContain('创建 API 令牌');
    expect(await row.textContent()).toContain('令牌');
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });

  e2e('the marketer drags the published template onto a canvas and cannot edit its locked field', async () => {
    await byTestId('sign-out').click();
    await page.goto(`${base}/#/`);
    await signIn(MARKETER);
    await byTestId('journey-list').waitFor();
    pageErrors.length = 0;
    await byTestId('nav-templates').waitFor();
    expect(await byTestId('nav-users').count()).toBe(0);
    expect(await byTestId('nav-audit').count()).toBe(0);

    await byTestId('new-journey').click();
    await byTestId('canvas-empty').waitFor();
    expect(await byTestId('save-as-template').count()).toBe(0);
    const item = byTestId(`palette-template-${templateId}`);
    expect(await byTestId('palette-templates').textContent()).toContain('Brand care reply');
    await item.dragTo(byTestId('canvas'), { targetPosition: { x: 300, y: 200 } });
    await byTestId('node-reply-1').waitFor();
    await byTestId('node-template-info').waitFor();
    await expect.poll(() => byTestId('locked-value-message').textContent()).toBe(LOCKED_MESSAGE);
    expect(await byTestId('template-cfg-reply-1_message').count()).toBe(0); // no text box for a locked field
    expect(await byTestId('locked-field-message').locator('textarea, input').count()).toBe(0);
    await expect.poll(() => byTestId('save-state').textContent(), { timeout: UI_TIMEOUT }).toBe('Saved');
    await screenshot(page, '17-marketer-template-node-locked');

    const journeyId = decodeURIComponent(page.url().split('#/journeys/')[1]);
    const saved = await api('GET', `/api/v1/journeys/${journeyId}`);
    const node = saved.body.nodes.find((n: { id: string }) => n.id === 'reply-1');
    expect(node).toMatchObject({ type: 'response.reply', template: { id: templateId, version: 1 }, config: { mode: 'reply', message: LOCKED_MESSAGE }, label: 'Brand care reply' });
    // And the server holds the lock for any client.
    const forced = await api('PUT', `/api/v1/journeys/${journeyId}`, { ...saved.body, nodes: [{ ...node, config: { ...node.config, message: 'changed' } }], edges: [], revision: saved.body.revision, id: undefined, status: undefined, liveVersion: undefined, createdAt: undefined, updatedAt: undefined, issues: undefined });
    expect(forced.status).toBe(422);
    expect(pageErrors).toEqual([]);
  });
});
