// Moved to nodes/event-schema.ts (ContactEvent is derived from it there); kept while channels.routes.ts moves over.
export { contactEventSchema, eventBatchSchema, MAX_BATCH } from '../../nodes/event-schema';
