import fs from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import type Ajv from 'ajv';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { AppDeps } from './app-deps';
import { ApiError, registerErrorHandler } from './http/errors';
import { contactRoutes } from './routes/contacts.routes';
import { enrollmentRoutes } from './routes/enrollments.routes';
import { eventRoutes } from './routes/events.routes';
import { journeyRoutes } from './routes/journeys.routes';
import { nodeRoutes } from './routes/nodes.routes';

declare module 'fastify' {
  interface FastifyRequest {
    workspaceId: string;
  }
}

const WORKSPACE = /^[A-Za-z0-9_-]{1,64}$/;

export interface BuildOptions {
  logger?: boolean | { level: string };
}

/** The API as an app factory: the entry point listens, tests call `inject()` on it against real services. */
export async function buildApp(deps: AppDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === undefined ? false : opts.logger === true ? { level: 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] } : { ...opts.logger, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    bodyLimit: 5 * 1024 * 1024,
    ajv: {
      // Reject what the schema does not allow instead of silently dropping it.
      customOptions: { removeAdditional: false, allErrors: true },
      plugins: [(ajv: Ajv) => ajv.addKeyword({ keyword: 'x-i18n', schemaType: 'object' }).addKeyword({ keyword: 'x-widget', schemaType: 'string' })],
    },
  });
  registerErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Journeys API', version: '1', description: 'Social CRM journeys: nodes, journeys, events, contacts' },
      components: { securitySchemes: {} },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.decorateRequest('workspaceId', '');
  app.addHook('onRequest', async (req) => {
    const header = req.headers['x-workspace-id'];
    const ws = typeof header === 'string' && header !== '' ? header : 'default';
    if (!WORKSPACE.test(ws)) throw new ApiError(400, 'validation_failed', 'headers/x-workspace-id must be 1-64 letters, digits, _ or -', { fields: [{ field: 'headers/x-workspace-id', message: 'is invalid' }] });
    req.workspaceId = ws;
  });

  app.get('/health', {
    schema: {
      tags: ['health'], summary: "Each dependency's state; 503 when one is down",
      response: { 200: { type: 'object', additionalProperties: true }, 503: { type: 'object', additionalProperties: true } },
    },
  }, async (_req, reply) => {
    const checks = await deps.health();
    const ok = Object.values(checks).every((s) => s === 'ok');
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', ...checks });
  });

  await app.register(nodeRoutes, { deps });
  await app.register(journeyRoutes, { deps });
  await app.register(eventRoutes, { deps });
  await app.register(contactRoutes, { deps });
  await app.register(enrollmentRoutes, { deps });

  if (deps.editorDir && fs.existsSync(deps.editorDir)) {
    await app.register(fastifyStatic, { root: deps.editorDir, wildcard: false });
    // Client-side routes of the editor fall back to its index page; unknown API paths stay 404 JSON.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/') && req.url !== '/health') return reply.sendFile('index.html');
      return reply.status(404).send({ error: 'not_found', message: `route ${req.method} ${req.url.split('?')[0]} not found` });
    });
  } else {
    app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: 'not_found', message: `route ${req.method} ${req.url.split('?')[0]} not found` }));
  }
  return app;
}
