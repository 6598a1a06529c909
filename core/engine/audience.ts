/**
 * How many contacts a draft's triggers would reach, before it is published: for a trigger that names a segment (a
 * config field with the `segment` picker: segment entered, scheduled broadcast) the segment's members; for an
 * event trigger the distinct contacts that sent an event it accepts in the last AUDIENCE_WINDOW_DAYS days, judged
 * by the same matcher ingestion enrolls with (event type, channels, the trigger's match.ts, its conditions on the
 * contact). Bounded: the newest AUDIENCE_SAMPLE events of each type (interactions index `workspaceId, kind, type,
 * occurredAt`) and at most SEGMENT_COUNT_CAP members; a count that hit a bound is a floor (`capped`).
 * Test contacts are never counted.
 */
import type { ContactEvent, NodeManifest } from '../../nodes/contract';
import type { NodeRegistry } from '../../nodes/registry';
import { compileJourney } from '../../workflows/model/compile-journey';
import type { JourneyGraph } from '../../workflows/model/journey-schema';
import { matchingTrigger } from './ingest';
import { REAL_CONTACTS } from '../store/contacts';
import type { Store } from '../store/db';
import type { ContactDoc, InteractionDoc } from '../store/documents';

export const AUDIENCE_WINDOW_DAYS = 30;
/** Newest events read per event type of a trigger. */
export const AUDIENCE_SAMPLE = 5000;
export const SEGMENT_COUNT_CAP = 100_000;
const CONTACT_BATCH = 500;

export type AudienceBasis = 'segment' | 'events' | 'none';

export interface TriggerAudience {
  nodeId: string;
  nodeType: string;
  basis: AudienceBasis;
  segments: string[];
  eventTypes: string[];
  /** null: nothing to count from (no segment chosen, a trigger with no event types, an unknown node type). */
  count: number | null;
  /** The count reached a bound: at least this many. */
  capped: boolean;
}

type Node = JourneyGraph['nodes'][number];

const widget = (p: unknown): unknown => (p && typeof p === 'object' && 'x-widget' in p ? p['x-widget'] : undefined);

/** The names of the trigger's segment-picker fields (`x-widget: segment`, a name or a list of names). */
function segmentFields(manifest: NodeManifest<any>): string[] {
  const props: Record<string, unknown> = manifest.configSchema.properties ?? {};
  return Object.entries(props)
    .filter(([, p]) => widget(p) === 'segment' || (!!p && typeof p === 'object' && 'items' in p && widget(p.items) === 'segment'))
    .map(([k]) => k);
}

const asNames = (v: unknown): string[] => (typeof v === 'string' && v ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !!x) : []);

async function segmentAudience(s: Store, workspaceId: string, segments: string[]): Promise<{ count: number; capped: boolean }> {
  const count = await s.contacts.countDocuments({ workspaceId, segments: segments.length === 1 ? segments[0] : { $in: segments }, ...REAL_CONTACTS }, { limit: SEGMENT_COUNT_CAP });
  return { count, capped: count >= SEGMENT_COUNT_CAP };
}

const eventOf = (i: InteractionDoc): ContactEvent => ({
  id: i.eventId ?? i._id, type: i.type, channel: i.channel ?? '', handle: i.handle ?? '', occurredAt: i.occurredAt.toISOString(),
  ...(i.text !== undefined ? { text: i.text } : {}), ...(i.threadId !== undefined ? { threadId: i.threadId } : {}), ...(i.data !== undefined ? { data: i.data } : {}),
});

async function eventAudience(s: Store, registry: NodeRegistry, ids: { workspaceId: string; journeyId: string }, node: Node, eventTypes: string[], now: Date, limit: number) {
  const { workspaceId } = ids;
  const since = new Date(now.getTime() - AUDIENCE_WINDOW_DAYS * 86_400_000);
  const perType = await Promise.all(eventTypes.map((type) => s.interactions.find(
    { workspaceId, kind: 'event', type, occurredAt: { $gte: since } },
    { projection: { _id: 1, contactId: 1, eventId: 1, type: 1, channel: 1, handle: 1, text: 1, threadId: 1, data: 1, occurredAt: 1 } },
  ).sort({ occurredAt: -1 }).limit(limit).toArray()));
  let capped = perType.some((rows) => rows.length >= limit);
  let sample = perType.flat();
  if (sample.length > limit) {
    sample = sample.sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime()).slice(0, limit);
    capped = true;
  }
  // The trigger alone, compiled as ingestion sees it, judges each event with its contact.
  const journey = compileJourney({ nodes: [node], edges: [] }, registry, { ...ids, version: 0 });
  const contactIds = [...new Set(sample.map((i) => i.contactId))];
  const contacts = new Map<string, ContactDoc>();
  for (let i = 0; i < contactIds.length; i += CONTACT_BATCH) {
    const batch = await s.contacts.find({ workspaceId, _id: { $in: contactIds.slice(i, i + CONTACT_BATCH) }, ...REAL_CONTACTS }, { projection: { appliedEffects: 0 } }).toArray();
    for (const c of batch) contacts.set(c._id, c);
  }
  const reached = new Set<string>();
  for (const i of sample) {
    const contact = contacts.get(i.contactId);
    if (!contact || contact.erasedAt || reached.has(contact._id)) continue;
    if (matchingTrigger(journey, eventOf(i), contact, now)) reached.add(contact._id);
  }
  return { count: reached.size, capped };
}

/** Each trigger of the graph with its estimated audience, in the graph's order. */
export async function estimateAudience(
  s: Store, registry: NodeRegistry, ids: { workspaceId: string; journeyId: string }, graph: Pick<JourneyGraph, 'nodes'>,
  opts: { now?: Date; sample?: number } = {},
): Promise<TriggerAudience[]> {
  const now = opts.now ?? new Date();
  const out: TriggerAudience[] = [];
  for (const node of graph.nodes) {
    const manifest = registry.get(node.type, node.version);
    if (manifest?.category !== 'trigger') continue;
    const cfg: Record<string, unknown> = node.config ?? {};
    const base = { nodeId: node.id, nodeType: node.type, segments: [] as string[], eventTypes: [] as string[] };
    const fields = segmentFields(manifest);
    if (fields.length) {
      const segments = [...new Set(fields.flatMap((f) => asNames(cfg[f])))];
      out.push(segments.length
        ? { ...base, basis: 'segment', segments, ...(await segmentAudience(s, ids.workspaceId, segments)) }
        : { ...base, basis: 'segment', count: null, capped: false });
      continue;
    }
    const eventTypes = [...new Set(asNames(cfg.eventTypes).length ? asNames(cfg.eventTypes) : manifest.triggerEventTypes ?? [])];
    if (!eventTypes.length) { out.push({ ...base, basis: 'none', count: null, capped: false }); continue; }
    out.push({ ...base, basis: 'events', eventTypes, ...(await eventAudience(s, registry, ids, node, eventTypes, now, opts.sample ?? AUDIENCE_SAMPLE)) });
  }
  return out;
}
