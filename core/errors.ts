/**
 * The application's one error: a code from the catalog (core/error-codes.ts), the parameters its message needs and,
 * where it concerns fields or journey issues, those. Thrown anywhere (store, engine, channels, routes) and mapped to
 * an answer once (server/http/errors.ts), in the request's language.
 */
import type { FieldError } from '../nodes/ajv';
import type { LocalizedText } from '../nodes/contract';
import type { Lang } from '../nodes/field-messages';
import { ERROR_CODES, RESOURCE_NAMES, type ErrorCode, type ResourceName } from './error-codes';

export type { ErrorCode } from './error-codes';

/** A parameter is a value shown as is, or a text in both languages (e.g. a resource's name). */
export type ErrorParam = string | number | LocalizedText;
export type ErrorParams = Record<string, ErrorParam>;

/** What an answer carries beyond the message: the fields at fault, a journey's issues, a machine-readable reason. */
export interface ErrorDetails {
  fields?: { field: string; message: string; code?: string; i18n?: LocalizedText }[];
  issues?: { message: string; i18n?: LocalizedText; [k: string]: unknown }[];
  [k: string]: unknown;
}

const paramText = (p: ErrorParam, lang: Lang): string => (typeof p === 'object' ? p[lang] ?? p.en : String(p));

/** The catalog's message for `code` in `lang`, its `{name}`s filled from `params`. */
export function errorMessage(code: ErrorCode, params: ErrorParams, lang: Lang): string {
  return ERROR_CODES[code][lang].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? paramText(params[name], lang) : m));
}

export class AppError extends Error {
  readonly status: number;

  constructor(readonly code: ErrorCode, readonly params: ErrorParams = {}, readonly details: ErrorDetails = {}) {
    super(errorMessage(code, params, 'en'));
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
  }

  /** The message in a UI language. */
  text(lang: Lang): string {
    return errorMessage(this.code, this.params, lang);
  }

  /** The parameters as plain values in `lang`, for clients that compose their own text. */
  plainParams(lang: Lang): Record<string, string | number> {
    return Object.fromEntries(Object.entries(this.params).map(([k, v]) => [k, typeof v === 'object' ? paramText(v, lang) : v]));
  }
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

const both = ([en, zh]: readonly [string, string]): LocalizedText => ({ en, 'zh-CN': zh });

/** `journey not found`; with an id, `ticket t-1 not found`. */
export function notFound(what: ResourceName, id?: string): AppError {
  const name = both(RESOURCE_NAMES[what]);
  return new AppError('not_found', { what: id ? { en: `${name.en} ${id}`, 'zh-CN': `${name['zh-CN']} ${id}` } : name });
}

/** A 400 naming each field (`body/profile/name contains a NUL character`), in English and Chinese. */
export function badRequest(fields: FieldError[], where = 'body'): AppError {
  const named = fields.map((f) => ({
    field: `${where}${f.path === '/' ? '' : f.path}`, message: f.message,
    ...(f.code ? { code: f.code } : {}), i18n: f.i18n ?? { en: f.message, 'zh-CN': f.message },
  }));
  const joined = (lang: Lang) => named.map((f) => `${f.field} ${f.i18n[lang]}`).join('; ');
  return new AppError('validation_failed', { summary: { en: joined('en'), 'zh-CN': joined('zh-CN') } }, { fields: named });
}

/** A journey that cannot be tested or published, with every issue (the editor points at the nodes). */
export function journeyInvalid(issues: { severity: string; message: string; i18n?: LocalizedText }[]): AppError {
  return new AppError('journey_invalid', { count: issues.filter((i) => i.severity === 'error').length }, { issues });
}

/** A message made of issues' own texts (template bindings), joined in each language. */
export function joinedIssues(issues: { message: string; i18n?: LocalizedText }[]): LocalizedText {
  const join = (lang: Lang) => issues.map((i) => i.i18n?.[lang] ?? i.message).join('; ');
  return { en: join('en'), 'zh-CN': join('zh-CN') };
}
