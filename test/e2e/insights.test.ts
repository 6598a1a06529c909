/**
 * Insights in headless Chromium against a real stack (API + Temporal worker + FerretDB): a node's live counts open
 * the contacts behind them (waiting there, left by a port, entered; paged; each with its trace; test runs only when
 * the canvas shows them), the publish dialog estimates who the triggers reach and warns about message variables
 * without a fallback, and a message node previews its texts for a chosen real contact with the gaps flagged.
 * One browser and one page for the whole file (2-core CI).
 */
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestStack } from '../helpers/stack';
import { signInToEditor } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { editorApi, useEditorSession } from './helpers/session';

const at = (x: number, y = 80) => ({ x, y });
let seq = 0;
const event = (type: string, handle: string, text?: string, extra: Record<string, unknown> = {}) => ({
  id: `ins-${Date.now()}-${seq++}`, type, channel: 'weibo', handle, ...(text ? { text } : {}), occurredAt: new Date().toISOString(), ...extra,
});

describe('insights in Chromium', () => {
  let page: Page;
  let base: string;
  let token: string;
  let pageErrors: string[];
  let stack: TestStack;
  let signedIn = false;
  const { e2e } = useEditorSession({ onOpen: (s) => ({ base, token, page, pageErrors, stack } = s) });
  const byTestId = (id: string) => page.getByTestId(id);
  const api = (method: string, url: string, body?: unknown) => editorApi(base, token, method, url, body);
  const ingest = async (events: unknown[]) => {
    const res = await api('POST', '/api/v1/events', { events });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  };
  const contactId = async (handle: string): Promise<string> => (await api('GET', `/api/v1/contacts?identity=${encodeURIComponent(`weibo:${handle}`)}`)).body.contacts[0].id;
  /** No route writes a profile by hand (journeys and platforms do): the store, as the e2e user is made. */
  const setName = async (handle: string, name: string) => {
    expect((await stack.store.contacts.updateOne({ _id: await contactId(handle), workspaceId: 'default' }, { $set: { 'profile.name': name } })).modifiedCount).toBe(1);
  };

  async function open(journeyId: string) {
    if (!signedIn) {
      await signInToEditor(page, base, pageErrors);
      signedIn = true;
    }
    await page.goto(`${base}/#/journeys/${encodeURIComponent(journeyId)}`);
    await byTestId('canvas').waitFor();
  }

  e2e("a node's counts open the contacts behind them: waiting, by port, entered; paged, traced, test runs apart", async () => {
    const created = await api('POST', '/api/v1/journeys', {
      name: 'Order help',
      nodes: [
        { id: 'order', type: 'trigger.event', version: 1, config: { eventTypes: ['order.placed'] }, position: at(40) },
        { id: 'check', type: 'filter.condition', version: 1, label: 'Asks for help?', position: at(320), config: { conditions: { match: 'all', groups: [{ match: 'all', rules: [{ field: 'event.text', op: 'contains', value: 'help' }] }] } } },
        { id: 'hold', type: 'flow.wait', version: 1, label: 'Give it an hour', config: { duration: { amount: 1, unit: 'hours' } }, position: at(600) },
        { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['buyer'] }, position: at(600, 260) },
      ],
      edges: [{ from: 'order', port: 'next', to: 'check' }, { from: 'check', port: 'yes', to: 'hold' }, { from: 'check', port: 'no', to: 'tag' }],
    });
    expect(created.status).toBe(201);
    const journeyId = created.body.id;
    expect((await api('POST', `/api/v1/journeys/${journeyId}/publish`, {})).status).toBe(201);
    // 53 ask for help (more than a page of 50), 2 do not.
    await ingest([
      ...Array.from({ length: 53 }, (_, i) => event('order.placed', `@help-${i + 1}`, 'I need help with my order')),
      event('order.placed', '@fine-1', 'all good'), event('order.placed', '@fine-2', 'thanks'),
    ]);
    await setName('@help-7', 'Hana Seven');

    await open(journeyId);
    expect(await byTestId('analytics-version').inputValue()).toBe('1');
    await expect.poll(() => byTestId('node-count-hold-waiting').textContent(), { timeout: 60_000 }).toBe('⏸ 53');
    await expect.poll(() => byTestId('node-count-check-port-no').textContent(), { timeout: 30_000 }).toBe('No (2)');
    expect(await byTestId('node-count-hold-waiting').getAttribute('title')).toContain('click to list these contacts');

    // Waiting there now: newest first, 50 at a time.
    await byTestId('node-count-hold-waiting').click();
    await byTestId('node-contacts').waitFor();
    expect(await byTestId('node-contacts-heading').textContent()).toBe('Give it an hour: contacts waiting now');
    expect(await byTestId('node-contacts-version').textContent()).toBe('Version 1, newest first');
    // A page is 50, plus any step of the same millisecond as the 50th (a page never splits an instant).
    await expect.poll(() => page.locator('[data-testid="node-contact"]').count()).toBeGreaterThanOrEqual(50);
    expect(await page.locator('[data-testid="node-contact"]').count()).toBeLessThan(53);
    const times = await page.locator('[data-testid="node-contact"] time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime')!)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    await byTestId('node-contacts-more').click();
    await expect.poll(() => page.locator('[data-testid="node-contact"]').count()).toBe(53);
    expect(await page.locator('[data-testid="node-contacts-more"]').count()).toBe(0);
    const hana = page.locator('[data-testid="node-contact"]', { hasText: 'Hana Seven' });
    expect(await hana.count()).toBe(1);
    expect(await hana.getByTestId('node-contact-identity').textContent()).toBe('weibo:@help-7');
    expect(await hana.textContent()).toContain('waiting');
    await screenshot(page, 'insights-01-waiting');

    // Its trace: the contact's path lights up on the canvas.
    await hana.getByTestId('node-contact-trace').click();
    await byTestId('node-run-hold').waitFor();
    expect(await byTestId('node-run-steps-check').textContent()).toContain('yes');
    expect(await byTestId('node-run-steps-hold').textContent()).toContain('waiting');

    // Who left by a port, and who entered.
    await byTestId('node-count-check-port-no').click();
    await expect.poll(() => byTestId('node-contacts-heading').textContent()).toBe('Asks for help?: contacts who left by “No”');
    await expect.poll(() => page.locator('[data-testid="node-contact-identity"]').allTextContents()).toEqual(expect.arrayContaining(['weibo:@fine-1', 'weibo:@fine-2']));
    expect(await page.locator('[data-testid="node-contact"]').count()).toBe(2);
    expect(await page.locator('[data-testid="node-contact"]').first().textContent()).toContain('left by “No”');
    await byTestId('node-count-order-entered').click();
    await expect.poll(() => byTestId('node-contacts-heading').textContent()).toBe('Contact event: contacts who entered');
    // A page again: 50, plus steps of the 50th's millisecond.
    await expect.poll(() => page.locator('[data-testid="node-contact"]').count()).toBeGreaterThanOrEqual(50);
    expect(await page.locator('[data-testid="node-contact"]').count()).toBeLessThan(55);

    // A test run of the draft shows only when the canvas shows test runs.
    const started = await api('POST', `/api/v1/journeys/${journeyId}/test-runs`, { contact: { channel: 'weibo', handle: '@rehearsal' }, event: { type: 'order.placed', text: 'help me' } });
    expect(started.status).toBe(201);
    await byTestId('node-count-hold-waiting').click();
    await expect.poll(() => page.locator('[data-testid="node-contact"]').count()).toBeGreaterThanOrEqual(50);
    expect(await page.locator('[data-testid="node-contact"]').count()).toBeLessThan(53);
    expect(await byTestId('node-contacts').textContent()).not.toContain('@rehearsal');
    await byTestId('analytics-version').selectOption('0');
    await expect.poll(() => byTestId('node-count-hold-waiting').textContent(), { timeout: 30_000 }).toBe('⏸ 1');
    await expect.poll(() => byTestId('node-contacts-version').textContent()).toBe('Test runs of the draft, newest first');
    await expect.poll(() => page.locator('[data-testid="node-contact"]').count()).toBe(1);
    expect(await byTestId('node-contacts-list').textContent()).toContain('weibo:@rehearsal');
    expect(await byTestId('node-contacts-list').textContent()).toContain('test');
    await screenshot(page, 'insights-02-test-runs');

    // In Chinese too; turning the numbers off closes the panel.
    await byTestId('language').selectOption('zh-CN');
    await expect.poll(() => byTestId('node-contacts-heading').textContent()).toBe('Give it an hour：正在等待的联系人');
    expect(await byTestId('node-contacts-version').textContent()).toBe('草稿的测试运行，最新的在前');
    await byTestId('language').selectOption('en');
    await byTestId('analytics-version').selectOption('');
    await byTestId('node-contacts').waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  e2e('the publish dialog says how many contacts each trigger would reach, and by what', async () => {
    await ingest([event('social.follow', '@vip-1'), event('social.follow', '@vip-2'), event('social.follow', '@vip-3')]);
    for (const h of ['@vip-1', '@vip-2', '@vip-3']) expect((await api('PUT', `/api/v1/segments/vip/contacts/${await contactId(h)}`)).status).toBe(200);
    await ingest([
      event('social.mention', '@fan-1', 'I want a refund'), event('social.mention', '@fan-1', 'refund now'), event('social.comment', '@fan-2', 'refund?'),
      event('social.mention', '@happy', 'love it'),
    ]);
    const created = await api('POST', '/api/v1/journeys', {
      name: 'Audience check',
      nodes: [
        { id: 'vip', type: 'trigger.segment-entered', version: 1, label: 'New VIPs', config: { segments: ['vip'] }, position: at(40) },
        { id: 'refunds', type: 'trigger.social-mention', version: 1, label: 'Refund talk', config: { keywords: ['refund'] }, position: at(40, 260) },
        { id: 'thanks', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Thanks for being with us!' }, position: at(360) },
      ],
      edges: [{ from: 'vip', port: 'next', to: 'thanks' }, { from: 'refunds', port: 'next', to: 'thanks' }],
    });
    expect(created.status).toBe(201);
    await open(created.body.id);
    await byTestId('publish').click();
    await byTestId('publish-dialog').waitFor();
    await expect.poll(() => byTestId('publish-audience-vip').textContent()).toBe('New VIPs: 3 members of segment “vip”');
    expect(await byTestId('publish-audience-vip').getAttribute('data-basis')).toBe('segment');
    expect(await byTestId('publish-audience-refunds').textContent()).toBe('Refund talk: 2 contacts sent a matching event (social.mention, social.comment) in the last 30 days');
    expect(await byTestId('publish-audience-refunds').getAttribute('data-basis')).toBe('events');
    expect(await byTestId('publish-audience').textContent()).toContain('an estimate from the last 30 days');
    expect(await page.locator('[data-testid="publish-fallback-warnings"]').count()).toBe(0);
    await screenshot(page, 'insights-03-audience');
    await byTestId('publish-dialog').getByRole('button', { name: 'Cancel' }).click();

    await byTestId('language').selectOption('zh-CN');
    await byTestId('publish').click();
    await expect.poll(() => byTestId('publish-audience-vip').textContent()).toBe('New VIPs：分群 “vip” 的 3 位成员');
    expect(await byTestId('publish-audience-refunds').textContent()).toBe('Refund talk：最近 30 天内有 2 位联系人发送过匹配的事件（social.mention, social.comment）');
    await byTestId('publish-dialog').getByRole('button', { name: '取消' }).click();
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });

  e2e("a message node previews its texts for a chosen contact, flags what would be missing, and publish warns about it", async () => {
    await ingest([event('social.mention', '@lily-chen', 'my parcel is late'), event('social.follow', '@bob-stone')]);
    await setName('@lily-chen', 'Lily Chen');
    const created = await api('POST', '/api/v1/journeys', {
      name: 'Late parcels',
      nodes: [
        { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] }, position: at(40) },
        { id: 'greet', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Hi {{contact.profile.name}}, about “{{event.text}}”' }, position: at(340) },
        { id: 'mail', type: 'response.email', version: 1, config: { subject: 'Hello {{contact.profile.name | "friend"}}', html: '<p>We are on it.</p>' }, position: at(640) },
      ],
      edges: [{ from: 'mention', port: 'next', to: 'greet' }, { from: 'greet', port: 'sent', to: 'mail' }],
    });
    expect(created.status).toBe(201);
    await open(created.body.id);
    await byTestId('node-greet').click();
    const preview = byTestId('message-preview');
    await preview.waitFor();
    expect(await preview.locator('h3').textContent()).toBe('Preview for…');

    // A contact with every value: the message as they would get it.
    await preview.getByTestId('test-seed-search').fill('lily');
    await preview.locator('[data-testid="test-seed-results"] button', { hasText: 'Lily Chen' }).click();
    await expect.poll(() => byTestId('preview-field-message').getByTestId('message-text').textContent()).toBe('Hi Lily Chen, about “my parcel is late”');
    expect(await byTestId('preview-event').textContent()).toContain('social.mention on weibo');
    expect(await byTestId('preview-ok').textContent()).toBe('Every variable has a value for Lily Chen.');
    // A test of the reply as rendered, to the marketer's own handle: weibo is not connected here, so only recorded.
    expect(await byTestId('test-send-channel').inputValue()).toBe('weibo');
    await byTestId('test-send-to').fill('@marketer-me');
    await byTestId('test-send-button').click();
    await expect.poll(() => byTestId('test-send-result').textContent()).toBe('Only recorded: no platform is connected as channel "weibo".');
    // The same contact previews the next message node.
    await byTestId('node-mail').click();
    await expect.poll(() => byTestId('preview-field-subject').getByTestId('message-text').textContent()).toBe('Hello Lily Chen');

    // A contact without a name and whose latest event has no text: both gaps flagged where they would be.
    await byTestId('node-greet').click();
    await preview.getByTestId('test-seed-clear').click();
    await preview.getByTestId('test-seed-search').fill('bob-st');
    await preview.locator('[data-testid="test-seed-results"] button', { hasText: 'weibo:@bob-stone' }).click();
    const gaps = byTestId('preview-field-message').getByTestId('missing-variable');
    await expect.poll(() => gaps.allTextContents()).toEqual(['⟨contact.profile.name⟩ missing', '⟨event.text⟩ missing']);
    expect(await byTestId('preview-unresolved').textContent()).toBe('(no name) would not be sent this message: no value and no fallback for {{contact.profile.name}}, {{event.text}}.');
    // A message that would not be sent cannot be test-sent either.
    await byTestId('test-send-to').fill('@marketer-me');
    expect(await byTestId('test-send-button').isDisabled()).toBe(true);
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, 'insights-04-preview');

    // Publish warns about the variable without a fallback.
    await byTestId('publish').click();
    await byTestId('publish-fallback-warnings').waitFor();
    expect(await byTestId('publish-fallback-warnings').locator('h3').textContent()).toBe('1 message variable(s) without a fallback');
    const warning = byTestId('publish-fallback-warning');
    expect(await warning.count()).toBe(1);
    expect(await warning.getAttribute('data-node')).toBe('greet');
    expect(await warning.textContent()).toContain('Reply on channel › Message');
    expect(await warning.textContent()).toContain('{{contact.profile.name}} has no fallback');
    await byTestId('publish-dialog').getByRole('button', { name: 'Cancel' }).click();

    // A fallback typed in the form: the preview follows at once, and the warning is gone.
    const message = page.locator('[data-testid^="template-"][data-testid$="_message"]').first();
    await message.fill('Hi {{contact.profile.name | "there"}}, thanks for waiting');
    await expect.poll(() => byTestId('preview-field-message').getByTestId('message-text').textContent()).toBe('Hi there, thanks for waiting');
    expect(await byTestId('preview-ok').textContent()).toBe('Every variable has a value for (no name).');
    await byTestId('publish').click();
    await byTestId('publish-audience').waitFor();
    await expect.poll(() => page.locator('[data-testid="publish-fallback-warnings"]').count()).toBe(0);
    await byTestId('publish-dialog').getByRole('button', { name: 'Cancel' }).click();

    // In Chinese.
    await message.fill('你好 {{contact.profile.name}}');
    await byTestId('language').selectOption('zh-CN');
    await expect.poll(() => preview.locator('h3').textContent()).toBe('预览给…');
    await expect.poll(() => byTestId('preview-unresolved').textContent()).toBe('（无姓名）不会收到这条消息：{{contact.profile.name}} 没有值，也没有默认值。');
    expect(await gaps.allTextContents()).toEqual(['⟨contact.profile.name⟩ 缺失']);
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });
});
