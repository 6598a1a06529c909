import { createHmac } from 'node:crypto';
import { NodeError, defineRuntime } from '../../contract';
import { renderTemplate } from '../../message-template';
import { scopeOf } from '../scope';
import { responseWebhookV2 } from './manifest';

export const SIGNATURE_HEADER = 'x-journeys-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, Stripe-style so receivers can reject replays. */
export function signBody(secret: string, body: string, at: Date): string {
  const ts = Math.floor(at.getTime() / 1000);
  return `t=${ts},v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
}

export default defineRuntime(responseWebhookV2, async (ctx) => {
  const { method, headers, body, timeoutSeconds = 10, signingSecret, maxAttempts = 4, consentChannel } = ctx.config;
  // An SMS gateway (or any channel reached through a webhook) honours the contact's opt-out like a channel send.
  if (consentChannel && ctx.contact.consent[consentChannel]?.status === 'opted_out') {
    return { port: 'skipped', output: { reason: 'no_consent', channel: consentChannel } };
  }
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
  // All attempts are one request (one outbox row, one Idempotency-Key): the receiver can dedupe the retries.
  const res = await ctx.services.http({ url, method, body: rendered, timeoutMs: timeoutSeconds * 1000, headers: allHeaders, retry: { maxAttempts } });
  const ok = res.status >= 200 && res.status < 300;
  // Never the body of a failed answer: error pages can echo secrets, and steps are readable by every role.
  return { port: ok ? 'success' : 'failed', output: { status: res.status, attempts: res.attempts ?? 1, replayed: res.replayed, ...(ok ? {} : { statusText: res.statusText ?? '' }) } };
});
