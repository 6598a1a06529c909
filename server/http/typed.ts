/**
 * Routes typed from their own schemas: `req.params`, `req.query` and `req.body` are the types of the route's JSON
 * Schemas, and a handler must return what its response schemas describe — no hand-written generics, no casts.
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';

export const typed = (app: FastifyInstance) => app.withTypeProvider<JsonSchemaToTsProvider>();
