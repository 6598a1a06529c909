import type { Store } from '../store/db';
import { ChannelRegistry, type ChannelAdapter } from './channel-adapter';
import { helpdeskAdapter } from './helpdesk-adapter';
import { workspaceChannelsAdapter } from './workspace-adapter';

/** The channels a worker sends through: the built-in helpdesk, and every channel workspaces connected. */
export function defaultChannelAdapters(store: Store, opts: { smtpUrl?: string } = {}): ChannelAdapter[] {
  return [workspaceChannelsAdapter(store, opts), helpdeskAdapter(store)];
}

export function createChannelRegistry(store: Store, opts: { smtpUrl?: string; extra?: ChannelAdapter[] } = {}): ChannelRegistry {
  return new ChannelRegistry([...defaultChannelAdapters(store, opts), ...(opts.extra ?? [])]);
}
