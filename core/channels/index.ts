import type { Store } from '../store/db';
import { ChannelRegistry, type ChannelAdapter } from './channel-adapter';
import { helpdeskAdapter } from './helpdesk-adapter';
import { workspaceChannelsAdapter, type ChannelOptions } from './workspace-adapter';

/** The channels a worker sends through: the built-in helpdesk, and every channel workspaces connected. */
export function defaultChannelAdapters(store: Store, opts: ChannelOptions = {}): ChannelAdapter[] {
  return [workspaceChannelsAdapter(store, opts), helpdeskAdapter(store)];
}

export function createChannelRegistry(store: Store, opts: ChannelOptions & { extra?: ChannelAdapter[] } = {}): ChannelRegistry {
  return new ChannelRegistry([...defaultChannelAdapters(store, opts), ...(opts.extra ?? [])]);
}

/** The channel options of a process (API + worker, or a worker alone) from its configuration. */
export function channelOptions(cfg: { smtpUrl?: string; publicUrl: string; emailTracking: boolean }): ChannelOptions {
  return { smtpUrl: cfg.smtpUrl, publicUrl: cfg.publicUrl, ...(cfg.emailTracking ? { emailTracking: { publicUrl: cfg.publicUrl } } : {}) };
}
