import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../../core/errors';
import { toFieldErrors } from '../../nodes/ajv';
import type { LocalizedText } from '../../nodes/contract';
import { fieldMessage, langFromAcceptLanguage, type Lang } from '../../nodes/field-messages';

/** The language an answer is written in: the request's Accept-Language (zh… → zh-CN), English by default. */
export function requestLang(request: FastifyRequest): Lang {
  return langFromAcceptLanguage(request.headers['accept-language']);
}

type Translatable = { message?: unknown; i18n?: LocalizedText };

/** Items (fields, validation issues) with their message in `lang`; the translations themselves are not sent. */
export function localizeItems<T extends Translatable>(items: T[], lang: Lang): Omit<T, 'i18n'>[] {
  return items.map(({ i18n, ...rest }) => (i18n ? { ...rest, message: i18n[lang] ?? rest.message } : rest));
}

function localizedDetails(details: Record<string, unknown>, lang: Lang): Record<string, unknown> {
  const out = { ...details };
  for (const key of ['fields', 'issues'] as const) {
    if (Array.isArray(out[key])) out[key] = localizeItems(out[key] as Translatable[], lang);
  }
  return out;
}

/** fastify's own client errors (malformed JSON, body too large, unsupported media type) as field messages. */
function clientErrorText(err: FastifyError, request: FastifyRequest): LocalizedText {
  const body = (t: LocalizedText) => ({ en: `body ${t.en}`, 'zh-CN': `body ${t['zh-CN']}` });
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const t = fieldMessage('media_type');
      return { en: `headers/content-type ${t.en}`, 'zh-CN': `headers/content-type ${t['zh-CN']}` };
    }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return body(fieldMessage('empty_json'));
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = request.routeOptions.bodyLimit;
      return body(fieldMessage('body_too_large', { max: limit ? `${Math.round(limit / 1024)} KiB` : 'the limit' }));
    }
    default:
      if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.name === 'SyntaxError') return body(fieldMessage('invalid_json', { reason: err.message }));
      return { en: err.message, 'zh-CN': err.message };
  }
}

/** Maps every error to JSON, in the request's language; 5xx details stay in the log, never in the answer. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    const lang = requestLang(request);
    const answer = (e: AppError) => reply.status(e.status).send({ error: e.code, message: e.text(lang), ...localizedDetails(e.details, lang) });
    if (err instanceof AppError) return answer(err);
    if (err.validation) return answer(badRequest(toFieldErrors(err.validation as never), err.validationContext ?? 'body'));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ error: err.code ?? 'bad_request', message: clientErrorText(err, request)[lang] });
    }
    request.log.error({ err }, 'request failed');
    // Connection loss, and SQLite write contention surfacing through FerretDB: both are worth a retry.
    // A socket the store closed mid-write says so only in its code (EPIPE, ECONNRESET), not in its message.
    const code = String((err as { code?: unknown }).code ?? '');
    const unavailable = /^(EPIPE|ECONNRESET|ECONNREFUSED|ETIMEDOUT)$/.test(code) || ['MongoNetworkError', 'MongoServerSelectionError'].includes(err.name)
      || /ECONNREFUSED|EPIPE|ECONNRESET|Topology|ServerSelection|UNAVAILABLE|connection|socket|SQLITE_BUSY|database is locked/i.test(String(err.message));
    return answer(new AppError(unavailable ? 'dependency_unavailable' : 'internal'));
  });
}
