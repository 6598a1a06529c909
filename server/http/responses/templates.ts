/** Node templates, their diffs and upgrades, and the journey template gallery as the API answers them. */
import { anyJson, anyValue, arrayOf, bool, date, int, nullableDate, nullableInt, nullableStr, object, str, strings, type View } from './shapes';
import { graphProperties } from './journeys';

const versionRow = object({ version: int, published: bool, createdAt: date, createdBy: nullableStr });
export const nodeTemplateViewSchema = object({
  id: str, version: int, name: str, description: nullableStr, nodeType: str, nodeVersion: int, config: anyJson, locked: strings, editable: strings,
  published: bool, createdAt: date, createdBy: nullableStr,
  /** In the full list only: the newest published version (null: never published) and the newest version. */
  publishedVersion: nullableInt, latestVersion: int,
  /** On GET /node-templates/:id only. */
  versions: arrayOf(versionRow),
}, ['publishedVersion', 'latestVersion', 'versions']);
export type NodeTemplateView = View<typeof nodeTemplateViewSchema>;
export const nodeTemplateListResponse = object({ templates: arrayOf(nodeTemplateViewSchema) });

export const fieldChangeSchema = object({ field: str, from: anyValue, to: anyValue, lockedFrom: bool, lockedTo: bool }, ['lockedFrom', 'lockedTo']);
/** What changed from one value to another, or null when nothing did. */
const fromToOrNull = { type: ['object', 'null'], properties: { from: str, to: str }, required: ['from', 'to'], additionalProperties: false } as const;
export const templateDiffSchema = object({
  from: int, to: int, nodeType: fromToOrNull, name: fromToOrNull, changes: arrayOf(fieldChangeSchema),
});
export type TemplateDiffView = View<typeof templateDiffSchema>;

const nodeRef = object({ type: str, version: int, template: object({ id: str, version: int }) }, ['template']);
export const nodeUpgradeSchema = object({
  nodeId: str, kind: { type: 'string', enum: ['template', 'node-type'] }, from: nodeRef, to: nodeRef, changes: arrayOf(fieldChangeSchema),
  templateChanges: templateDiffSchema, config: anyJson, blocked: str,
}, ['templateChanges', 'blocked']);
export const upgradePlanResponse = object({ upgrades: arrayOf(nodeUpgradeSchema) });
export const upgradesAppliedResponse = object({ applied: arrayOf(nodeUpgradeSchema), skipped: arrayOf(nodeUpgradeSchema), revision: int });

export const journeyTemplateViewSchema = object({
  id: str, name: str, description: nullableStr, builtin: bool, tags: strings, nodeCount: int, nodeTypes: strings, createdAt: nullableDate, ...graphProperties,
  /** A built-in template's name and description in Chinese. */
  i18n: object({ 'zh-CN': object({ name: str, description: str }) }),
}, ['settings', 'notes', 'i18n']);
export type JourneyTemplateView = View<typeof journeyTemplateViewSchema>;
export const journeyTemplateListResponse = object({ templates: arrayOf(journeyTemplateViewSchema) });
export const journeyFromTemplateResponse = object({ id: str, name: str, status: str, revision: int, fromTemplate: str });
export const journeyTemplateSavedResponse = object({ id: str, name: str, description: nullableStr, builtin: bool, ...graphProperties }, ['settings', 'notes']);
