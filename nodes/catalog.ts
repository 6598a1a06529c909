import { BUILTIN_MANIFESTS } from './manifests';
import { NodeRegistry } from './registry';

/** The registry of manifests only (no runtimes): what the editor, the API and journey validation use. */
export function createManifestRegistry(): NodeRegistry {
  return new NodeRegistry(BUILTIN_MANIFESTS);
}
