import { describe, expect, it } from 'vitest';
import { responseReply } from '../../../nodes/builtin/response-reply/manifest';
import { configFieldTitle, diffJourneys, hasChanges, sameJson, type Graph } from './journey-diff';

const v1: Graph = {
  nodes: [
    { id: 'start', type: 'trigger.event', version: 1, config: { eventTypes: ['social.follow'] }, position: { x: 0, y: 0 } },
    { id: 'hello', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Hi' }, position: { x: 300, y: 0 } },
    { id: 'wait', type: 'flow.wait', version: 1, config: { duration: { amount: 1, unit: 'days' } } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'hello' }, { from: 'hello', port: 'sent', to: 'wait' }],
  settings: { reentry: 'never' },
};

describe('journey diff', () => {
  it('finds added, removed and changed nodes and edges; a move is no change', () => {
    const v2: Graph = {
      nodes: [
        { ...v1.nodes[0], position: { x: 50, y: 50 } },
        { ...v1.nodes[1], label: 'Welcome', config: { message: 'Hello there', mode: 'dm' } },
        { id: 'end', type: 'flow.end', version: 1, config: {} },
      ],
      edges: [{ from: 'start', port: 'next', to: 'hello' }, { from: 'hello', port: 'sent', to: 'end' }],
      settings: { reentry: 'never' },
      notes: [{ id: 'n1', position: { x: 0, y: 0 }, size: { width: 200, height: 100 }, text: 'why', color: 'yellow' }],
    };
    const d = diffJourneys(v1, v2);
    expect(Object.fromEntries(d.nodes)).toEqual({ start: 'same', hello: 'changed', end: 'added', wait: 'removed' });
    expect(d.changed.get('hello')).toEqual([{ kind: 'label' }, { kind: 'config', key: 'message' }]);
    expect(Object.fromEntries(d.edges)).toEqual({ 'start:next->hello': 'same', 'hello:sent->end': 'added', 'hello:sent->wait': 'removed' });
    expect([d.settingsChanged, d.notesChanged, hasChanges(d)]).toEqual([false, true, true]);
  });

  it('sees no change between equal graphs, whatever the key order; settings count', () => {
    const same = { ...v1, nodes: v1.nodes.map((n) => ({ ...n, config: Object.fromEntries(Object.entries(n.config).reverse()) })) };
    expect(hasChanges(diffJourneys(v1, same))).toBe(false);
    expect(diffJourneys(v1, { ...v1, settings: { reentry: 'always' } }).settingsChanged).toBe(true);
    expect(sameJson({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
  });

  it('names a config field by its schema title in the UI language', () => {
    expect(configFieldTitle(responseReply.configSchema, 'message', 'en')).toBe('Message');
    expect(configFieldTitle(responseReply.configSchema, 'message', 'zh-CN')).toBe('消息内容');
    expect(configFieldTitle(responseReply.configSchema, 'nope', 'en')).toBe('nope');
  });
});
