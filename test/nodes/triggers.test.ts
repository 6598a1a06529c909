import { describe, expect, it } from 'vitest';
import { crisisDetectorKey, triggerAccepts } from '../../nodes/builtin/triggers/match';
import { testEvent } from '../../nodes/harness';
import { NodeRegistry } from '../../nodes/registry';
import { TRIGGER_MANIFESTS } from '../../nodes/builtin/triggers/manifests';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger matching', () => {
  it('listens to its default event types', () => {
    expect(triggerAccepts(node('trigger.social-mention', {}), testEvent({ type: 'social.comment' }))).toBe(true);
    expect(triggerAccepts(node('trigger.social-mention', {}), testEvent({ type: 'social.dm' }))).toBe(false);
    expect(triggerAccepts(node('trigger.direct-message', { keywords: ['退款'] }), testEvent({ type: 'social.dm', text: '我要退款' }))).toBe(true);
    expect(triggerAccepts(node('trigger.direct-message', { keywords: ['退款'] }), testEvent({ type: 'social.dm', text: 'hello' }))).toBe(false);
  });

  it('fires the score trigger only when the threshold is crossed in its direction', () => {
    const up = node('trigger.score-threshold', { score: 'lead', threshold: 50 });
    const ev = (before: number, after: number) => testEvent({ type: 'score.changed', data: { score: 'lead', before, after } });
    expect(triggerAccepts(up, ev(45, 55))).toBe(true);
    expect(triggerAccepts(up, ev(55, 60))).toBe(false);
    expect(triggerAccepts(up, ev(10, 20))).toBe(false);
    expect(triggerAccepts(node('trigger.score-threshold', { score: 'lead', threshold: 50, direction: 'down' }), ev(55, 40))).toBe(true);
  });

  it('matches tags, segments, forms, fields, SLA priorities, broadcasts and crisis detectors by config', () => {
    expect(triggerAccepts(node('trigger.tag-added', { tags: ['vip'] }), testEvent({ type: 'tag.added', data: { tag: 'vip' } }))).toBe(true);
    expect(triggerAccepts(node('trigger.tag-added', { tags: ['vip'] }), testEvent({ type: 'tag.added', data: { tag: 'fan' } }))).toBe(false);
    expect(triggerAccepts(node('trigger.segment-entered', { segments: ['vip'] }), testEvent({ type: 'segment.entered', data: { segment: 'vip' } }))).toBe(true);
    expect(triggerAccepts(node('trigger.form-submitted', { formIds: ['signup'] }), testEvent({ type: 'form.submitted', data: { formId: 'contact' } }))).toBe(false);
    expect(triggerAccepts(node('trigger.contact-updated', { fields: ['city'] }), testEvent({ type: 'contact.updated', data: { fields: ['city'] } }))).toBe(true);
    expect(triggerAccepts(node('trigger.sla-breached', { priorities: ['urgent'] }), testEvent({ type: 'ticket.sla_breached', data: { priority: 'low' } }))).toBe(false);
    expect(triggerAccepts(node('trigger.scheduled-broadcast', { cron: '0 10 * * 1', segment: 'vip' }), testEvent({ type: 'broadcast.due', data: { journeyId: 'j', nodeId: 't' } }), 'j')).toBe(true);
    expect(triggerAccepts(node('trigger.scheduled-broadcast', { cron: '0 10 * * 1', segment: 'vip' }), testEvent({ type: 'broadcast.due', data: { journeyId: 'other', nodeId: 't' } }), 'j')).toBe(false);
    const crisis = { topic: 'battery', keywords: ['电池'] };
    expect(triggerAccepts(node('trigger.crisis-detected', crisis), testEvent({ type: 'crisis.detected', channel: 'system', data: { detector: crisisDetectorKey(crisis) } }))).toBe(true);
    expect(triggerAccepts(node('trigger.crisis-detected', { topic: 'other' }), testEvent({ type: 'crisis.detected', channel: 'system', data: { detector: crisisDetectorKey(crisis) } }))).toBe(false);
  });

  it('every trigger manifest validates its documented example config', () => {
    const r = new NodeRegistry(TRIGGER_MANIFESTS);
    expect(r.validateConfig('trigger.scheduled-broadcast', 1, { cron: '0 10 * * 1', timezone: 'Asia/Shanghai', segment: 'vip', batchSize: 200 })).toEqual([]);
    expect(r.validateConfig('trigger.crisis-detected', 1, { topic: 'battery', factor: 3, windowMinutes: 15 })).toEqual([]);
    expect(r.validateConfig('trigger.score-threshold', 1, { score: 'lead' })[0].path).toBe('/threshold');
  });
});
