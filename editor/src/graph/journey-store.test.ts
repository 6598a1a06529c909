import { describe, expect, it } from 'vitest';
import { BUILTIN_MANIFESTS } from '../../../nodes/manifests';
import { NodeRegistry } from '../../../nodes/registry';
import { createJourneyStore } from './journey-store';

const registry = new NodeRegistry(BUILTIN_MANIFESTS);
const m = (type: string) => registry.latest(type)!;

function fresh() {
  return createJourneyStore(registry, { name: 'Test', nodes: [], edges: [] });
}

/** trigger → condition(yes) → reply, built through the store's actions. */
function threeNodes() {
  const store = fresh();
  const s = () => store.getState();
  const trigger = s().addNode(m('trigger.event'), { x: 0, y: 0 }, { eventTypes: ['social.mention'] });
  const cond = s().addNode(m('filter.condition'), { x: 300, y: 0 });
  const reply = s().addNode(m('response.reply'), { x: 600, y: 0 }, { mode: 'reply', message: 'hi' });
  expect(s().connect({ source: trigger, sourceHandle: 'next', target: cond })).toEqual({ ok: true });
  expect(s().connect({ source: cond, sourceHandle: 'yes', target: reply })).toEqual({ ok: true });
  return { store, s, trigger, cond, reply };
}

describe('journey store', () => {
  it('adds nodes with readable unique ids, selects the new one, and connects ports into a document', () => {
    const { s, trigger, cond, reply } = threeNodes();
    expect([trigger, cond, reply]).toEqual(['event-1', 'condition-1', 'reply-1']);
    expect(s().nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['reply-1']);
    expect(s().nodes.map((n) => n.type)).toEqual(['trigger', 'filter', 'response']);
    const doc = s().document();
    expect(doc.edges).toEqual([{ from: 'event-1', port: 'next', to: 'condition-1' }, { from: 'condition-1', port: 'yes', to: 'reply-1' }]);
    expect(doc.nodes[2]).toMatchObject({ id: 'reply-1', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'hi' }, position: { x: 600, y: 0 } });
  });

  it('refuses a second edge from one port, edges into a trigger, self-loops and unknown ports', () => {
    const { s, trigger, cond, reply } = threeNodes();
    expect(s().connect({ source: cond, sourceHandle: 'yes', target: trigger })).toEqual({ ok: false, reason: 'into_trigger' });
    expect(s().connect({ source: trigger, sourceHandle: 'next', target: reply })).toEqual({ ok: false, reason: 'port_taken' });
    expect(s().connect({ source: reply, sourceHandle: 'sent', target: reply })).toEqual({ ok: false, reason: 'self' });
    expect(s().connect({ source: reply, sourceHandle: 'nope', target: cond })).toEqual({ ok: false, reason: 'unknown_port' });
    expect(s().connect({ source: cond, sourceHandle: 'no', target: reply })).toEqual({ ok: true });
    expect(s().edges).toHaveLength(3);
  });

  it('deletes the selection with its edges as one undo step, and redoes it', () => {
    const { s, cond } = threeNodes();
    s().selectOnly([cond]);
    s().deleteSelected();
    expect(s().nodes.map((n) => n.id)).toEqual(['event-1', 'reply-1']);
    expect(s().edges).toEqual([]);
    s().undo();
    expect(s().nodes.map((n) => n.id)).toEqual(['event-1', 'condition-1', 'reply-1']);
    expect(s().edges).toHaveLength(2);
    s().redo();
    expect(s().nodes.map((n) => n.id)).toEqual(['event-1', 'reply-1']);
    expect(s().future).toHaveLength(0);
  });

  it('undoes everything back to the empty journey and redoes it all', () => {
    const { s } = threeNodes();
    const full = s().document();
    while (s().past.length) s().undo();
    expect(s().document().nodes).toEqual([]);
    while (s().future.length) s().redo();
    expect(s().document()).toEqual(full);
  });

  it('keeps a burst of edits to one field as one undo step, and a new edit clears redo', () => {
    const { s, reply } = threeNodes();
    const before = s().past.length;
    for (const text of ['H', 'He', 'Hel', 'Hello']) s().updateConfig(reply, { mode: 'reply', message: text });
    expect(s().past.length).toBe(before + 1);
    s().undo();
    expect(s().nodes.find((n) => n.id === reply)!.data.config.message).toBe('hi');
    s().redo();
    expect(s().nodes.find((n) => n.id === reply)!.data.config.message).toBe('Hello');
    s().undo();
    s().setLabel(reply, 'Apology');
    expect(s().future).toEqual([]);
  });

  it('copies the selection with the edges inside it and pastes renamed, offset, selected copies', () => {
    const { s, cond, reply } = threeNodes();
    s().selectOnly([cond, reply]);
    s().copySelection();
    const pasted = s().paste({ x: 50, y: 50 });
    expect(pasted).toEqual(['condition-2', 'reply-2']);
    expect(s().nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(pasted);
    expect(s().nodes.find((n) => n.id === 'reply-2')!.position).toEqual({ x: 650, y: 50 });
    expect(s().document().edges).toContainEqual({ from: 'condition-2', port: 'yes', to: 'reply-2' });
    // The edge from the trigger was outside the selection: not copied.
    expect(s().document().edges.filter((e) => e.to === 'condition-2')).toEqual([]);
    expect(s().paste()).toEqual(['condition-3', 'reply-3']);
    s().undo();
    expect(s().nodes.map((n) => n.id)).not.toContain('condition-3');
  });

  it('lays the graph out left to right and counts changes for autosave (not selection)', () => {
    const { s } = threeNodes();
    const count = s().changeCount;
    s().selectOnly(['event-1']);
    expect(s().changeCount).toBe(count);
    s().autoLayout();
    expect(s().changeCount).toBe(count + 1);
    const x = Object.fromEntries(s().nodes.map((n) => [n.id, n.position.x]));
    expect(x['event-1']).toBeLessThan(x['condition-1']);
    expect(x['condition-1']).toBeLessThan(x['reply-1']);
  });

  it('checkpoints a node drag once, at its start', () => {
    const { s } = threeNodes();
    const before = s().past.length;
    s().onNodesChange([{ type: 'position', id: 'event-1', position: { x: 10, y: 10 }, dragging: true }]);
    s().onNodesChange([{ type: 'position', id: 'event-1', position: { x: 20, y: 20 }, dragging: true }]);
    s().onNodesChange([{ type: 'position', id: 'event-1', position: { x: 30, y: 30 }, dragging: false }]);
    expect(s().past.length).toBe(before + 1);
    s().undo();
    expect(s().nodes.find((n) => n.id === 'event-1')!.position).toEqual({ x: 0, y: 0 });
  });
});
