/** The node catalog as the API answers it: what the editor needs to draw, configure and validate every node. */
import { anyJson, arrayOf, bool, int, num, object, str, strings, type View } from './shapes';

export const localizedTextSchema = object({ en: str, 'zh-CN': str });

export const catalogNodeSchema = object({
  type: str, version: int, category: str, title: localizedTextSchema, description: localizedTextSchema, icon: str,
  /** The node's config as JSON Schema: the editor's form and its validation. */
  configSchema: anyJson,
  outputs: arrayOf(object({ id: str, label: localizedTextSchema })),
  portsFromConfig: object({ arrayField: str, idField: str, labelField: str }, ['labelField']),
  execution: object({ pure: bool, timeoutMs: num }),
  flow: { type: 'string', enum: ['wait', 'wait-until', 'wait-for-event', 'split', 'goal', 'end'] },
  triggerEventTypes: strings, summaryFields: strings, paletteOrder: num,
  /** The versions whose configs migrate to this one. */
  migratesFrom: arrayOf(int),
  source: { type: 'string', enum: ['builtin', 'custom'] },
}, ['portsFromConfig', 'flow', 'triggerEventTypes', 'summaryFields', 'paletteOrder', 'migratesFrom']);
export type CatalogNode = View<typeof catalogNodeSchema>;

export const catalogResponse = object({
  categories: arrayOf(object({ category: str, nodes: arrayOf(catalogNodeSchema) })),
  /** Custom node modules that failed to load: the file and the problem (the others loaded). */
  loadErrors: arrayOf(object({ source: str, message: str })),
});
export type Catalog = View<typeof catalogResponse>;
