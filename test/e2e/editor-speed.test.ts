/**
 * How the editor is delivered and how it holds up at 300 nodes, in Chromium against a real stack: a small first
 * script (pages load with their route), hashed assets served precompressed and cached for good, index.html
 * revalidated, no source map; a 300-node journey fits the view whole, at open and on "Zoom to fit"; the toolbar
 * keeps one line at 1440 px whatever the save state says. Timings (typing, panning, open) are measured by
 * `npm run bench:editor`, not asserted here.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestStack } from '../helpers/stack';
import { bigJourney } from '../helpers/big-journey';
import { signInToEditor } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { closeEditorSession, openEditorSession, reportFailure } from './helpers/session';

const KiB = 1024;

describe('editor speed and assets in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let base: string;
  let token: string;
  let pageErrors: string[];
  let setupError: unknown;

  beforeAll(async () => {
    const s = await openEditorSession();
    if ('error' in s) { setupError = s.error; return; }
    ({ browser, stack, base, token, page, pageErrors } = s);
  });
  afterAll(() => closeEditorSession({ browser, stack }));
  afterEach((ctx) => reportFailure(ctx, { page, pageErrors }));

  const e2e = (name: string, fn: () => Promise<void>) => it(name, async () => {
    if (setupError) throw setupError;
    await fn();
  });
  const byTestId = (id: string) => page.getByTestId(id);

  async function signIn() {
    await signInToEditor(page, base, pageErrors);
  }

  e2e('serves a small first script, the rest by route, precompressed, cached for good when hashed, never a source map', async () => {
    const index = await fetch(`${base}/`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const first = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="(?:modulepreload|stylesheet)"[^>]+href="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(first.length).toBeGreaterThan(0);
    let gzipTotal = 0;
    for (const url of first) {
      expect(url).toMatch(/^\/assets\/[^/]+-[\w-]{8}\.(js|css)$/);
      const br = await fetch(`${base}${url}`, { headers: { 'accept-encoding': 'br' } });
      expect(br.status).toBe(200);
      expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(br.headers.get('content-type')).toMatch(url.endsWith('.js') ? /javascript/ : /css/);
      // A precompressed file (the build wrote .br/.gz), unless it is too small to be worth it.
      const raw = await (await fetch(`${base}${url}`, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer();
      if (raw.byteLength > 1024) expect(br.headers.get('content-encoding')).toBe('br');
      const gz = await fetch(`${base}${url}`, { headers: { 'accept-encoding': 'gzip' } });
      if (raw.byteLength > 1024) expect(gz.headers.get('content-encoding')).toBe('gzip');
      if (url.endsWith('.js')) gzipTotal += Number(gz.headers.get('content-length') ?? raw.byteLength);
      await br.arrayBuffer(); await gz.arrayBuffer();
      // No source map: neither referenced nor served.
      expect(new TextDecoder().decode(raw)).not.toMatch(/sourceMappingURL=/);
      const map = await fetch(`${base}${url}.map`);
      expect(map.status).toBe(404);
      expect(map.headers.get('content-type')).toMatch(/json/);
      await map.arrayBuffer();
    }
    expect(gzipTotal).toBeLessThanOrEqual(250 * KiB);
    // Client routes still fall back to the (revalidated) index page; an unknown asset is a 404, not the page.
    const route = await fetch(`${base}/journeys/x`);
    expect(route.headers.get('cache-control')).toBe('no-cache');
    expect(await route.text()).toContain('<div id="root">');
    expect((await fetch(`${base}/assets/nope-12345678.js`)).status).toBe(404);

    // In the browser: the sign-in page loads the first script only, not the editor's code.
    await page.goto(base);
    await byTestId('sign-in-email').waitFor();
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.js')));
    expect(scripts.some((p) => /JourneyEditorPage|rjsf|TemplatesPage|UsersPage|AuditPage/.test(p))).toBe(false);
  });

  e2e('opens a 300-node journey fitted whole, and "Zoom to fit" shows all 300 nodes after moving away', async () => {
    await signIn();
    const res = await fetch(`${base}/api/v1/journeys`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(bigJourney(300)) });
    expect(res.status).toBe(201);
    const { id } = await res.json() as { id: string };
    await page.goto(`${base}/#/journeys/${encodeURIComponent(id)}`);
    await expect.poll(() => page.locator('.react-flow__node').count(), { timeout: 30_000 }).toBe(300);
    const inside = () => page.evaluate(() => {
      const c = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
      return [...document.querySelectorAll('.react-flow__node')].filter((n) => {
        const b = n.getBoundingClientRect();
        return b.width > 0 && b.left >= c.left - 1 && b.right <= c.right + 1 && b.top >= c.top - 1 && b.bottom <= c.bottom + 1;
      }).length;
    });
    await expect.poll(inside).toBe(300);
    // Zoom in on one corner, then fit again.
    await page.getByRole('button', { name: /zoom in/i }).click();
    await page.getByRole('button', { name: /zoom in/i }).click();
    await page.getByRole('button', { name: /zoom in/i }).click();
    await expect.poll(inside).toBeLessThan(300);
    await byTestId('fit').click();
    await expect.poll(inside).toBe(300);
    await screenshot(page, '20-300-nodes-fitted');
    // Typing in one node's form changes that node only; the journey saves.
    await page.locator('[data-id="n152"]').click();
    await expect.poll(() => byTestId('config-panel').getAttribute('data-node-id')).toBe('n152');
    const title = page.locator('[data-testid="config-panel"] textarea').first();
    await title.fill('Call back {{contact.profile.name}}');
    await expect.poll(() => byTestId('save-state').textContent(), { timeout: 20_000 }).toBe('Saved');
    const saved = await (await fetch(`${base}/api/v1/journeys/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } })).json() as { nodes: { id: string; config: Record<string, unknown> }[] };
    expect(saved.nodes.find((n) => n.id === 'n152')!.config.title).toBe('Call back {{contact.profile.name}}');
    expect(saved.nodes.find((n) => n.id === 'n147')!.config.title).toBe('Help for {{contact.profile.name}}');
    expect(pageErrors).toEqual([]);
  });

  e2e('keeps the toolbar on one line at 1440 px, in both languages, while "Unsaved changes" comes and goes', async () => {
    await page.goto(`${base}/#/`);
    await byTestId('new-journey').click();
    await byTestId('canvas-empty').waitFor();
    for (const lang of ['en', 'zh-CN'] as const) {
      await byTestId('language').selectOption(lang);
      const layout = () => page.evaluate(() => {
        const bar = document.querySelector('.editor > .toolbar')!.getBoundingClientRect();
        const publish = document.querySelector('[data-testid="publish"]')!.getBoundingClientRect();
        const undo = document.querySelector('[data-testid="undo"]')!.getBoundingClientRect();
        return { height: Math.round(bar.height), publishX: Math.round(publish.x), undoX: Math.round(undo.x), right: Math.round(publish.right), width: window.innerWidth };
      });
      await expect.poll(() => byTestId('save-state').textContent()).toBe(lang === 'en' ? 'Saved' : '已保存');
      const saved = await layout();
      // A change that stays unsaved for a moment: the label changes, nothing moves.
      await byTestId('journey-name').fill(`Toolbar ${lang}`);
      await expect.poll(() => byTestId('save-state').getAttribute('class')).toMatch(/save-(dirty|saving)/);
      const dirty = await layout();
      expect(dirty).toEqual(saved);
      expect(saved.height).toBeLessThan(56); // one line of buttons
      expect(saved.right).toBeLessThanOrEqual(saved.width);
      await screenshot(page, `21-toolbar-unsaved-${lang}`);
      await expect.poll(() => byTestId('save-state').textContent(), { timeout: 20_000 }).toBe(lang === 'en' ? 'Saved' : '已保存');
      expect(await layout()).toEqual(saved);
    }
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });
});
