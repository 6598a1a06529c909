import { zh } from './i18n';

export const scoreNameSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', title: 'Score', ...zh('分数名称') } as const;

/** Scores are kept to two decimals so decayed values stay readable on the timeline. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
