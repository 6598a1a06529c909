/**
 * Every answer is serialized by its route's response schema (fast-json-stringify), which drops what the schema does
 * not declare and coerces what it types otherwise (a fraction under `integer`). That is what keeps a document's
 * internals out of answers — and what would silently lose a field a schema forgot. With JOURNEYS_CHECK_RESPONSES=1
 * (the test suite sets it) each answer is compared with the plain JSON of what the handler returned, and a
 * difference fails the request with the path that changed, so a schema that drifts from its route fails the tests.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';

const plainJson = Symbol('plainJson');

/** The first path at which two JSON values differ, for the error message. */
function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  return `${path || '/'}: returned ${JSON.stringify(a)?.slice(0, 120)}, answered ${JSON.stringify(b)?.slice(0, 120)}`;
}

export function installResponseCheck(app: FastifyInstance): void {
  app.addHook('preSerialization', async (req, _reply, payload) => {
    (req as unknown as Record<symbol, unknown>)[plainJson] = JSON.stringify(payload);
    return payload;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const returned = (req as unknown as Record<symbol, string | undefined>)[plainJson];
    if (returned === undefined || typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('json')) return payload;
    const difference = firstDifference(JSON.parse(returned), JSON.parse(payload));
    if (!difference) return payload;
    req.log.error({ route: req.routeOptions.url, status: reply.statusCode, difference }, 'response schema changed the answer');
    reply.status(500);
    return JSON.stringify({ error: 'internal', message: `the response schema of ${req.method} ${req.routeOptions.url} (${reply.statusCode}) changed the answer at ${difference}` });
  });
}
