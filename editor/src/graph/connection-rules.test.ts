import { describe, expect, it } from 'vitest';
import { BUILTIN_MANIFESTS } from '../../../nodes/manifests';
import { portsOf } from '../../../nodes/ports';
import { NodeRegistry } from '../../../nodes/registry';
import { validateJourney } from '../../../workflows/model/validate-journey';
import { createJourneyStore } from './journey-store';

const registry = new NodeRegistry(BUILTIN_MANIFESTS);
const split = registry.latest('flow.split')!;

describe('ports', () => {
  it('a split has one port per configured branch, labelled from the config', () => {
    expect(portsOf(split, {})).toEqual([]);
    const ports = portsOf(split, { branches: [{ id: 'a', label: 'Variant A', weight: 1 }, { id: 'b', weight: 1 }, { id: '', weight: 1 }] });
    expect(ports).toEqual([
      { id: 'a', label: { en: 'Variant A', 'zh-CN': 'Variant A' } },
      { id: 'b', label: { en: 'b', 'zh-CN': 'b' } },
    ]);
  });

  it('the canvas accepts edges only from ports the config declares, and validation flags an edge whose port was removed', () => {
    const store = createJourneyStore(registry, { name: 'AB', nodes: [], edges: [] });
    const s = store.getState;
    const trigger = s().addNode(registry.latest('trigger.event')!, { x: 0, y: 0 }, { eventTypes: ['form.submitted'] });
    const ab = s().addNode(split, { x: 300, y: 0 }, { branches: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }] });
    const end = s().addNode(registry.latest('flow.end')!, { x: 600, y: 0 });
    expect(s().connect({ source: trigger, sourceHandle: 'next', target: ab }).ok).toBe(true);
    expect(s().connect({ source: ab, sourceHandle: 'c', target: end })).toEqual({ ok: false, reason: 'unknown_port' });
    expect(s().connect({ source: ab, sourceHandle: 'b', target: end }).ok).toBe(true);
    expect(validateJourney(s().document(), registry).filter((i) => i.severity === 'error')).toEqual([]);

    s().updateConfig(ab, { branches: [{ id: 'a', weight: 1 }, { id: 'c', weight: 1 }] });
    const issues = validateJourney(s().document(), registry);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_port', nodeId: ab, severity: 'error' }));
  });
});
