import type { FastifyError, FastifyInstance } from 'fastify';
import { toFieldErrors } from '../../nodes/ajv';

/** The one error type routes throw: a stable code, an HTTP status and the fields it concerns. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

export function badRequest(fields: { path: string; message: string }[], where = 'body'): ApiError {
  const named = fields.map((f) => ({ field: `${where}${f.path === '/' ? '' : f.path}`, message: f.message }));
  return new ApiError(400, 'validation_failed', named.map((f) => `${f.field} ${f.message}`).join('; '), { fields: named });
}

/** Maps every error to JSON; 5xx details stay in the log, never in the answer. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    if (err instanceof ApiError) {
      return reply.status(err.statusCode).send({ error: err.code, message: err.message, ...err.details });
    }
    if (err.validation) {
      const fields = toFieldErrors(err.validation as never);
      const e = badRequest(fields, err.validationContext ?? 'body');
      return reply.status(400).send({ error: e.code, message: e.message, ...e.details });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // fastify's own client errors: malformed JSON, body too large, unsupported media type
      const message = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'headers/content-type must be application/json'
        : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'body must not be empty when content-type is application/json'
        : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.name === 'SyntaxError' ? `body is not valid JSON: ${err.message}`
        : err.message;
      return reply.status(err.statusCode).send({ error: err.code ?? 'bad_request', message });
    }
    request.log.error({ err }, 'request failed');
    // Connection loss, and SQLite write contention surfacing through FerretDB: both are worth a retry.
    const unavailable = /ECONNREFUSED|Topology|ServerSelection|UNAVAILABLE|connection|SQLITE_BUSY|database is locked/i.test(String(err.message));
    return reply
      .status(unavailable ? 503 : 500)
      .send(unavailable
        ? { error: 'dependency_unavailable', message: 'a backing service is unavailable; the request can be retried safely' }
        : { error: 'internal', message: 'internal error' });
  });
}
