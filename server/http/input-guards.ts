/**
 * Request input checked before any route sees it, so bad input is a 400 naming the field and nothing is written:
 * - the JSON body parser refuses nesting deeper than PARSE_MAX_DEPTH with a cheap scan before JSON.parse (and keeps
 *   fastify's prototype-poisoning protection);
 * - every body passes the storable check (NUL characters, unstorable field names, depth, size, field count) with
 *   the route's limits: `config: { storable: LIMITS.journey }`, `'events'` for one event or a batch of them, or
 *   `false` for a route that checks its body itself (the signed webhooks parse their raw body);
 * - querystring and params may not hold NUL characters either (they end up in database filters).
 * Bodies are validated by JSON Schema without type coercion (`{"note": 5}` is a 400, not "5"); querystrings and
 * params keep fastify's coercion, since everything arrives there as text.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema';
import { createAjv } from '../../nodes/ajv';
import { assertStorable, assertStorableEvents, assertStorableStrings, jsonNestsDeeperThan, LIMITS, PARSE_MAX_DEPTH, tooDeep, type StorableLimits } from '../../core/storable';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Limits of the stored body (default LIMITS.document); 'events' for event bodies; false: the route checks. */
    storable?: StorableLimits | 'events' | false;
    /**
     * The querystring is a platform's (Meta's `hub.mode`, `hub.verify_token`…): its dotted names are allowed, as it is
     * read by the route's handler and never used as field names of a filter. Its values are still checked.
     */
    platformQuery?: boolean;
  }
}

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

/** Request validators: bodies without type coercion, querystring/params/headers with it. */
function buildRequestValidators(externalSchemas: Record<string, unknown> | undefined) {
  const body = createAjv('body');
  const other = createAjv('params');
  for (const s of Object.values(externalSchemas ?? {})) {
    body.addSchema(s as object);
    other.addSchema(s as object);
  }
  return ({ schema, httpPart }: FastifyRouteSchemaDef<object>) => {
    const ajv = httpPart === 'body' ? body : other;
    const id = (schema as { $id?: string }).$id;
    return (id && ajv.getSchema(id)) || ajv.compile(schema);
  };
}

/** For `schemaController.compilersFactory.buildValidator` (fastify calls it with each route's schema def). */
export const requestValidators = buildRequestValidators as unknown as ValidatorFactory;

export function installInputGuards(app: FastifyInstance): void {
  // fastify's parser (it refuses `__proto__` / `constructor.prototype` keys), after the nesting scan.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonNestsDeeperThan(body as string, PARSE_MAX_DEPTH)) return done(tooDeep(), undefined);
    void defaultJson(req, body as string, done); // callback-style: it answers through `done`
  });

  app.addHook('preValidation', async (req) => {
    assertStorableStrings(req.params, 'params');
    const query = req.query as Record<string, unknown> | undefined;
    assertStorableStrings(req.routeOptions.config?.platformQuery && query ? Object.values(query) : req.query, 'querystring');
    const storable = req.routeOptions.config?.storable;
    if (storable === false || req.body === undefined) return;
    if (storable === 'events') assertStorableEvents(req.body);
    else assertStorable(req.body, storable ?? LIMITS.document);
  });
}
