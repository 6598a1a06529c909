/**
 * The application's error: a stable code, an HTTP status and the fields it concerns, thrown anywhere (core, routes)
 * and mapped to an answer once (server/http/errors.ts).
 */
import type { FieldError } from '../nodes/ajv';
import type { LocalizedText } from '../nodes/contract';
import type { Lang } from '../nodes/field-messages';

/** The one error type routes throw: a stable code, an HTTP status and the fields it concerns. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** The message in every UI language, when it has been translated (`en` equals `message`). */
    readonly i18n?: LocalizedText,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

/** A 400 naming each field (`body/profile/name contains a NUL character`), in English and Chinese. */
export function badRequest(fields: FieldError[], where = 'body'): ApiError {
  const named = fields.map((f) => ({
    field: `${where}${f.path === '/' ? '' : f.path}`, message: f.message,
    ...(f.code ? { code: f.code } : {}), i18n: f.i18n ?? { en: f.message, 'zh-CN': f.message },
  }));
  const joined = (lang: Lang) => named.map((f) => `${f.field} ${f.i18n[lang]}`).join('; ');
  return new ApiError(400, 'validation_failed', joined('en'), { fields: named }, { en: joined('en'), 'zh-CN': joined('zh-CN') });
}
