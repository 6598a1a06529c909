/**
 * The test-run panel in headless Chromium against a real stack (API + Temporal worker + FerretDB): the form takes
 * its event type and channel from the trigger (and follows a changed trigger until typed in), a real contact found
 * by handle or name seeds the test contact, the step inspector reads each step as labelled fields (input, what was
 * evaluated, output; raw JSON behind a toggle), dry-run messages say "Recorded", and a variable without a value
 * is flagged where it would have been. One browser and one page for the whole file (2-core CI).
 */
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestStack } from '../helpers/stack';
import { signInToEditor } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { editorApi, useEditorSession } from './helpers/session';

const at = (x: number) => ({ x, y: 80 });

describe('test runs in Chromium', () => {
  let page: Page;
  let base: string;
  let token: string;
  let pageErrors: string[];
  let stack: TestStack;
  let signedIn = false;
  const { e2e } = useEditorSession({ onOpen: (s) => ({ base, token, page, pageErrors, stack } = s) });
  const byTestId = (id: string) => page.getByTestId(id);
  const api = (method: string, url: string, body?: unknown) => editorApi(base, token, method, url, body);

  /** Creates the draft and opens it with the test-run panel showing. */
  async function openTestPanel(doc: { name: string; nodes: unknown[]; edges: unknown[] }): Promise<string> {
    const created = await api('POST', '/api/v1/journeys', doc);
    expect(created.status).toBe(201);
    if (!signedIn) {
      await signInToEditor(page, base, pageErrors);
      signedIn = true;
    }
    await page.goto(`${base}/#/journeys/${encodeURIComponent(created.body.id)}`);
    await byTestId('canvas').waitFor();
    await byTestId('toggle-test-run').click();
    await byTestId('test-run-panel').waitFor();
    return created.body.id;
  }

  async function runToEnd() {
    await byTestId('test-start').click();
    await expect.poll(() => byTestId('test-run-status').textContent(), { timeout: 30_000 }).toMatch(/Status: (completed|failed)/);
  }

  const step = (nodeId: string) => byTestId(`test-step-${nodeId}`);
  const inspect = async (nodeId: string) => {
    await step(nodeId).locator('button').click();
    await expect.poll(() => byTestId('step-inspector').getAttribute('data-seq')).toBe(await step(nodeId).getAttribute('data-seq'));
  };

  e2e('prefills the event type and channel from the trigger, and follows a changed trigger until the field is typed in', async () => {
    await openTestPanel({
      name: 'Wechat mentions',
      nodes: [
        { id: 'mention', type: 'trigger.social-mention', version: 1, config: { channels: ['wechat'] }, position: at(40) },
        { id: 'thanks', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks!' }, position: at(340) },
      ],
      edges: [{ from: 'mention', port: 'next', to: 'thanks' }],
    });
    // A mention trigger names no event types in its config: they come from its manifest.
    expect(await byTestId('test-event-type').inputValue()).toBe('social.mention');
    expect(await byTestId('test-channel').inputValue()).toBe('wechat');
    await byTestId('test-event-type-follows').waitFor();
    // The prefilled form is one the trigger accepts: the run starts and ends.
    await runToEnd();
    expect(await byTestId('test-run-status').textContent()).toContain('completed');

    // The trigger changes while the panel is open: the untouched fields follow it.
    await byTestId('node-mention').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('[data-testid="node-mention"]').count()).toBe(0);
    await byTestId('palette-item-trigger.direct-message').dragTo(byTestId('canvas'), { targetPosition: { x: 120, y: 300 } });
    await expect.poll(() => byTestId('test-event-type').inputValue()).toBe('social.dm');
    expect(await byTestId('test-channel').inputValue()).toBe('weibo');

    // A typed value stays when the trigger changes again, until it is handed back to the trigger.
    await byTestId('test-event-type').fill('social.comment');
    await byTestId('canvas').locator('.react-flow__pane').click({ position: { x: 600, y: 500 } });
    await page.keyboard.press('Control+z'); // the direct-message trigger is gone again: no trigger at all
    await expect.poll(() => page.locator('[data-node-type="trigger.direct-message"]').count()).toBe(0);
    expect(await byTestId('test-event-type').inputValue()).toBe('social.comment');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => page.locator('[data-node-type="trigger.direct-message"]').count()).toBe(1);
    expect(await byTestId('test-event-type').inputValue()).toBe('social.comment');
    await byTestId('test-event-type-reset').click();
    expect(await byTestId('test-event-type').inputValue()).toBe('social.dm');
    await screenshot(page, 'test-run-01-prefilled');
    expect(pageErrors).toEqual([]);
  });

  e2e('finds a real contact by handle or name and seeds the test contact from it, or keeps the typed handle', async () => {
    for (const [handle, name, lead] of [['@lily-chen', 'Lily Chen', 40], ['@bob-stone', 'Bob Stone', 5]] as const) {
      const ingested = await api('POST', '/api/v1/events', { id: `seed-${handle}`, type: 'social.follow', channel: 'weibo', handle, occurredAt: new Date().toISOString() });
      expect(ingested.status).toBeLessThan(300);
      const [contact] = (await api('GET', `/api/v1/contacts?identity=${encodeURIComponent(`weibo:${handle}`)}`)).body.contacts;
      // No route writes a profile by hand (journeys and platforms do): the store, as the e2e user is made.
      expect((await stack.store.contacts.updateOne({ _id: contact.id, workspaceId: 'default' }, { $set: { 'profile.name': name, 'scores.lead': lead } })).modifiedCount).toBe(1);
    }
    await openTestPanel({
      name: 'Lead greeting',
      nodes: [
        { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] }, position: at(40) },
        { id: 'greet', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Hi {{contact.profile.name}}, your lead score is {{contact.scores.lead}}' }, position: at(340) },
      ],
      edges: [{ from: 'mention', port: 'next', to: 'greet' }],
    });

    // By a part of the name, any case; then by a part of the handle.
    await byTestId('test-seed-search').fill('CHEN');
    await byTestId('test-seed-results').waitFor();
    expect(await byTestId('test-seed-results').textContent()).toContain('Lily Chen');
    expect(await byTestId('test-seed-results').textContent()).not.toContain('Bob Stone');
    await byTestId('test-seed-search').fill('bob-st');
    await expect.poll(() => byTestId('test-seed-results').textContent()).toContain('weibo:@bob-stone');
    await byTestId('test-seed-search').fill('nobody-like-this');
    await byTestId('test-seed-none').waitFor();

    await byTestId('test-seed-search').fill('lily');
    await page.locator('[data-testid="test-seed-results"] button', { hasText: 'Lily Chen' }).click();
    expect(await byTestId('test-seed-picked').textContent()).toContain('Lily Chen (weibo:@lily-chen)');
    expect(await byTestId('test-handle').inputValue()).toBe('@lily-chen');
    expect(await byTestId('test-name').inputValue()).toBe('Lily Chen');
    await runToEnd();
    await inspect('greet');
    // The score only the real contact has: the test contact was seeded from it.
    await expect.poll(() => byTestId('message-text').textContent()).toBe('Hi Lily Chen, your lead score is 40');
    await byTestId('step-inspector').scrollIntoViewIfNeeded();
    await screenshot(page, 'test-run-02-seeded');

    // Back to a typed handle: nothing is copied, so the score has no value.
    await byTestId('test-seed-clear').click();
    await byTestId('test-handle').fill('@fresh-tester');
    await byTestId('test-name').fill('Tess');
    await runToEnd();
    await inspect('greet');
    await expect.poll(() => byTestId('message-text').textContent()).toBe('Hi Tess, your lead score is ⟨contact.scores.lead⟩ missing');
    // The real contact was only read.
    const lily = (await api('GET', `/api/v1/contacts?identity=${encodeURIComponent('weibo:@lily-chen')}`)).body.contacts[0];
    expect(lily.scores.lead).toBe(40);
    expect(pageErrors).toEqual([]);
  });

  e2e('lists the steps with node, port and timing, and inspects a step as labelled input, evaluated values and output', async () => {
    await openTestPanel({
      name: 'Help desk',
      nodes: [
        { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] }, position: at(40) },
        {
          id: 'check', type: 'filter.condition', version: 1, label: 'Asks for help?', position: at(300),
          config: { conditions: { match: 'all', groups: [{ match: 'all', rules: [{ field: 'event.text', op: 'contains', value: 'help' }] }] } },
        },
        { id: 'points', type: 'scoring.points', version: 1, config: { score: 'lead', points: 10, reason: 'asked for help' }, position: at(560) },
        { id: 'ask', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Hi {{contact.profile.name}}, shall we call you?' }, position: at(820) },
        { id: 'answer', type: 'flow.wait-for-event', version: 1, config: { eventTypes: ['social.dm'], timeout: { amount: 1, unit: 'days' } }, position: at(1080) },
        { id: 'confirm', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'You said: {{event.text}}' }, position: at(1340) },
      ],
      edges: [
        { from: 'mention', port: 'next', to: 'check' }, { from: 'check', port: 'yes', to: 'points' }, { from: 'points', port: 'next', to: 'ask' },
        { from: 'ask', port: 'sent', to: 'answer' }, { from: 'answer', port: 'received', to: 'confirm' },
      ],
    });
    await byTestId('test-event-text').fill('I need help with my order');
    await byTestId('test-start').click();
    await byTestId('test-send-event').waitFor({ timeout: 30_000 });
    await step('answer').waitFor({ timeout: 30_000 });
    await byTestId('test-reply-type').fill('social.dm');
    await byTestId('test-reply-text').fill('yes, after 5pm');
    await byTestId('test-send-event').click();
    await expect.poll(() => byTestId('test-run-status').textContent(), { timeout: 30_000 }).toContain('Status: completed');

    // The list: the node as named on the canvas, the port it took in words, when and how long.
    const check = await step('check').textContent();
    expect(check).toContain('Asks for help?');
    expect(check).toContain('→ Yes');
    expect(check).toMatch(/\+\d+(\.\d)? (ms|s)/);
    expect(check).toMatch(/took \d/);
    expect(await step('points').textContent()).toContain('Add points');
    expect(await step('answer').textContent()).toContain('→ Received');

    await inspect('check');
    const input = byTestId('step-input');
    expect(await input.locator('[data-field="type"] dd').textContent()).toBe('social.mention');
    expect(await input.locator('[data-field="text"] dd').textContent()).toBe('I need help with my order');
    const condition = await byTestId('condition-check').textContent();
    expect(condition).toContain('Condition: met');
    expect(condition).toContain('event.text contains “help” — found “I need help with my order”');
    expect(await byTestId('step-output-port').textContent()).toBe('Yes');
    // Fields, not JSON: no braces anywhere until the raw view is asked for.
    expect(await byTestId('step-inspector').textContent()).not.toContain('{"');
    expect(await page.locator('[data-testid="step-raw"]').count()).toBe(0);
    await byTestId('step-raw-toggle').click();
    expect(JSON.parse((await byTestId('step-raw').textContent())!)).toMatchObject({ nodeId: 'check', port: 'yes', evaluated: { result: true } });
    await byTestId('step-raw-toggle').click();
    expect(await page.locator('[data-testid="step-raw"]').count()).toBe(0);

    await inspect('points');
    expect(await byTestId('step-effects').textContent()).toContain('lead +10 (asked for help)');
    const output = byTestId('step-output-fields');
    expect(await output.locator('[data-field="before"] dd').textContent()).toBe('0');
    expect(await output.locator('[data-field="after"] dd').textContent()).toBe('10');

    await inspect('ask');
    expect(await byTestId('message-text').textContent()).toBe('Hi Tess, shall we call you?');

    // The reply received by the wait is what the next step ran on.
    await inspect('answer');
    expect(await byTestId('step-output').textContent()).toContain('yes, after 5pm');
    await inspect('confirm');
    expect(await byTestId('step-input').locator('[data-field="text"] dd').textContent()).toBe('yes, after 5pm');
    expect(await byTestId('message-text').textContent()).toBe('You said: yes, after 5pm');
    await byTestId('step-inspector').scrollIntoViewIfNeeded();
    await screenshot(page, 'test-run-03-inspector');
    expect(pageErrors).toEqual([]);
  });

  e2e('says "Recorded" for dry-run messages, with a tooltip, and flags a variable without a value in the message', async () => {
    await openTestPanel({
      name: 'Recorded not sent',
      nodes: [
        { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] }, position: at(40) },
        { id: 'hello', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Thanks for the mention!' }, position: at(340) },
        { id: 'follow', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Hello {{contact.profile.name}}, about {{event.name}}' }, position: at(640) },
      ],
      edges: [{ from: 'mention', port: 'next', to: 'hello' }, { from: 'hello', port: 'sent', to: 'follow' }],
    });
    await runToEnd();

    // The canvas counts of the draft's test runs: recorded, never sent.
    const port = byTestId('node-hello').locator('.jn-port-label').first(); // the `sent` port, listed first
    await expect.poll(() => port.textContent(), { timeout: 20_000 }).toBe('Recorded (1)');
    expect(await port.getAttribute('title')).toContain('Test runs never send');
    expect(await byTestId('test-messages').textContent()).toBe('Messages: Recorded (1)');
    const hello = step('hello');
    expect(await hello.locator('[data-testid="step-port"]').textContent()).toBe('→ Recorded');
    expect(await hello.locator('[data-testid="step-port"]').getAttribute('title')).toContain('dry run');
    await inspect('hello');
    expect(await byTestId('step-output-fields').locator('[data-field="status"] dd').textContent()).toBe('Recorded');

    // The message with a gap: not sent, and the gap named where it is.
    expect(await step('follow').locator('[data-testid="step-port"]').textContent()).toBe('→ Not sent');
    await inspect('follow');
    const gap = byTestId('step-inspector').locator('[data-testid="missing-variable"]');
    expect(await gap.count()).toBe(1);
    expect(await gap.textContent()).toBe('⟨event.name⟩ missing');
    expect(await gap.evaluate((el) => el.tagName)).toBe('MARK');
    expect(await byTestId('message-text').textContent()).toBe('Hello Tess, about ⟨event.name⟩ missing');
    expect(await byTestId('step-output-fields').locator('[data-field="reason"] dd').textContent()).toBe('a variable had no value');
    await byTestId('step-inspector').scrollIntoViewIfNeeded();
    await screenshot(page, 'test-run-04-recorded');

    // Every new text is in Chinese too.
    await byTestId('language').selectOption('zh-CN');
    await expect.poll(() => port.textContent()).toBe('已记录（1）');
    expect(await gap.textContent()).toBe('⟨event.name⟩ 缺失');
    expect(await byTestId('step-input').locator('h4').textContent()).toBe('输入');
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });
});
