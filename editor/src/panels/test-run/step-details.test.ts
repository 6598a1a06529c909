import { describe, expect, it } from 'vitest';
import type { RunEvent, RunStep } from '../../api/types';
import {
  deliveryOf, effectSummaries, eventsSeen, fieldsOf, formatDuration, isSendPort, renderedMessages, ruleChecks, stepTimings, templatesOf,
} from './step-details';

const step = (seq: number, at: string, rest: Partial<RunStep> = {}): RunStep => ({ seq, nodeId: `n${seq}`, nodeType: 'x', outcome: 'done', port: 'next', at, ...rest });
const event = (id: string, type: string, occurredAt: string, trigger = false): RunEvent => ({ id, type, occurredAt, trigger });

describe('stepTimings and formatDuration', () => {
  it('times each step from the run start and from the step before', () => {
    const run = { startedAt: '2026-01-01T00:00:00.000Z', steps: [step(1, '2026-01-01T00:00:00.120Z'), step(2, '2026-01-01T00:00:00.125Z'), step(3, '2026-01-04T00:00:00.125Z')] };
    expect(stepTimings(run)).toEqual([{ offsetMs: 120, durationMs: 120 }, { offsetMs: 125, durationMs: 5 }, { offsetMs: 3 * 86_400_000 + 125, durationMs: 3 * 86_400_000 }]);
  });

  it('says a span in the unit a person reads it in', () => {
    expect([5, 2400, 42_000, 185_000, 3_900_000, 3 * 86_400_000 + 7_200_000].map(formatDuration)).toEqual(['5 ms', '2.4 s', '42 s', '3 min 5 s', '1 h 5 min', '3 d 2 h']);
  });
});

describe('eventsSeen', () => {
  it('hands the event a wait received to the steps after it', () => {
    const run = {
      events: [event('t', 'social.mention', '2026-01-01T00:00:00Z', true), event('other', 'social.follow', '2026-01-01T00:01:00Z'), event('r', 'social.dm', '2026-01-01T00:02:00Z')],
      steps: [step(1, '2026-01-01T00:00:01Z'), step(2, '2026-01-01T00:03:00Z', { nodeId: 'w', nodeType: 'flow.wait-for-event', port: 'received' }), step(3, '2026-01-01T00:03:01Z')],
    };
    const seen = eventsSeen(run, (id) => (id === 'w' ? ['social.dm'] : undefined));
    expect(seen.map((s) => [s.input?.id, s.received?.id])).toEqual([['t', undefined], ['t', 'r'], ['r', undefined]]);
  });

  it('has no input for a run whose view carries no events (a contact trace)', () => {
    expect(eventsSeen({ steps: [step(1, '2026-01-01T00:00:01Z')] }, () => undefined)).toEqual([{ input: undefined }]);
  });
});

describe('deliveryOf and isSendPort', () => {
  it('tells a dry run and a recording without a channel from a real send', () => {
    expect(deliveryOf({ port: 'sent', output: { status: 'sent', providerId: 'dry-run' } })).toBe('dry-run');
    expect(deliveryOf({ port: 'sent', output: { providerId: 'recorded:ws|k' } })).toBe('recorded');
    expect(deliveryOf({ port: 'sent', output: { providerId: 'wx-123' } })).toBe('sent');
    expect(deliveryOf({ port: 'skipped', output: { reason: 'no_consent' } })).toBeNull();
  });

  it('counts only the sent port of response nodes as messages', () => {
    expect(isSendPort('response', 'sent')).toBe(true);
    expect(isSendPort('response', 'skipped')).toBe(false);
    expect(isSendPort('filter', 'sent')).toBe(false);
  });
});

describe('fieldsOf', () => {
  it('turns a record into labelled rows, nested records into nested rows and plain lists into one line', () => {
    expect(fieldsOf({ score: 'lead', before: 0, hits: ['bad', 'slow'], wanted: { label: 'negative' }, gone: undefined, rules: [{ a: 1 }] }, ['score'])).toEqual([
      { key: 'before', value: 0 },
      { key: 'hits', value: 'bad, slow' },
      { key: 'wanted', value: [{ key: 'label', value: 'negative' }] },
      { key: 'rules', value: [{ key: '1', value: [{ key: 'a', value: 1 }] }] },
    ]);
    expect(fieldsOf(undefined)).toEqual([]);
    expect(fieldsOf('text')).toEqual([{ key: '', value: 'text' }]);
  });
});

describe('effectSummaries and ruleChecks', () => {
  it('reads points, tags, segments and fields from the step effects', () => {
    expect(effectSummaries({
      effects: [
        { key: 'k0', kind: 'score', type: 'score.changed', data: { score: 'lead', delta: 10, reason: 'asked for help' } },
        { key: 'k1', kind: 'update', type: 'contact.tags', data: { add: ['vip'], remove: [] } },
        { key: 'k2', kind: 'update', type: 'contact.updated', data: { set: { tier: 'gold' } } },
        { key: 'k3', kind: 'update', type: 'contact.segments', data: { add: [], remove: ['trial'] } },
      ],
    })).toEqual([
      { kind: 'points', score: 'lead', delta: 10, reason: 'asked for help' },
      { kind: 'tags', add: ['vip'], remove: [] },
      { kind: 'fields', set: { tier: 'gold' } },
      { kind: 'segments', add: [], remove: ['trial'] },
    ]);
  });

  it('recognises a condition evaluation and nothing else', () => {
    const evaluation = { result: false, rules: [{ field: 'event.text', op: 'contains', value: 'help', actual: 'hello', result: false }] };
    expect(ruleChecks(evaluation)).toEqual(evaluation);
    expect(ruleChecks({ channel: 'weibo', result: true })).toBeNull();
    expect(ruleChecks(undefined)).toBeNull();
  });
});

describe('templatesOf and renderedMessages', () => {
  const schema = { properties: { mode: { type: 'string' }, message: { type: 'string', 'x-widget': 'template' } } };
  it('splits the recorded text by the node template and keeps the text when it no longer matches', () => {
    const templates = templatesOf(schema, { mode: 'dm', message: 'Hi {{contact.profile.name}}!' });
    expect(templates).toEqual(['Hi {{contact.profile.name}}!']);
    const missing = { output: { text: 'Hi !', status: 'skipped', reason: 'unresolved_variables', unresolved: ['contact.profile.name'] } };
    expect(renderedMessages(missing, templates)).toEqual([{ key: 'text', text: 'Hi !', parts: [{ kind: 'text', text: 'Hi ' }, { kind: 'missing', path: 'contact.profile.name' }, { kind: 'text', text: '!' }] }]);
    expect(renderedMessages({ output: { text: 'Something else' } }, templates)).toEqual([{ key: 'text', text: 'Something else', parts: null }]);
    expect(renderedMessages({ output: { status: 'sent' } }, templates)).toEqual([]);
  });
});
