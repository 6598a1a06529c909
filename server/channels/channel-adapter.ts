import type { OutboundMessage } from '../../nodes/contract';

/** One social platform (or email, SMS…): how Journeys talks to it. Platform-specific adapters implement it. */
export interface ChannelAdapter {
  /** Channel names this adapter serves, e.g. ['weibo']. */
  channels: string[];
  /** Delivers the message. `idempotencyKey` is stable across retries: pass it on when the platform supports it. */
  send(message: OutboundMessage, idempotencyKey: string): Promise<{ providerId: string }>;
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
    return this.byChannel.get(channel) ?? recordingAdapter;
  }
}
