/** Journeys, their versions, validation issues and live counters as the API answers them. */
import { JOURNEY_STATUSES, NOTE_COLORS } from '../../../workflows/model/journey-schema';

export { JOURNEY_STATUSES };
import { anyJson, arrayOf, bool, date, int, nullableInt, nullableStr, num, numberMap, object, str, strings, type View } from './shapes';

/** A journey's graph as stored and answered: node configs and settings are passed through whole. */
export const graphNodeSchema = object({
  id: str, type: str, version: int, label: str, config: anyJson,
  position: object({ x: num, y: num }), template: object({ id: str, version: int }),
}, ['label', 'config', 'position', 'template']);
export const graphEdgeSchema = object({ id: str, from: str, port: str, to: str }, ['id']);
/** A sticky note (workflows/model/journey-schema.ts journeyNoteSchema): only drafts and versions that have some carry `notes`. */
export const graphNoteSchema = object({
  id: str, position: object({ x: num, y: num }), size: object({ width: num, height: num }), text: str,
  color: { type: 'string', enum: NOTE_COLORS },
});
export const graphProperties = { nodes: arrayOf(graphNodeSchema), edges: arrayOf(graphEdgeSchema), settings: anyJson, notes: arrayOf(graphNoteSchema) } as const;

/** One problem of a draft, in the request's language: on a node (and field), an edge, or the document. */
export const validationIssueSchema = object({
  severity: { type: 'string', enum: ['error', 'warning'] }, code: str, message: str, nodeId: str, edgeIndex: int, path: str,
}, ['nodeId', 'edgeIndex']);
export type ValidationIssueView = View<typeof validationIssueSchema>;

export const journeyViewSchema = object({
  id: str, name: str, description: str, status: { type: 'string', enum: JOURNEY_STATUSES }, liveVersion: nullableInt, revision: int,
  folder: { type: ['string', 'null'], description: 'The folder of the journey list it is in ("Campaigns/Spring"); null at the top level' },
  ...graphProperties, createdAt: date, updatedAt: date, issues: arrayOf(validationIssueSchema),
}, ['description', 'settings', 'notes']);
export type JourneyView = View<typeof journeyViewSchema>;
export const clonedJourneySchema = object({ ...journeyViewSchema.properties, clonedFrom: str }, ['description', 'settings', 'notes']);

export const validationResponse = object({ valid: bool, issues: arrayOf(validationIssueSchema) });
export const publishedResponse = object({ journeyId: str, version: int, note: nullableStr, publishedAt: date });

export const versionViewSchema = object({ version: int, name: str, note: nullableStr, publishedAt: date, ...graphProperties }, ['settings', 'notes']);
export type VersionView = View<typeof versionViewSchema>;
export const versionListResponse = object({ versions: arrayOf(versionViewSchema) });

export const nodeStatsSchema = object({ entered: int, waiting: int, exited: int, errors: int, ports: numberMap });
export type NodeStats = View<typeof nodeStatsSchema>;
export const journeyStatsSchema = object({
  journeyId: str, version: int, enrollments: numberMap, nodes: { type: 'object', additionalProperties: nodeStatsSchema },
});
export type JourneyStats = View<typeof journeyStatsSchema>;

/** The journey list (narrowed by the query): each journey with its folder, its triggers, its node count and how many contacts its published versions enrolled. */
export const journeyListResponse = {
  type: 'object',
  properties: {
    journeys: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' }, name: { type: 'string' }, description: { type: ['string', 'null'] }, status: { type: 'string', enum: JOURNEY_STATUSES },
          folder: { type: ['string', 'null'], description: 'Folder path; null at the top level' },
          triggers: { ...strings, description: 'Node types of the draft\'s triggers (trigger.form-submitted…)' },
          liveVersion: { type: ['integer', 'null'] }, updatedAt: { type: 'string', format: 'date-time' }, nodeCount: { type: 'integer' },
          enrolled: { type: 'integer', description: 'Contacts enrolled by published versions (test runs of the draft are not counted)' },
          active: { type: 'integer', description: 'Of those, runs still in progress' },
        },
        required: ['id', 'name', 'description', 'status', 'folder', 'triggers', 'liveVersion', 'updatedAt', 'nodeCount', 'enrolled', 'active'],
        additionalProperties: false,
      },
    },
    folders: { ...strings, description: 'Every folder of the workspace (whatever the filter), parents included, sorted' },
  },
  required: ['journeys', 'folders'],
  additionalProperties: false,
} as const;
