/**
 * Whether a trigger node accepts an event: the event type and channel checks every trigger shares, then the
 * trigger's own matcher (its folder's match.ts, looked up by type). Triggers have no runtime: ingestion enrolls a
 * contact when this accepts the event. Engine-made events (contact.created, tag.added, score.changed,
 * segment.entered, broadcast.due, crisis.detected, ticket.sla_breached) come through the same ingestion with
 * deterministic ids, so they enroll exactly like social events. Pure: ingestion calls it with the event and the
 * contact view. Ingestion and the crisis detector (core/store/crisis.ts) import from this path, hence the
 * re-export of the crisis trigger's helpers.
 */
import type { ContactEvent } from '../../contract';
import { TRIGGER_MATCHERS } from '../../trigger-matchers.generated';
import { strings, type TriggerConfig } from './matcher';

export { crisisDetectorKey, crisisSettings, type CrisisSettings } from '../trigger-crisis-detected/match';

const MATCHERS = new Map(TRIGGER_MATCHERS.map((m) => [m.type, m]));

export function triggerAccepts(node: { id: string; type: string; config: unknown }, event: ContactEvent, journeyId?: string): boolean {
  const matcher = MATCHERS.get(node.type);
  if (!matcher) return true; // trigger.event and custom triggers: the generic checks decide
  const cfg = (node.config ?? {}) as TriggerConfig;
  if (!cfg.eventTypes && !matcher.eventTypes.includes(event.type)) return false;
  const chans = strings(cfg.channels);
  if (chans.length && !chans.includes(event.channel)) return false;
  return matcher.accepts({ node, cfg, event, data: (event.data ?? {}) as TriggerConfig, journeyId });
}
