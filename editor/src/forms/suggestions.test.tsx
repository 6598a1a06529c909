// @vitest-environment happy-dom
/**
 * Suggested event types (wait for event, contact-event trigger) named in the UI language, a sent message's outcome
 * among them; and the reply node's fallback settings in the generated form, its choices in both languages.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { BUILTIN_MANIFESTS } from '../../../nodes/manifests';
import { NodeRegistry } from '../../../nodes/registry';
import { validateJourney } from '../../../workflows/model/validate-journey';
import { nodesFromDocument } from '../graph/document';
import { DICTIONARIES } from '../i18n/dictionary';
import { useLanguage } from '../i18n/language-store';
import { ConfigPanel } from './ConfigPanel';
import { eventTypeSuggestions, KNOWN_EVENT_TYPES, uiSchemaFor, withoutEmptyObjects } from './form-schema';
import { resetPickerOptions } from './picker-options';
import { SessionContext, sessionOf } from '../session';
import type { Me } from '../api/types';

const registry = new NodeRegistry(BUILTIN_MANIFESTS);

beforeEach(() => {
  resetPickerOptions();
  vi.stubGlobal('fetch', vi.fn(() => Promise.resolve(new Response(JSON.stringify({ channels: [] }), { status: 200, headers: { 'content-type': 'application/json' } }))));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useLanguage.getState().setLang('en');
});

function panelFor(node: { id: string; type: string; version: number; config: Record<string, unknown> }) {
  const onConfig = vi.fn();
  const trigger = { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['x.y'] } };
  const doc = node.type.startsWith('trigger.') ? { name: 'T', nodes: [node], edges: [] } : { name: 'T', nodes: [trigger, node], edges: [{ from: 't', port: 'next', to: node.id }] };
  const issues = validateJourney(doc, registry).filter((i) => i.nodeId === node.id);
  const flowNode = nodesFromDocument(doc, registry).find((n) => n.id === node.id)!;
  render(<ConfigPanel node={flowNode} manifest={registry.get(node.type, node.version)} issues={issues} suggestions={{ tags: [], channels: [] }} onConfig={onConfig} onLabel={vi.fn()} />);
  return onConfig;
}
const optionsOf = (testId: string) => [...screen.getByTestId(testId).querySelectorAll('option')].map((o) => [o.getAttribute('value'), o.textContent]);

describe('the channel picker for a role that may not list channels', () => {
  it('offers the known channels without asking the API (no 403 in the console)', () => {
    const marketer = { permissions: ['read', 'journeys.write', 'journeys.publish'] } as unknown as Me;
    const doc = { name: 'T', nodes: [{ id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['x.y'] } }, { id: 'r', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'hi', fallback: { mode: 'sms' } } }], edges: [] };
    const node = nodesFromDocument(doc, registry).find((n) => n.id === 'r')!;
    render(
      <SessionContext.Provider value={sessionOf(marketer)}>
        <ConfigPanel node={node} manifest={registry.get('response.reply', 1)} issues={[]} suggestions={{ tags: [], channels: [] }} onConfig={vi.fn()} onLabel={vi.fn()} />
      </SessionContext.Provider>,
    );
    expect(optionsOf('picker-cfg-r_fallback_channel-options').map(([v]) => v)).toContain('sms');
    expect(vi.mocked(fetch)).not.toHaveBeenCalled();
  });
});

describe('suggested event types', () => {
  it('include a sent message\'s outcome, each type named in both languages', () => {
    expect(KNOWN_EVENT_TYPES).toContain('message.delivered');
    expect(KNOWN_EVENT_TYPES).toContain('message.failed');
    for (const type of KNOWN_EVENT_TYPES) {
      const key = `eventType.${type}` as keyof typeof DICTIONARIES.en;
      expect(DICTIONARIES.en[key], type).toBeTruthy();
      expect(DICTIONARIES['zh-CN'][key], type).toMatch(/\p{Script=Han}/u);
    }
    expect(eventTypeSuggestions('en')).toContainEqual({ value: 'message.failed', label: 'message.failed · Message not delivered (blocked or failed)' });
    expect(eventTypeSuggestions('zh-CN')).toContainEqual({ value: 'message.delivered', label: 'message.delivered · 消息已送达（如微信模板消息）' });
    expect(uiSchemaFor(registry.get('flow.wait-for-event', 1)!.configSchema as never, '', 'zh-CN').eventTypes)
      .toMatchObject({ 'ui:field': 'tags', 'ui:options': { suggestions: eventTypeSuggestions('zh-CN') } });
  });

  it('are offered by wait for event and the contact-event trigger, labelled in the UI language, and the type is what is stored', () => {
    useLanguage.getState().setLang('zh-CN');
    const onConfig = panelFor({ id: 'w', type: 'flow.wait-for-event', version: 1, config: { eventTypes: ['social.dm'], timeout: { amount: 2, unit: 'days' } } });
    const offered = optionsOf('tags-eventTypes-suggestions');
    expect(offered).toContainEqual(['message.delivered', 'message.delivered · 消息已送达（如微信模板消息）']);
    expect(offered).toContainEqual(['message.failed', 'message.failed · 消息未送达（被拒收或发送失败）']);
    expect(offered.map(([v]) => v)).not.toContain('social.dm'); // already chosen
    const input = screen.getByTestId('tags-eventTypes-input');
    fireEvent.change(input, { target: { value: 'message.failed' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onConfig.mock.calls.at(-1)![0].eventTypes).toEqual(['social.dm', 'message.failed']);
    cleanup();
    useLanguage.getState().setLang('en');
    panelFor({ id: 'start', type: 'trigger.event', version: 1, config: { eventTypes: ['order.placed'] } });
    expect(optionsOf('tags-eventTypes-suggestions')).toContainEqual(['message.delivered', 'message.delivered · Message delivered (e.g. a WeChat template message)']);
  });
});

describe('the reply node\'s fallback in the form', () => {
  it('shows the fallback settings with their choices in the UI language, and stores the chosen mode', () => {
    useLanguage.getState().setLang('zh-CN');
    const onConfig = panelFor({ id: 'r', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'hi' } });
    expect(screen.getByText('平台拒绝时改为')).toBeTruthy();
    expect(screen.getByText('模板 ID 或名称')).toBeTruthy();
    const select = document.getElementById('cfg-r_fallback_mode') as HTMLSelectElement;
    expect(select).toBeTruthy();
    const labels = [...select.querySelectorAll('option')].map((o) => o.textContent).filter(Boolean);
    expect(labels).toEqual(expect.arrayContaining(['模板消息（微信、WhatsApp）', '私信', '短信', '邮件']));
    const template = [...select.querySelectorAll('option')].find((o) => o.textContent === '模板消息（微信、WhatsApp）')!;
    fireEvent.change(select, { target: { value: template.value } });
    expect(onConfig.mock.calls.at(-1)![0]).toMatchObject({ mode: 'dm', message: 'hi', fallback: { mode: 'template' } });
  });

  it('an untouched or cleared fallback is not stored (rjsf hands back empty objects for it)', () => {
    const schema = registry.get('response.reply', 1)!.configSchema as never;
    expect(withoutEmptyObjects(schema, { mode: 'dm', message: 'hi', fallback: { templateData: {} } })).toEqual({ mode: 'dm', message: 'hi' });
    expect(withoutEmptyObjects(schema, { mode: 'dm', message: 'hi', fallback: { mode: 'sms', templateData: {} } })).toEqual({ mode: 'dm', message: 'hi', fallback: { mode: 'sms' } });
    const kept = { mode: 'dm', message: 'hi', fallback: { mode: 'template', templateId: 'T', templateData: { first: 'x' } } };
    expect(withoutEmptyObjects(schema, kept)).toBe(kept);
    // Editing another field of a reply without a fallback stores no fallback.
    const onConfig = panelFor({ id: 'r3', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'hi' } });
    fireEvent.change(document.getElementById('cfg-r3_mode') as HTMLSelectElement, { target: { value: '0' } });
    expect(onConfig.mock.calls.at(-1)![0]).toEqual({ mode: 'reply', message: 'hi' });
    cleanup();
    // Choosing no mode again takes the fallback away.
    const again = panelFor({ id: 'r4', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'hi', fallback: { mode: 'sms' } } });
    fireEvent.change(document.getElementById('cfg-r4_fallback_mode') as HTMLSelectElement, { target: { value: '' } });
    expect(again.mock.calls.at(-1)![0]).toEqual({ mode: 'dm', message: 'hi' });
  });

  it('a template fallback without a template id is flagged on the field', () => {
    panelFor({ id: 'r2', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'hi', fallback: { mode: 'template' } } });
    const issues = validateJourney({
      name: 'T', nodes: [{ id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['x.y'] } }, { id: 'r2', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'hi', fallback: { mode: 'template' } } }],
      edges: [{ from: 't', port: 'next', to: 'r2' }],
    }, registry).filter((i) => i.nodeId === 'r2');
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', path: '/config/fallback/templateId' })]);
    expect(screen.getAllByText(/is required/).length).toBeGreaterThan(0);
  });
});
