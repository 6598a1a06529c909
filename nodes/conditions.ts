/**
 * The rule builder shared by filters, triggers and goals: an any/all group of any/all groups of rules over
 * contact and event fields. Two levels cover what HubSpot- and Braze-style builders offer while keeping the
 * schema non-recursive (so the config type derives from it).
 */
import type { FromConfigSchema } from './contract';
import { lookup } from './message-template';

export const OPERATORS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte',
  'contains', 'not_contains', 'starts_with', 'ends_with',
  'in', 'not_in', 'includes', 'not_includes',
  'exists', 'not_exists', 'before', 'after', 'within_last_days',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const ruleSchema = {
  type: 'object',
  properties: {
    field: { type: 'string', minLength: 1, pattern: '^(contact|event|trigger)\\.[A-Za-z0-9_.]+$', title: 'Field' },
    op: { type: 'string', enum: OPERATORS, title: 'Operator' },
    value: { title: 'Value' },
  },
  required: ['field', 'op'],
  additionalProperties: false,
} as const;

export const conditionGroupSchema = {
  type: 'object',
  title: 'Conditions',
  properties: {
    match: { type: 'string', enum: ['all', 'any'], default: 'all' },
    groups: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          match: { type: 'string', enum: ['all', 'any'], default: 'all' },
          rules: { type: 'array', minItems: 1, items: ruleSchema },
        },
        required: ['rules'],
        additionalProperties: false,
      },
    },
  },
  required: ['groups'],
  additionalProperties: false,
} as const;

export type ConditionGroup = FromConfigSchema<typeof conditionGroupSchema>;
export type Rule = ConditionGroup['groups'][number]['rules'][number];
export interface RuleEvaluation { field: string; op: Operator; value?: unknown; actual: unknown; result: boolean }
export interface ConditionEvaluation { result: boolean; rules: RuleEvaluation[] }

const DAY_MS = 86_400_000;

function toTime(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function lower(v: unknown): string {
  return String(v ?? '').toLowerCase();
}

export function evaluateRule(rule: Rule, scope: Record<string, unknown>, now: Date): RuleEvaluation {
  const actual = lookup(scope, rule.field);
  const v = rule.value;
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  let result: boolean;
  switch (rule.op) {
    case 'eq': result = actual === v || (actual !== undefined && v !== undefined && lower(actual) === lower(v) && typeof actual === 'string'); break;
    case 'neq': result = !(actual === v || (typeof actual === 'string' && lower(actual) === lower(v))); break;
    case 'gt': result = Number(actual) > Number(v); break;
    case 'gte': result = Number(actual) >= Number(v); break;
    case 'lt': result = Number(actual) < Number(v); break;
    case 'lte': result = Number(actual) <= Number(v); break;
    case 'contains': result = actual !== undefined && lower(actual).includes(lower(v)); break;
    case 'not_contains': result = !lower(actual).includes(lower(v)); break;
    case 'starts_with': result = actual !== undefined && lower(actual).startsWith(lower(v)); break;
    case 'ends_with': result = actual !== undefined && lower(actual).endsWith(lower(v)); break;
    case 'in': result = list.some((x) => lower(x) === lower(actual)); break;
    case 'not_in': result = !list.some((x) => lower(x) === lower(actual)); break;
    case 'includes': result = Array.isArray(actual) && list.every((x) => actual.some((a) => lower(a) === lower(x))); break;
    case 'not_includes': result = !Array.isArray(actual) || !list.some((x) => actual.some((a) => lower(a) === lower(x))); break;
    case 'exists': result = actual !== undefined && actual !== null && actual !== ''; break;
    case 'not_exists': result = actual === undefined || actual === null || actual === ''; break;
    case 'before': { const a = toTime(actual), b = toTime(v); result = a !== undefined && b !== undefined && a < b; break; }
    case 'after': { const a = toTime(actual), b = toTime(v); result = a !== undefined && b !== undefined && a > b; break; }
    case 'within_last_days': { const a = toTime(actual); result = a !== undefined && now.getTime() - a <= Number(v) * DAY_MS && a <= now.getTime(); break; }
    default: result = false;
  }
  // NaN comparisons are false already; an absent field never satisfies a numeric comparison.
  if (actual === undefined && ['gt', 'gte', 'lt', 'lte'].includes(rule.op)) result = false;
  return { field: rule.field, op: rule.op, value: v, actual: actual === undefined ? null : actual, result };
}

export function evaluateConditions(cond: ConditionGroup, scope: Record<string, unknown>, now: Date): ConditionEvaluation {
  const rules: RuleEvaluation[] = [];
  const groupResults = cond.groups.map((g) => {
    const rs = g.rules.map((r) => evaluateRule(r, scope, now));
    rules.push(...rs);
    return (g.match ?? 'all') === 'all' ? rs.every((r) => r.result) : rs.some((r) => r.result);
  });
  const result = (cond.match ?? 'all') === 'all' ? groupResults.every(Boolean) : groupResults.some(Boolean);
  return { result, rules };
}
