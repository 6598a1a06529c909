import { createHmac } from 'node:crypto';
import { NodeError, defineRuntime, type HttpCallResult } from '../../contract';
import { renderTemplate } from '../../template';
import { scopeOf } from '../scope';
import { responseWebhookV2 } from './manifest';

export const SIGNATURE_HEADER = 'x-journeys-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, Stripe-style so receivers can reject replays. */
export function signBody(secret: string, body: string, at: Date): string {
  const ts = Math.floor(at.getTime() / 1000);
  return `t=${ts},v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
}

/** Backoff before attempt n+1 (n from 1): 0.5 s, 1 s, 2 s… capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 30_000);
}

const retryable = (s: number) => s === 0 || s === 429 || s >= 500;

export default defineRuntime(responseWebhookV2, async (ctx) => {
  const { method, headers, body, timeoutSeconds = 10, signingSecret, maxAttempts = 4 } = ctx.config;
  const scope = scopeOf(ctx);
  const url = renderTemplate(ctx.config.url, scope, encodeURIComponent);
  const rendered = body !== undefined
    ? renderTemplate(body, scope, (s) => JSON.stringify(s).slice(1, -1))
    : JSON.stringify({ contact: { id: ctx.contact.id }, event: ctx.event, journey: ctx.journey });
  const allHeaders: Record<string, string> = { 'content-type': 'application/json', ...headers };
  if (signingSecret) {
    const secret = await ctx.services.secret?.(signingSecret);
    if (!secret) throw new NodeError('missing_credential', `credential "${signingSecret}" is not stored`, { field: 'signingSecret' });
    allHeaders[SIGNATURE_HEADER] = signBody(secret, rendered, ctx.now);
  }
  let res: HttpCallResult = { status: 0, body: '', replayed: false };
  let attempt = 0;
  while (attempt < maxAttempts) {
    attempt++;
    try {
      res = await ctx.services.http({ url, method, body: rendered, timeoutMs: timeoutSeconds * 1000, headers: allHeaders });
    } catch (err) {
      if (err instanceof NodeError) throw err; // a refused destination stays refused on every attempt
      // The engine's HTTP service throws on network errors and 5xx so the activity can retry; here we retry ourselves.
      res = { status: 0, body: '', statusText: (err as Error).message.slice(0, 200), replayed: false };
    }
    if (!retryable(res.status) || attempt >= maxAttempts) break;
    await new Promise((r) => setTimeout(r, backoffMs(attempt)));
  }
  const ok = res.status >= 200 && res.status < 300;
  // Never the body of a failed answer: error pages can echo secrets, and steps are readable by every role.
  return { port: ok ? 'success' : 'failed', output: { status: res.status, attempts: attempt, replayed: res.replayed, ...(ok ? {} : { statusText: res.statusText ?? '' }) } };
});
