/**
 * What a test run's event looks like by default: the journey's first trigger decides it, so "Start test run"
 * works without the marketer knowing the event names the trigger listens to.
 */
import type { NodeRegistry } from '../../../../nodes/registry';

export interface TriggerDefaults {
  /** Event types the trigger starts on, the first one being the default. */
  eventTypes: string[];
  /** Channels the trigger is restricted to (empty: any channel). */
  channels: string[];
}

interface NodeLike { data: { nodeType: string; version: number; config: Record<string, unknown> } }

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

export function triggerDefaults(nodes: readonly NodeLike[], registry: Pick<NodeRegistry, 'get'>): TriggerDefaults {
  for (const n of nodes) {
    const manifest = registry.get(n.data.nodeType, n.data.version);
    if (manifest?.category !== 'trigger') continue;
    // A generic trigger names its types in its config; the specialised ones (mention, DM…) in their manifest.
    const configured = strings(n.data.config.eventTypes);
    return { eventTypes: configured.length ? configured : [...(manifest.triggerEventTypes ?? [])], channels: strings(n.data.config.channels) };
  }
  return { eventTypes: [], channels: [] };
}

/** The identity of a picked contact to test with: one on a channel the trigger accepts, if it has one. */
export function identityFor(contact: { identities: { channel: string; handle: string }[] }, channels: string[]): { channel: string; handle: string } | undefined {
  return (channels.length ? contact.identities.find((i) => channels.includes(i.channel)) : undefined) ?? contact.identities[0];
}
