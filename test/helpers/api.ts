import type { FastifyInstance } from 'fastify';

/** Credentials `call()` sends to an app unless the caller passes its own (startStack registers its admin token). */
const defaultHeaders = new WeakMap<FastifyInstance, Record<string, string>>();
export function setDefaultHeaders(app: FastifyInstance, headers: Record<string, string>): void {
  defaultHeaders.set(app, headers);
}

/** Thin JSON helpers over `app.inject()`; they return status and parsed body, asserting nothing. */
export async function call(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) {
  const merged = { ...(defaultHeaders.get(app) ?? {}), ...headers };
  // authorization: '' sends an empty header, i.e. no credentials (the stack's default token is not added then).
  const res = await app.inject({ method, url, payload: body === undefined ? undefined : (body as object), headers: merged });
  let json: any;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = res.body;
  }
  return { status: res.statusCode, body: json };
}

let seq = 0;
export function mention(handle: string, text: string, extra: Record<string, unknown> = {}) {
  return { id: `evt-${Date.now()}-${seq++}-${Math.random().toString(36).slice(2, 8)}`, type: 'social.mention', channel: 'weibo', handle, text, occurredAt: new Date().toISOString(), ...extra };
}

export async function publishJourney(app: FastifyInstance, doc: unknown): Promise<string> {
  const created = await call(app, 'POST', '/api/v1/journeys', doc);
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const published = await call(app, 'POST', `/api/v1/journeys/${created.body.id}/publish`, {});
  if (published.status !== 201) throw new Error(`publish failed: ${JSON.stringify(published.body)}`);
  return created.body.id;
}
