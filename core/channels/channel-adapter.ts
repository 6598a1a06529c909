import type { OutboundMessage } from '../../nodes/contract';

/** A contact's public profile as a platform describes it. */
export interface PlatformProfile {
  handle: string;
  name?: string;
  avatarUrl?: string;
  followers?: number;
  [field: string]: unknown;
}

/**
 * One social platform (or email, SMS…): how Journeys talks to it. Platform-specific adapters implement it.
 * `send` dispatches by `message.kind` (reply → public reply on `inReplyTo`, dm → direct message, email…).
 */
export interface ChannelAdapter {
  /** Channel names this adapter serves, e.g. ['weibo']; '*' serves channels no other adapter claims. */
  channels: string[];
  /** Delivers the message. `idempotencyKey` is stable across retries: pass it on when the platform supports it. */
  send(message: OutboundMessage, idempotencyKey: string): Promise<{ providerId: string; replayed?: boolean }>;
  /**
   * The send is one write to our own store keyed by `idempotencyKey` (the built-in helpdesk): a retried send finds
   * what the first one wrote, so no outbox row is written around it. It then reports `replayed` itself.
   */
  keyedWrite?: boolean;
  /** The public profile behind a handle, when the platform offers one. */
  fetchProfile?(workspaceId: string, channel: string, handle: string): Promise<PlatformProfile | undefined>;
  /** Marks tag names on the handle where the channel keeps tags of its own; undefined when it keeps none. */
  syncTags?(workspaceId: string, channel: string, handle: string, change: { add?: string[]; remove?: string[] }): Promise<PlatformTagSync | undefined>;
}

/** What a platform did with a change of tags (names); WeCom's corp tags are the first such platform. */
export interface PlatformTagSync {
  added: string[];
  removed: string[];
  notOnPlatform: string[];
  unknownContact?: true;
}

/** The outbox key starts with the workspace id (`${workspaceId}|…`): adapters with per-workspace settings read it. */
export function workspaceOfKey(idempotencyKey: string): string {
  const i = idempotencyKey.indexOf('|');
  return i > 0 ? idempotencyKey.slice(0, i) : 'default';
}

/**
 * The adapter of channels nobody configured: it delivers nothing and only the outbox records the message, so a
 * journey can be built and tested before a platform is connected.
 */
export const recordingAdapter: ChannelAdapter = {
  channels: ['*'],
  async send(_message, idempotencyKey) {
    return { providerId: `recorded:${idempotencyKey}` };
  },
};

export class ChannelRegistry {
  private readonly byChannel = new Map<string, ChannelAdapter>();

  constructor(adapters: ChannelAdapter[] = []) {
    for (const a of adapters) for (const c of a.channels) this.byChannel.set(c, a);
  }

  register(adapter: ChannelAdapter): void {
    for (const c of adapter.channels) this.byChannel.set(c, adapter);
  }

  for(channel: string): ChannelAdapter {
    return this.byChannel.get(channel) ?? this.byChannel.get('*') ?? recordingAdapter;
  }
}
