import type { FastifyInstance } from 'fastify';
import { CATEGORIES } from '../../nodes/contract';
import { BUILTIN_MANIFESTS } from '../../nodes/manifests';
import { nodeKey } from '../../nodes/registry';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { catalogResponse } from '../http/responses/nodes';

/** Built-in `type@version`s; anything else in the registry came from a custom node module (which cannot redefine one). */
const BUILTIN_KEYS = new Set(BUILTIN_MANIFESTS.map((m) => nodeKey(m.type, m.version)));

export async function nodeRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const catalog = () => {
    const byCategory = deps.registry.byCategory();
    return {
      categories: CATEGORIES.map((category) => ({
        category,
        nodes: byCategory[category].map(({ execution, migrations, ...m }) => ({
          ...m, execution: { pure: execution.pure, timeoutMs: execution.timeoutMs }, ...(migrations ? { migratesFrom: Object.keys(migrations).map(Number) } : {}),
          source: BUILTIN_KEYS.has(nodeKey(m.type, m.version)) ? 'builtin' as const : 'custom' as const,
        })),
      })),
      // Custom node modules that failed to load: the file and the problem (the others loaded).
      loadErrors: deps.nodeLoadErrors ?? [],
    };
  };
  api.get('/api/v1/nodes', {
    schema: { tags: ['nodes'], summary: 'The node catalog: every node type with its config schema and ports, by category', response: { 200: catalogResponse } },
  }, async () => catalog());
}
