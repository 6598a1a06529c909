import { describe, expect, it } from 'vitest';
import { createManifestRegistry } from '../../nodes/catalog';
import { validateJourney } from './validate-journey';

const registry = createManifestRegistry();
const trigger = { id: 't', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } };
const score = (id: string) => ({ id, type: 'scoring.points', version: 1, config: { score: 'lead', points: 1, reason: 'r' } });
const codes = (doc: unknown) => validateJourney(doc, registry).filter((i) => i.severity === 'error').map((i) => `${i.code}@${i.nodeId ?? ''}${i.path}`);

describe('validateJourney', () => {
  it('accepts a well-formed journey', () => {
    expect(codes({ nodes: [trigger, score('s')], edges: [{ from: 't', port: 'next', to: 's' }] })).toEqual([]);
  });

  it('refuses unknown time zones and broken cron schedules, in both UI languages (the editor runs this too)', () => {
    const broadcast = { id: 'b', type: 'trigger.scheduled-broadcast', version: 1, config: { cron: '0 0 30 2 *', timezone: 'Asia/Shangai', segment: 'vip' } };
    const wait = { id: 'w', type: 'flow.wait-until', version: 1, config: { days: [1], start: '09:00', end: '10:00', timezone: 'Mars/Olympus' } };
    const doc = { nodes: [broadcast, wait], edges: [{ from: 'b', port: 'next', to: 'w' }], settings: { quietHours: { start: '22:00', end: '08:00', timezone: 'Not/AZone' } } };
    expect(codes(doc)).toEqual(['invalid_document@/settings/quietHours/timezone']);
    delete (doc.settings as { quietHours?: unknown }).quietHours;
    const issues = validateJourney(doc, registry).filter((i) => i.severity === 'error');
    expect(issues.map((i) => `${i.nodeId}${i.path}`).sort()).toEqual(['b/config/cron', 'b/config/timezone', 'w/config/timezone']);
    expect(issues.find((i) => i.path === '/config/cron')!.i18n).toEqual({
      en: 'is not a valid cron schedule (e.g. "0 10 * * 1" = Mondays 10:00)', 'zh-CN': '不是有效的 cron 计划（例如 "0 10 * * 1" = 每周一 10:00）',
    });
    // Time zones Intl knows (aliases included) and "contact" where the node offers it.
    broadcast.config = { cron: '30 9 * * 1-5', timezone: 'US/Pacific', segment: 'vip' };
    wait.config.timezone = 'contact';
    expect(codes(doc)).toEqual([]);
  });

  it('warns before publish about message variables without a fallback (such messages are not sent), in both languages', () => {
    const reply = { id: 'r', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Sorry {{contact.profile.firstName}}, {{contact.profile.city | "friend"}}: {{event.text}} {{contact.id}}' } };
    const issues = validateJourney({ nodes: [trigger, reply], edges: [{ from: 't', port: 'next', to: 'r' }] }, registry);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(issues.filter((i) => i.code === 'variable_without_fallback')).toEqual([expect.objectContaining({
      severity: 'warning', nodeId: 'r', path: '/config/message',
      message: expect.stringContaining('{{contact.profile.firstName | "there"}}'), i18n: expect.objectContaining({ 'zh-CN': expect.stringContaining('没有默认值') }),
    })]);
  });

  it('warns about the fallback message\'s variables too (a template message\'s fields, an SMS text)', () => {
    const reply = {
      id: 'r', type: 'response.reply', version: 1, config: {
        mode: 'dm', message: 'Hi {{contact.profile.name | "there"}}',
        fallback: { mode: 'template', templateId: 'T1', templateData: { first: 'Dear {{contact.profile.name}}', remark: '{{contact.profile.city | "-"}}' }, text: 'Order {{contact.profile.order}}' },
      },
    };
    const warned = validateJourney({ nodes: [trigger, reply], edges: [{ from: 't', port: 'next', to: 'r' }] }, registry)
      .filter((i) => i.code === 'variable_without_fallback').map((i) => i.path).sort();
    expect(warned).toEqual(['/config/fallback/templateData/first', '/config/fallback/text']);
  });

  it('a node type named like an object property (toString, constructor) is an unknown type, not a crash', () => {
    for (const type of ['toString', 'constructor', 'hasOwnProperty']) {
      expect(codes({ nodes: [trigger, { id: 'x', type, version: 1, config: {} }], edges: [] })).toContain('unknown_node_type@x/type');
    }
  });

  it('names the node and the config field of an invalid config', () => {
    const bad = { ...score('s'), config: { score: 'lead', points: 'ten' } };
    expect(codes({ nodes: [trigger, bad], edges: [{ from: 't', port: 'next', to: 's' }] }).sort()).toEqual([
      'invalid_config@s/config/points', 'invalid_config@s/config/reason',
    ]);
  });

  it('requires a trigger, existing nodes and ports, and no edge into a trigger', () => {
    expect(codes({ nodes: [score('s')], edges: [] })).toEqual(['no_trigger@/nodes']);
    expect(codes({ nodes: [trigger, score('s')], edges: [{ from: 't', port: 'nope', to: 's' }, { from: 's', port: 'next', to: 'gone' }, { from: 's', port: 'next', to: 't' }] })).toEqual([
      'unknown_port@t/edges/0/port', 'dangling_edge@s/edges/1/to', 'edge_into_trigger@t/edges/2/to', 'cycle_without_wait@t/',
    ]);
  });

  it('rejects a loop without a wait and accepts one with a wait', () => {
    const loop = { nodes: [trigger, score('a'), score('b')], edges: [{ from: 't', port: 'next', to: 'a' }, { from: 'a', port: 'next', to: 'b' }, { from: 'b', port: 'next', to: 'a' }] };
    expect(codes(loop)).toEqual(['cycle_without_wait@a/']);
    const wait = { id: 'w', type: 'flow.wait', version: 1, config: { duration: { amount: 1, unit: 'days' } } };
    expect(codes({ nodes: [...loop.nodes, wait], edges: [{ from: 't', port: 'next', to: 'a' }, { from: 'a', port: 'next', to: 'w' }, { from: 'w', port: 'next', to: 'a' }] })).toEqual([]);
  });

  it('derives split ports from config and reports unknown types and versions', () => {
    const split = { id: 'x', type: 'flow.split', version: 1, config: { branches: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }] } };
    expect(codes({ nodes: [trigger, split, score('s')], edges: [{ from: 't', port: 'next', to: 'x' }, { from: 'x', port: 'b', to: 's' }] })).toEqual([]);
    expect(codes({ nodes: [trigger, split, score('s')], edges: [{ from: 't', port: 'next', to: 'x' }, { from: 'x', port: 'c', to: 's' }] })).toEqual(['unknown_port@x/edges/1/port']);
    expect(codes({ nodes: [trigger, { ...score('s'), version: 9 }, { id: 'q', type: 'nope', version: 1, config: {} }], edges: [] }).sort()).toEqual(['unknown_node_type@q/type', 'unknown_node_type@s/version']);
  });

  it('reports a malformed document by path, and unreachable nodes as warnings', () => {
    expect(codes({ nodes: [{ id: 'bad id!', type: 't', version: 1, config: {} }], edges: [] })).toEqual(['invalid_document@/nodes/0/id']);
    const issues = validateJourney({ nodes: [trigger, score('lonely')], edges: [] }, registry);
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'unreachable_node', nodeId: 'lonely' })]);
  });
});

describe('validateJourney: one edge per port', () => {
  it('flags a second edge on the same port', () => {
    const doc = { nodes: [trigger, score('a'), score('b')], edges: [{ from: 't', port: 'next', to: 'a' }, { from: 't', port: 'next', to: 'b' }] };
    expect(codes(doc)).toEqual(['port_connected_twice@t/edges/1/port']);
  });
});
