// @vitest-environment happy-dom
/**
 * The config form's pickers, chosen by a field's `x-widget` hint and fed by the API (a fake fetch stands in for
 * the server): segments with member counts, connected + known channels, contact tags; free text still goes in.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { BUILTIN_MANIFESTS } from '../../../nodes/manifests';
import { NodeRegistry } from '../../../nodes/registry';
import { validateJourney } from '../../../workflows/model/validate-journey';
import { nodesFromDocument } from '../graph/document';
import { useLanguage } from '../i18n/language-store';
import { ConfigPanel } from './ConfigPanel';
import { uiSchemaFor } from './form-schema';
import { resetPickerOptions } from './picker-options';

const registry = new NodeRegistry(BUILTIN_MANIFESTS);

let calls: string[] = [];
let channelsStatus = 200;
function fakeFetch(url: string) {
  calls.push(url);
  const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  if (url === '/api/v1/segments') return json(200, { segments: [{ name: 'newsletter', members: 3 }, { name: 'vip', members: 12 }], truncated: false });
  if (url === '/api/v1/channels') {
    return channelsStatus === 200
      ? json(200, { channels: [{ channel: 'acme-chat', settings: { kind: 'http' }, hasToken: true, hasWebhookSecret: false, updatedAt: new Date().toISOString() }] })
      : json(channelsStatus, { error: 'forbidden', message: 'needs credentials.manage' });
  }
  return json(404, { error: 'not_found', message: url });
}

beforeEach(() => {
  calls = [];
  channelsStatus = 200;
  resetPickerOptions();
  vi.stubGlobal('fetch', vi.fn(fakeFetch));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useLanguage.getState().setLang('en');
});

function panelFor(node: { id: string; type: string; version: number; config: Record<string, unknown> }, suggestions = { tags: [] as string[], channels: [] as string[] }) {
  const onConfig = vi.fn();
  const trigger = { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['x.y'] } };
  const doc = node.type.startsWith('trigger.') ? { name: 'T', nodes: [node], edges: [] } : { name: 'T', nodes: [trigger, node], edges: [{ from: 't', port: 'next', to: node.id }] };
  const issues = validateJourney(doc, registry).filter((i) => i.nodeId === node.id);
  const flowNode = nodesFromDocument(doc, registry).find((n) => n.id === node.id)!;
  render(<ConfigPanel node={flowNode} manifest={registry.get(node.type, node.version)} issues={issues} suggestions={suggestions} onConfig={onConfig} onLabel={vi.fn()} />);
  return onConfig;
}

const optionsOf = (testId: string) => [...screen.getByTestId(testId).querySelectorAll('option')].map((o) => [o.getAttribute('value'), o.textContent]);

describe('pickers by x-widget hint', () => {
  it('maps the hints to widgets: segment/channel pickers for one value, chips with a source for lists', () => {
    expect(uiSchemaFor(registry.get('filter.segment', 1)!.configSchema as never).segments).toMatchObject({ 'ui:field': 'tags', 'ui:options': { source: 'segment' } });
    expect(uiSchemaFor(registry.get('trigger.scheduled-broadcast', 1)!.configSchema as never).segment).toMatchObject({ 'ui:widget': 'picker', 'ui:options': { source: 'segment' } });
    expect(uiSchemaFor(registry.get('filter.consent', 1)!.configSchema as never).channel).toMatchObject({ 'ui:widget': 'picker', 'ui:options': { source: 'channel', suggestions: ['event'] } });
    expect(uiSchemaFor(registry.get('response.notify-team', 1)!.configSchema as never).channel).toMatchObject({ 'ui:widget': 'picker', 'ui:options': { source: 'channel', suggestions: ['team'] } });
    expect(uiSchemaFor(registry.get('trigger.social-mention', 1)!.configSchema as never).channels).toMatchObject({ 'ui:field': 'tags', 'ui:options': { source: 'channel' } });
    expect(uiSchemaFor(registry.get('response.update-contact', 1)!.configSchema as never).addTags).toMatchObject({ 'ui:field': 'tags', 'ui:options': { source: 'tags' } });
    // Enumerated strings stay selects, their choices named in the UI language.
    expect(uiSchemaFor(registry.get('filter.consent', 1)!.configSchema as never).require).toEqual({ 'ui:enumNames': { not_opted_out: 'Has not opted out', opted_in: 'Has opted in' } });
    expect(uiSchemaFor(registry.get('response.ticket', 1)!.configSchema as never, '', 'zh-CN').priority).toEqual({ 'ui:enumNames': { low: '低', normal: '普通', high: '高', urgent: '紧急' } });
  });

  it('offers the workspace\'s segments with member counts and still takes a new segment name', async () => {
    const onConfig = panelFor({ id: 'seg', type: 'filter.segment', version: 1, config: { segments: ['vip'] } });
    await waitFor(() => expect(optionsOf('tags-segments-suggestions')).toEqual([['newsletter', 'newsletter · 3 members']]));
    expect(calls).toEqual(['/api/v1/segments']);
    const input = screen.getByTestId('tags-segments-input');
    fireEvent.change(input, { target: { value: 'newsletter' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onConfig.mock.calls.at(-1)![0].segments).toEqual(['vip', 'newsletter']);
    expect(optionsOf('tags-segments-suggestions')).toEqual([]); // both chosen
    fireEvent.change(input, { target: { value: 'brand-new' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onConfig.mock.calls.at(-1)![0].segments).toEqual(['vip', 'newsletter', 'brand-new']);
  });

  it('a single segment field (scheduled broadcast) is a picker with counts in the UI language, free text allowed', async () => {
    useLanguage.getState().setLang('zh-CN');
    const onConfig = panelFor({ id: 'bc', type: 'trigger.scheduled-broadcast', version: 1, config: { cron: '0 10 * * 1' } });
    const id = 'cfg-bc_segment';
    await waitFor(() => expect(optionsOf(`picker-${id}-options`)).toEqual([['newsletter', 'newsletter · 3 人'], ['vip', 'vip · 12 人']]));
    fireEvent.change(screen.getByTestId(`picker-${id}-input`), { target: { value: 'vip' } });
    expect(onConfig.mock.calls.at(-1)![0].segment).toBe('vip');
    fireEvent.change(screen.getByTestId(`picker-${id}-input`), { target: { value: '新客户' } });
    expect(onConfig.mock.calls.at(-1)![0].segment).toBe('新客户');
  });

  it('offers connected channels first, then channels seen on contacts and the known ones, plus the field default', async () => {
    const onConfig = panelFor({ id: 'c', type: 'filter.consent', version: 1, config: {} }, { tags: [], channels: ['line'] });
    const id = 'cfg-c_channel';
    await waitFor(() => expect(optionsOf(`picker-${id}-options`)[0]).toEqual(['acme-chat', 'acme-chat · connected']));
    const values = optionsOf(`picker-${id}-options`).map(([v]) => v);
    expect(values.slice(0, 3)).toEqual(['acme-chat', 'event', 'line']);
    expect(values).toContain('weibo');
    expect(values).toContain('email');
    expect(new Set(values).size).toBe(values.length);
    fireEvent.change(screen.getByTestId(`picker-${id}-input`), { target: { value: 'my-own-channel' } });
    expect(onConfig.mock.calls.at(-1)![0].channel).toBe('my-own-channel');
  });

  it('still offers known channels when the role may not list connected ones (403), and loads each list once', async () => {
    channelsStatus = 403;
    panelFor({ id: 'fc', type: 'filter.channel', version: 1, config: { channels: ['weibo'] } });
    await waitFor(() => expect(calls).toEqual(['/api/v1/channels']));
    await waitFor(() => expect(optionsOf('tags-channels-suggestions').map(([v]) => v)).toContain('wechat'));
    expect(optionsOf('tags-channels-suggestions').map(([v]) => v)).not.toContain('weibo'); // already chosen
    expect(optionsOf('tags-channels-suggestions').map(([v]) => v)).not.toContain('acme-chat');
    cleanup();
    panelFor({ id: 'fc2', type: 'trigger.social-mention', version: 1, config: {} });
    await waitFor(() => expect(optionsOf('tags-channels-suggestions').map(([v]) => v)).toContain('weibo'));
    expect(calls).toEqual(['/api/v1/channels']); // cached, not fetched per node
  });

  it('keeps the tag picker: contact tags as suggestions, no API call, any tag accepted', () => {
    const onConfig = panelFor({ id: 'u', type: 'response.update-contact', version: 1, config: {} }, { tags: ['vip-tag', 'churn-risk'], channels: [] });
    expect(optionsOf('tags-addTags-suggestions').map(([v]) => v)).toEqual(['vip-tag', 'churn-risk']);
    const input = screen.getByTestId('tags-addTags-input');
    fireEvent.change(input, { target: { value: 'brand new tag' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onConfig.mock.calls.at(-1)![0].addTags).toEqual(['brand new tag']);
    expect(calls).toEqual([]);
  });
});
