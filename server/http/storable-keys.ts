/**
 * Kept for existing callers: the check now lives in ./storable.ts (NUL characters, field names, depth, size,
 * field count), which every request body passes (./input-guards.ts). New code calls `assertStorable` there.
 */
import type { FieldError } from '../../nodes/ajv';
import { storableProblem } from '../../core/storable';

/** The first reason `value` cannot be stored (field names, NUL characters, nesting), without size limits. */
export function unstorableKey(value: unknown, path = ''): FieldError | undefined {
  return storableProblem(value, { maxDepth: 64, maxBytes: Infinity, maxKeys: Infinity }, path);
}
