import fs from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { AppDeps } from './app-deps';
import { installAuth } from './auth/auth';
import { registerErrorHandler } from './http/errors';
import { installResponseCheck } from './http/response-check';
import { AppError } from '../core/errors';
import { installInputGuards, requestValidators } from './http/input-guards';
import { BODY_LIMIT } from '../core/storable';
import { redactingStream, redactUrl } from '../core/logging/redact';
import { authRoutes } from './routes/auth.routes';
import { privacyRoutes } from './routes/privacy.routes';
import { templateRoutes } from './routes/templates.routes';
import { userRoutes } from './routes/users.routes';
import { contactRoutes } from './routes/contacts.routes';
import { enrollmentRoutes } from './routes/enrollments.routes';
import { analyzeRoutes } from './routes/analyze.routes';
import { channelRoutes } from './routes/channels.routes';
import { hookRoutes } from './routes/hooks.routes';
import { crmRoutes } from './routes/crm.routes';
import { emailTrackingRoutes } from './routes/email-tracking.routes';
import { testSendRoutes } from './routes/test-sends.routes';
import { eventRoutes } from './routes/events.routes';
import { journeyRoutes } from './routes/journeys.routes';
import { insightRoutes } from './routes/insights.routes';
import { nodeRoutes } from './routes/nodes.routes';

declare module 'fastify' {
  interface FastifyRequest {
    workspaceId: string;
  }
}

export interface BuildOptions {
  logger?: boolean | { level: string };
  /** Where logs go (default stdout): tests read them to prove no secret is ever written. */
  logStream?: NodeJS.WritableStream;
  /** Event-ingestion requests per minute per credential (default 12000). */
  ingestRateLimit?: number;
  /** Sign-in attempts per minute per client address (default 10). */
  signInRateLimit?: number;
  /** Inbound platform webhook deliveries per minute per workspace and channel (default JOURNEYS_INBOUND_RATE_LIMIT or 6000). */
  inboundRateLimit?: number;
}

/** The API as an app factory: the entry point listens, tests call `inject()` on it against real services. */
export async function buildApp(deps: AppDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === undefined || opts.logger === false ? false : {
      level: opts.logger === true ? 'info' : opts.logger.level,
      // Credentials and contact data never reach the log, whatever a serializer or a debug line includes.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-journeys-signature"]', 'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'email', '*.email'],
        censor: '[redacted]',
      },
      // fastify's own request serializer, without the query string (`?identity=email:…`, a token put in a URL).
      serializers: {
        req: (req: FastifyRequest) => ({ method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
      },
      // Free text too (messages, error stacks quoting a URL or an address), on every line.
      stream: redactingStream(opts.logStream),
    },
    bodyLimit: BODY_LIMIT,
    // Enrollment ids (journey:<uuid>:contact:<uuid>:<entryKey>) exceed fastify's default of 100.
    routerOptions: { maxParamLength: 512 },
    // Bodies validated without type coercion, rejecting what the schema does not allow (server/http/input-guards.ts).
    schemaController: { compilersFactory: { buildValidator: requestValidators } },
  });
  registerErrorHandler(app);
  if (process.env.JOURNEYS_CHECK_RESPONSES === '1') installResponseCheck(app);
  // Before any route: JSON nesting, NUL characters, unstorable field names and sizes are a 400 naming the field.
  installInputGuards(app);
  // Before any route: every route registered after this gets its permission (or is public) and joins app.routeTable.
  await installAuth(app, deps, { signInRateLimit: opts.signInRateLimit });

  await app.register(swagger, {
    openapi: {
      // 3.1: its Schema Objects are JSON Schema, so our draft-07 schemas (numeric exclusiveMinimum…) are valid in it.
      openapi: '3.1.0',
      info: { title: 'Journeys API', version: '1', description: 'Social CRM journeys: nodes, journeys, events, contacts' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (jrn_…) or a session token (jrs_…) from POST /api/v1/auth/sign-in' },
          session: { type: 'apiKey', in: 'cookie', name: 'journeys_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // The workspace is the authenticated principal's (set by the auth hook); an x-workspace-id header must match it.
  app.decorateRequest('workspaceId', '');

  // `status`, then one field per dependency (store, temporal…): 'ok' or 'down'.
  const healthResponse = {
    type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok', 'degraded'] } },
    additionalProperties: { type: 'string', enum: ['ok', 'down'] },
  } as const;
  app.get('/health', {
    schema: {
      tags: ['health'], summary: "Each dependency's state; 503 when one is down",
      response: { 200: healthResponse, 503: healthResponse },
    },
  }, async (_req, reply) => {
    const checks = await deps.health();
    const ok = Object.values(checks).every((s) => s === 'ok');
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', ...checks });
  });

  await app.register(nodeRoutes, { deps });
  await app.register(journeyRoutes, { deps });
  await app.register(insightRoutes, { deps });
  await app.register(eventRoutes, { deps, rateLimit: opts.ingestRateLimit ?? 12_000 });
  await app.register(contactRoutes, { deps });
  await app.register(enrollmentRoutes, { deps });
  await app.register(authRoutes, { deps });
  await app.register(userRoutes, { deps });
  await app.register(templateRoutes, { deps });
  await app.register(privacyRoutes, { deps });
  await app.register(analyzeRoutes, { deps });
  await app.register(channelRoutes, { deps, inboundRateLimit: opts.inboundRateLimit });
  await app.register(hookRoutes, { deps, inboundRateLimit: opts.inboundRateLimit });
  await app.register(crmRoutes, { deps });
  await app.register(emailTrackingRoutes, { deps });
  await app.register(testSendRoutes, { deps });

  if (deps.editorDir && fs.existsSync(deps.editorDir)) {
    await app.register(fastifyStatic, {
      root: deps.editorDir,
      wildcard: false,
      // The build writes .br and .gz beside each asset (editor/vite.config.ts): served as the client accepts them.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, filePath) => { reply.header('cache-control', editorCacheControl(filePath)); },
      // Source maps are never served, even when a local build wrote them.
      allowedPath: (pathName) => !pathName.endsWith('.map'),
    });
    // Client-side routes of the editor fall back to its index page; unknown API paths and assets stay 404 JSON.
    app.setNotFoundHandler((req, reply) => {
      const pathName = req.url.split('?')[0];
      if (req.method === 'GET' && !pathName.startsWith('/api/') && !pathName.startsWith('/assets/') && !pathName.endsWith('.map') && pathName !== '/health') {
        return reply.sendFile('index.html');
      }
      throw routeNotFound(req.method, pathName);
    });
  } else {
    app.setNotFoundHandler((req) => { throw routeNotFound(req.method, req.url.split('?')[0]); });
  }
  return app;
}

/**
 * Hashed build assets (`assets/name-<hash>.js`) never change under their name: cached for a year. Everything
 * else (index.html, which names the current hashes) is revalidated on every load, so a deploy shows at once.
 */
export function editorCacheControl(filePath: string): string {
  const name = filePath.replace(/\\/g, '/').replace(/\.(br|gz)$/, '');
  return /\/assets\/[^/]+-[\w-]{8,}\.\w+$/.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

const routeNotFound = (method: string, path: string) => new AppError('route_not_found', { method, path });
