/**
 * The shape of a trigger's own matching logic (its folder's match.ts). The dispatcher (./match.ts) runs the checks
 * every trigger shares first; a matcher only says what its config adds.
 */
import type { ContactEvent, NodeManifest } from '../../contract';
import { matchKeywords } from '../../text/analyze';

export type TriggerConfig = Record<string, unknown>;

export interface TriggerMatchInput {
  node: { id: string; type: string; config: unknown };
  /** The node's config, `{}` when unset. Read defensively: stored configs predate schema changes. */
  cfg: TriggerConfig;
  event: ContactEvent;
  /** `event.data`, `{}` when unset. */
  data: TriggerConfig;
  journeyId?: string;
}

export interface TriggerMatcher {
  type: string;
  /** The event types the trigger listens to when its config names none. */
  eventTypes: string[];
  accepts(input: TriggerMatchInput): boolean;
}

export function defineTriggerMatcher(manifest: Pick<NodeManifest<any>, 'type' | 'triggerEventTypes'>, accepts: TriggerMatcher['accepts']): TriggerMatcher {
  return { type: manifest.type, eventTypes: manifest.triggerEventTypes ?? [], accepts };
}

/** A config or data value as a list of strings; anything but an array is an empty list. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The shared `keywords` field (./fields.ts): unset or empty accepts every text. */
export function textHasKeywords(cfg: TriggerConfig, event: ContactEvent): boolean {
  const kws = strings(cfg.keywords);
  return !kws.length || matchKeywords(event.text ?? '', kws).matched;
}
