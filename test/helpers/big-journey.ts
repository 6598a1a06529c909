/** A large journey for the editor's benchmark and tests: what 300 nodes look like to the canvas. */
import { BUILTIN_MANIFESTS } from '../../nodes/manifests';
import { NodeRegistry } from '../../nodes/registry';
import { portsOf } from '../../nodes/ports';
import { validateJourney } from '../../workflows/model/validate-journey';

/** A journey of `n` nodes: one trigger, then conditions, tickets, points, replies and waits, chained, on a grid. */
export function bigJourney(n: number) {
  const registry = new NodeRegistry(BUILTIN_MANIFESTS);
  const kinds: { type: string; config: Record<string, unknown> }[] = [
    { type: 'filter.condition', config: { conditions: { match: 'all', groups: [{ match: 'all', rules: [{ field: 'event.text', op: 'contains', value: 'help' }] }] } } },
    { type: 'response.ticket', config: { title: 'Help for {{contact.profile.name}}', assignee: 'care-team', slaMinutes: 60, priority: 'normal' } },
    { type: 'scoring.points', config: { score: 'lead', points: 5, reason: 'step' } },
    { type: 'response.reply', config: { mode: 'reply', message: 'Thanks {{contact.profile.name}}!' } },
    { type: 'flow.wait', config: { duration: { amount: 1, unit: 'days' } } },
  ];
  const cols = 20;
  const pos = (i: number) => ({ x: (i % cols) * 320, y: Math.floor(i / cols) * 200 });
  const nodes = [{ id: 'n0', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] }, position: pos(0) }];
  for (let i = 1; i < n; i++) {
    const k = kinds[(i - 1) % kinds.length];
    nodes.push({ id: `n${i}`, type: k.type, version: 1, config: structuredClone(k.config) as never, position: pos(i) });
  }
  const edges = nodes.slice(0, -1).map((node, i) => {
    const m = registry.get(node.type, 1)!;
    return { from: node.id, port: portsOf(m, node.config).at(0)!.id, to: nodes[i + 1].id };
  });
  const doc = { name: `Bench ${n} nodes`, nodes, edges };
  const errors = validateJourney(doc, registry).filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(`bench journey is invalid: ${JSON.stringify(errors.slice(0, 3))}`);
  return doc;
}

