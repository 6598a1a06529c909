/** The journey document as the editor saves it and the API accepts it (JSON Schema draft-07). */
import type { FromConfigSchema as FromSchema } from '../../nodes/contract';
import { conditionGroupSchema } from '../../nodes/conditions';
import { durationSchema } from '../../nodes/duration';

const hhmm = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;
export const NODE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

export const journeySettingsSchema = {
  type: 'object',
  properties: {
    reentry: {
      type: 'string', enum: ['never', 'after_exit', 'always'], default: 'after_exit',
      description: 'never: a contact enters once; after_exit: again once their previous run ended; always: every matching event',
    },
    timezone: { type: 'string', minLength: 1, maxLength: 64, format: 'time-zone', default: 'UTC' },
    goal: {
      type: 'object',
      description: 'A contact event meeting the goal ends the run as converted, wherever the contact is.',
      properties: {
        eventTypes: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        conditions: conditionGroupSchema,
      },
      required: ['eventTypes'],
      additionalProperties: false,
    },
    quietHours: {
      type: 'object',
      description: 'Response nodes reached inside this window wait until it ends.',
      properties: { start: hhmm, end: hhmm, timezone: { type: 'string', minLength: 1, maxLength: 64, format: 'time-zone' } },
      required: ['start', 'end'],
      additionalProperties: false,
    },
    frequencyCap: {
      type: 'object',
      description: 'At most `max` outbound messages per contact per channel within `per`, counted across all journeys.',
      properties: { max: { type: 'integer', minimum: 1, maximum: 1000 }, per: durationSchema },
      required: ['max', 'per'],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const journeyNodeSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: NODE_ID_PATTERN },
    type: { type: 'string', minLength: 1, maxLength: 100 },
    version: { type: 'integer', minimum: 1 },
    label: { type: 'string', maxLength: 120 },
    config: { type: 'object' },
    position: {
      type: 'object',
      properties: { x: { type: 'number' }, y: { type: 'number' } },
      required: ['x', 'y'],
      additionalProperties: false,
    },
    template: {
      type: 'object',
      description: 'The node template (and its version) this node was made from: its locked fields must keep their values',
      properties: { id: { type: 'string', minLength: 1, maxLength: 100 }, version: { type: 'integer', minimum: 1 } },
      required: ['id', 'version'],
      additionalProperties: false,
    },
  },
  required: ['id', 'type', 'version', 'config'],
  additionalProperties: false,
} as const;

export const journeyEdgeSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 200 },
    from: { type: 'string', pattern: NODE_ID_PATTERN },
    port: { type: 'string', minLength: 1, maxLength: 64 },
    to: { type: 'string', pattern: NODE_ID_PATTERN },
  },
  required: ['from', 'port', 'to'],
  additionalProperties: false,
} as const;

/** A journey's statuses (core/store/documents.ts JourneyDoc): what the journey list filters by. */
export const JOURNEY_STATUSES = ['draft', 'live', 'paused'] as const;

/** The colours a sticky note can take; the editor maps each to a light and a dark tint (styles.css). */
export const NOTE_COLORS = ['yellow', 'blue', 'green', 'pink', 'purple'] as const;
export const NOTE_TEXT_MAX = 5000;
export const NOTES_MAX = 200;

/**
 * A sticky note on the canvas: text for the people editing the journey (plain text, a little markdown). Notes
 * are saved, exported and versioned with the graph, but they are not steps: validation, compilation and the
 * worker never look at them.
 */
export const journeyNoteSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: NODE_ID_PATTERN },
    position: {
      type: 'object',
      properties: { x: { type: 'number' }, y: { type: 'number' } },
      required: ['x', 'y'],
      additionalProperties: false,
    },
    size: {
      type: 'object',
      properties: { width: { type: 'number', minimum: 80, maximum: 2000 }, height: { type: 'number', minimum: 40, maximum: 2000 } },
      required: ['width', 'height'],
      additionalProperties: false,
    },
    text: { type: 'string', maxLength: NOTE_TEXT_MAX },
    color: { type: 'string', enum: NOTE_COLORS },
  },
  required: ['id', 'position', 'size', 'text', 'color'],
  additionalProperties: false,
} as const;

export const journeyGraphSchema = {
  type: 'object',
  properties: {
    nodes: { type: 'array', maxItems: 500, items: journeyNodeSchema },
    edges: { type: 'array', maxItems: 2000, items: journeyEdgeSchema },
    settings: journeySettingsSchema,
    notes: { type: 'array', maxItems: NOTES_MAX, items: journeyNoteSchema, description: 'Sticky notes on the canvas: never run' },
  },
  required: ['nodes', 'edges'],
  additionalProperties: false,
} as const;

export const journeyDocumentSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 120 },
    description: { type: 'string', maxLength: 2000 },
    ...journeyGraphSchema.properties,
  },
  required: ['name', 'nodes', 'edges'],
  additionalProperties: false,
} as const;

export type JourneyDocument = FromSchema<typeof journeyDocumentSchema>;
export type JourneyGraph = FromSchema<typeof journeyGraphSchema>;
export type JourneyNode = FromSchema<typeof journeyNodeSchema>;
export type JourneyEdge = FromSchema<typeof journeyEdgeSchema>;
export type JourneyNote = FromSchema<typeof journeyNoteSchema>;
export type NoteColor = JourneyNote['color'];
export type JourneySettings = FromSchema<typeof journeySettingsSchema>;
