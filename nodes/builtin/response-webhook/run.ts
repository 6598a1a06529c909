import { defineRuntime } from '../../contract';
import { renderTemplate } from '../../message-template';
import { scopeOf } from '../scope';
import { responseWebhook } from './manifest';

export default defineRuntime(responseWebhook, async (ctx) => {
  const { url, method, headers, body, timeoutSeconds } = ctx.config;
  const scope = scopeOf(ctx);
  const rendered = body !== undefined
    ? renderTemplate(body, scope, (s) => JSON.stringify(s).slice(1, -1))
    : JSON.stringify({ contact: { id: ctx.contact.id }, event: ctx.event, journey: ctx.journey });
  const res = await ctx.services.http({
    url, method, body: rendered, timeoutMs: (timeoutSeconds ?? 10) * 1000,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { port: res.status >= 200 && res.status < 300 ? 'success' : 'failed', output: { status: res.status, replayed: res.replayed } };
});
