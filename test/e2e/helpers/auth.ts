/** An admin of the stack's default workspace, made straight in the store, and a bearer token for API calls. */
import type { Page } from 'playwright-core';
import { createUser, ensureWorkspace } from '../../../core/store/users';
import type { TestStack } from '../../helpers/stack';

export const E2E_USER = { email: 'editor-e2e@example.com', password: 'correct-horse-battery' };

export async function createEditorUser(stack: TestStack, baseUrl: string): Promise<string> {
  await ensureWorkspace(stack.store, 'default');
  await createUser(stack.store, 'default', { email: E2E_USER.email, name: 'E2E Editor', role: 'admin', password: E2E_USER.password });
  const res = await fetch(`${baseUrl}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(E2E_USER) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * Opens the editor and signs in as the e2e user; waits for the journey list (or `readyTestId`). The 401s the
 * editor met before signing in were expected: the page's error log starts empty after.
 */
export async function signInToEditor(page: Page, base: string, pageErrors: string[], readyTestId = 'journey-list'): Promise<void> {
  await page.goto(base);
  await page.getByTestId('sign-in-email').fill(E2E_USER.email);
  await page.getByTestId('sign-in-password').fill(E2E_USER.password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId(readyTestId).waitFor();
  pageErrors.length = 0;
}
