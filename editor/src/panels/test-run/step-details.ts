/**
 * What the step inspector shows of a run, worked out from the run's view alone (no React): when each step happened
 * and how long it took, which event each step saw, whether a message really went out, and a step's recorded
 * values as labelled fields.
 */
import type { EnrollmentView, RunEvent, RunStep } from '../../api/types';
import { messageParts, type MessagePart } from './message-parts';

export interface StepTiming {
  /** Since the run started. */
  offsetMs: number;
  /** Since the step before (the run's start for the first): for a finished wait, how long it waited. */
  durationMs: number;
}

export function stepTimings(run: Pick<EnrollmentView, 'startedAt' | 'steps'>): StepTiming[] {
  const start = Date.parse(run.startedAt);
  let before = start;
  return run.steps.map((s) => {
    const at = Date.parse(s.at);
    const timing = { offsetMs: Math.max(0, at - start), durationMs: Math.max(0, at - before) };
    before = at;
    return timing;
  });
}

/** "840 ms", "2.4 s", "3 min 5 s", "3 d 2 h": the unit a person would read the span in. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} h` : ''}`;
}

const WAIT_FOR_EVENT = 'flow.wait-for-event';

/**
 * The event each step ran on: the trigger, until a wait for an event receives one, which the steps after it see
 * (as the interpreter hands it on). The received event is the latest of the awaited types before the wait ended.
 */
export function eventsSeen(run: Pick<EnrollmentView, 'steps' | 'events'>, awaitedTypes: (nodeId: string) => string[] | undefined): { input?: RunEvent; received?: RunEvent }[] {
  const events = run.events ?? [];
  let current = events.find((e) => e.trigger);
  return run.steps.map((s) => {
    const input = current;
    if (s.nodeType !== WAIT_FOR_EVENT || s.port !== 'received') return { input };
    const types = awaitedTypes(s.nodeId);
    const at = Date.parse(s.at);
    const received = events.findLast((e) => !e.trigger && Date.parse(e.occurredAt) <= at && (!types?.length || types.includes(e.type)));
    if (received) current = received;
    return { input, received };
  });
}

/** How a message step's send ended: only `sent` reached a person. */
export type Delivery = 'sent' | 'dry-run' | 'recorded';

export function deliveryOf(step: Pick<RunStep, 'port' | 'output'>): Delivery | null {
  if (step.port !== 'sent') return null;
  const o = step.output ?? {};
  if (o.dryRun === true || o.providerId === 'dry-run') return 'dry-run';
  // No channel connected: the outbox recorded it and nothing left (core/channels/channel-adapter.ts).
  if (typeof o.providerId === 'string' && o.providerId.startsWith('recorded:')) return 'recorded';
  return 'sent';
}

/** A port through which messages leave: in a dry run it counts messages recorded, not sent. */
export function isSendPort(category: string | undefined, portId: string): boolean {
  return category === 'response' && portId === 'sent';
}

export function unresolvedOf(step: Pick<RunStep, 'output'>): string[] {
  const u = step.output?.unresolved;
  return Array.isArray(u) ? u.filter((x): x is string => typeof x === 'string') : [];
}

/** A recorded value as a labelled row; nested objects become nested rows, so nothing is shown as JSON. */
export interface Field { key: string; value: string | number | boolean | null | Field[] }

export function fieldsOf(value: unknown, omit: readonly string[] = []): Field[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value === undefined ? [] : [{ key: '', value: leaf(value) }];
  return Object.entries(value as Record<string, unknown>)
    .filter(([k, v]) => v !== undefined && !omit.includes(k))
    .map(([key, v]) => ({ key, value: leaf(v) }));
}

function leaf(v: unknown): Field['value'] {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    // A list of plain values reads as one line; a list of records as numbered groups.
    if (v.every((x) => x === null || typeof x !== 'object')) return v.map((x) => String(x)).join(', ');
    return v.map((x, i) => ({ key: String(i + 1), value: leaf(x) }));
  }
  return fieldsOf(v);
}

/** One contact change a step made, in the words of the inspector (points, tags, fields, segments). */
export type EffectSummary =
  | { kind: 'points'; score: string; delta: number; reason?: string }
  | { kind: 'tags' | 'segments'; add: string[]; remove: string[] }
  | { kind: 'fields'; set: Record<string, unknown> };

export function effectSummaries(step: Pick<RunStep, 'effects'>): EffectSummary[] {
  return (step.effects ?? []).flatMap((e): EffectSummary[] => {
    const d = e.data ?? {};
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
    switch (e.type) {
      case 'score.changed': return [{ kind: 'points', score: String(d.score), delta: Number(d.delta), ...(typeof d.reason === 'string' ? { reason: d.reason } : {}) }];
      case 'contact.tags': return [{ kind: 'tags', add: list(d.add), remove: list(d.remove) }];
      case 'contact.segments': return [{ kind: 'segments', add: list(d.add), remove: list(d.remove) }];
      case 'contact.updated': return d.set && typeof d.set === 'object' ? [{ kind: 'fields', set: d.set as Record<string, unknown> }] : [];
      default: return [];
    }
  });
}

/** A filter's condition check as recorded by nodes/conditions.ts: each rule with the value it found. */
export interface RuleCheck { field: string; op: string; value?: unknown; actual: unknown; result: boolean }

export function ruleChecks(evaluated: unknown): { result: boolean; rules: RuleCheck[] } | null {
  if (!evaluated || typeof evaluated !== 'object') return null;
  const e = evaluated as { result?: unknown; rules?: unknown };
  if (typeof e.result !== 'boolean' || !Array.isArray(e.rules)) return null;
  const rules = e.rules.filter((r): r is RuleCheck => !!r && typeof r === 'object' && typeof (r as RuleCheck).field === 'string' && typeof (r as RuleCheck).op === 'string');
  return { result: e.result, rules };
}

/** The node's message templates (the config fields edited with the template widget). */
export function templatesOf(schema: unknown, config: Record<string, unknown> | undefined): string[] {
  const props = (schema as { properties?: Record<string, { 'x-widget'?: string }> } | undefined)?.properties ?? {};
  return Object.entries(props).flatMap(([k, p]) => (p['x-widget'] === 'template' && typeof config?.[k] === 'string' ? [config[k] as string] : []));
}

export interface RenderedMessage { key: string; text: string; parts: MessagePart[] | null }

/** The message texts a step recorded (`subject`, `text`), each split into parts by the template it came from. */
export function renderedMessages(step: Pick<RunStep, 'output'>, templates: string[]): RenderedMessage[] {
  const unresolved = unresolvedOf(step);
  return MESSAGE_KEYS.flatMap((key) => {
    const text = step.output?.[key];
    if (typeof text !== 'string') return [];
    const parts = templates.map((tpl) => messageParts(tpl, text, unresolved)).find((p) => p !== null) ?? null;
    return [{ key, text, parts }];
  });
}

export const MESSAGE_KEYS = ['subject', 'text'];
