/**
 * One real stack, one signed-in editor user and one Chromium page for a whole e2e file (2-core CI), plus the
 * failure report each file wants. A missing Chromium is returned, not thrown: the file's tests then FAIL with the
 * install hint instead of being skipped by a throwing beforeAll.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, it, type TestContext } from 'vitest';
import { startStack, type TestStack } from '../../helpers/stack';
import { createEditorUser } from './auth';
import { collectPageErrors, launchChromium, screenshot } from './browser';
import { ensureEditorBuilt } from './editor-build';

export const UI_TIMEOUT = 20_000;

export interface EditorSession {
  browser: Browser;
  stack: TestStack;
  base: string;
  token: string;
  page: Page;
  pageErrors: string[];
}

export async function openEditorSession(opts: { clipboard?: boolean } = {}): Promise<EditorSession | { error: unknown }> {
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    return { error };
  }
  await ensureEditorBuilt();
  const stack = await startStack();
  const base = await stack.app.listen({ port: 0, host: '127.0.0.1' });
  const token = await createEditorUser(stack, base);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  if (opts.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  return { browser, stack, base, token, page, pageErrors: collectPageErrors(page) };
}

export async function closeEditorSession(s: Partial<EditorSession>): Promise<void> {
  await s.browser?.close();
  await s.stack?.close();
}

/** After a failed test: the page's own errors on stderr and a screenshot of where it stood. */
export async function reportFailure(ctx: TestContext, s: Partial<EditorSession>): Promise<void> {
  if (ctx.task.result?.state !== 'fail') return;
  if (s.pageErrors?.length) console.error(`[page errors]\n${s.pageErrors.join('\n')}`);
  if (s.page) await screenshot(s.page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
}

/**
 * The whole per-file lifecycle: opens the session before the file's tests, reports failures, closes it after.
 * `onOpen` receives the open session (a file keeps its parts: page, base, token…); `e2e` is an `it` that fails with
 * the setup error instead of running against a missing browser.
 */
export function useEditorSession(opts: { clipboard?: boolean; onOpen?: (s: EditorSession) => unknown; afterClose?: () => Promise<unknown> } = {}) {
  let session: EditorSession | undefined;
  let setupError: unknown;
  beforeAll(async () => {
    const s = await openEditorSession(opts);
    if ('error' in s) setupError = s.error;
    else {
      session = s;
      await opts.onOpen?.(s);
    }
  });
  afterAll(async () => {
    await closeEditorSession(session ?? {});
    await opts.afterClose?.();
  });
  afterEach((ctx) => reportFailure(ctx, session ?? {}));
  return {
    get session(): EditorSession {
      if (!session) throw setupError ?? new Error('the editor session is not open');
      return session;
    },
    e2e: (name: string, fn: () => Promise<void>) => it(name, async () => {
      if (setupError) throw setupError;
      await fn();
    }),
  };
}

/** The API as the signed-in editor's user calls it (JSON in and out), for a test's setup and checks. */
export async function editorApi(base: string, token: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
