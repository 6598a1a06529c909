import type { Client } from '@temporalio/client';
import type { NodeLoadError } from '../nodes/custom/loader';
import type { NodeRegistry } from '../nodes/registry';
import type { Store } from '../core/store/db';

/** What the API needs, built once by the process entry point (or a test) and handed to every route plugin. */
export interface AppDeps {
  store: Store;
  temporal: Client;
  registry: NodeRegistry;
  taskQueue: string;
  /** Built editor files to serve at `/`, when present. */
  editorDir?: string;
  health(): Promise<Record<string, 'ok' | 'down'>>;
  /** Custom node modules that failed to load (file + problem), served by GET /api/v1/nodes as `loadErrors`. */
  nodeLoadErrors?: NodeLoadError[];
  /** Where platforms reach the API (JOURNEYS_PUBLIC_URL): the URL Twilio signs its webhooks with. */
  publicUrl?: string;
  /** Sign-in session lifetime (default 12 h). */
  sessionTtlMs?: number;
}
