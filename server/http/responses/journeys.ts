/** Journeys, their versions, validation issues and live counters as the API answers them. */
import { anyJson, arrayOf, bool, date, int, nullableInt, nullableStr, num, numberMap, object, str, type View } from './shapes';

/** A journey's graph as stored and answered: node configs and settings are passed through whole. */
export const graphNodeSchema = object({
  id: str, type: str, version: int, label: str, config: anyJson,
  position: object({ x: num, y: num }), template: object({ id: str, version: int }),
}, ['label', 'config', 'position', 'template']);
export const graphEdgeSchema = object({ id: str, from: str, port: str, to: str }, ['id']);
export const graphProperties = { nodes: arrayOf(graphNodeSchema), edges: arrayOf(graphEdgeSchema), settings: anyJson } as const;

/** One problem of a draft, in the request's language: on a node (and field), an edge, or the document. */
export const validationIssueSchema = object({
  severity: { type: 'string', enum: ['error', 'warning'] }, code: str, message: str, nodeId: str, edgeIndex: int, path: str,
}, ['nodeId', 'edgeIndex']);
export type ValidationIssueView = View<typeof validationIssueSchema>;

export const journeyViewSchema = object({
  id: str, name: str, description: str, status: { type: 'string', enum: ['draft', 'live', 'paused'] }, liveVersion: nullableInt, revision: int,
  ...graphProperties, createdAt: date, updatedAt: date, issues: arrayOf(validationIssueSchema),
}, ['description', 'settings']);
export type JourneyView = View<typeof journeyViewSchema>;
export const clonedJourneySchema = object({ ...journeyViewSchema.properties, clonedFrom: str }, ['description', 'settings']);

export const validationResponse = object({ valid: bool, issues: arrayOf(validationIssueSchema) });
export const publishedResponse = object({ journeyId: str, version: int, note: nullableStr, publishedAt: date });

export const versionViewSchema = object({ version: int, name: str, note: nullableStr, publishedAt: date, ...graphProperties }, ['settings']);
export type VersionView = View<typeof versionViewSchema>;
export const versionListResponse = object({ versions: arrayOf(versionViewSchema) });

export const nodeStatsSchema = object({ entered: int, waiting: int, exited: int, errors: int, ports: numberMap });
export type NodeStats = View<typeof nodeStatsSchema>;
export const journeyStatsSchema = object({
  journeyId: str, version: int, enrollments: numberMap, nodes: { type: 'object', additionalProperties: nodeStatsSchema },
});
export type JourneyStats = View<typeof journeyStatsSchema>;

/** The journey list: each journey with its node count and how many contacts its published versions enrolled. */
export const journeyListResponse = {
  type: 'object',
  properties: {
    journeys: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' }, name: { type: 'string' }, description: { type: ['string', 'null'] }, status: { type: 'string' },
          liveVersion: { type: ['integer', 'null'] }, updatedAt: { type: 'string', format: 'date-time' }, nodeCount: { type: 'integer' },
          enrolled: { type: 'integer', description: 'Contacts enrolled by published versions (test runs of the draft are not counted)' },
          active: { type: 'integer', description: 'Of those, runs still in progress' },
        },
        required: ['id', 'name', 'description', 'status', 'liveVersion', 'updatedAt', 'nodeCount', 'enrolled', 'active'],
        additionalProperties: false,
      },
    },
  },
  required: ['journeys'],
  additionalProperties: false,
} as const;
