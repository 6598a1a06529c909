/**
 * The recipient's side of an email (core/channels/email-tracking.ts), public and outside /api/v1 (hidden from the
 * OpenAPI document: no integrator calls them):
 * - GET  /t/o/:token  the open pixel (a 1×1 GIF), recording `email.opened`;
 * - GET  /t/c/:token  a tracked link: records `email.clicked`, then 302 to the signed destination;
 * - GET  /t/u/:token  the unsubscribe page (a button, so a link scanner fetching it unsubscribes no one);
 * - POST /t/u/:token  RFC 8058 one-click (`List-Unsubscribe=One-Click`, what mail clients post) or the page's button.
 * A token that does not verify is a 404 and records nothing. Recording is best effort for opens and clicks (the
 * recipient gets the pixel or the redirect even if the store is down); an unsubscribe answers only once saved.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readToken, type TrackingToken } from '../../core/channels/email-tracking';
import { recordEmailEngagement, unsubscribeByLink } from '../../core/engine/email-engagement';
import type { AppDeps } from '../app-deps';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const tokenParams = { type: 'object', properties: { token: { type: 'string', minLength: 3, maxLength: 4000 } }, required: ['token'], additionalProperties: false } as const;

type Lang = 'en' | 'zh-CN';
const langOf = (req: FastifyRequest): Lang => (/^\s*zh/i.test(String(req.headers['accept-language'] ?? '')) ? 'zh-CN' : 'en');
const TEXT: Record<string, Record<Lang, string>> = {
  title: { en: 'Unsubscribe', 'zh-CN': '退订' },
  ask: { en: 'Stop receiving these emails?', 'zh-CN': '不再接收这些邮件？' },
  button: { en: 'Unsubscribe', 'zh-CN': '退订' },
  done: { en: 'You are unsubscribed: you will not receive these emails any more.', 'zh-CN': '您已退订，今后不会再收到这些邮件。' },
  already: { en: 'You were already unsubscribed.', 'zh-CN': '您此前已退订。' },
  invalid: { en: 'This link is not valid.', 'zh-CN': '此链接无效。' },
};
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function page(reply: FastifyReply, status: number, lang: Lang, body: string) {
  return reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .send(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${TEXT.title[lang]}</title>`
      + `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.5rem 1.25rem}</style></head><body>${body}</body></html>`);
}

export async function emailTrackingRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const engine = { store: deps.store, temporal: deps.temporal, taskQueue: deps.taskQueue };
  const config = { permission: 'public' as const, storable: false as const };
  const token = (req: FastifyRequest): TrackingToken | undefined => readToken((req.params as { token: string }).token.replace(/\.gif$/, ''));
  const bestEffort = (req: FastifyRequest, p: Promise<unknown>) => p.catch((err) => req.log.warn({ err }, 'email engagement not recorded'));

  app.get('/t/o/:token', { config, schema: { hide: true, params: tokenParams } }, async (req, reply) => {
    const t = token(req);
    if (!t) return reply.status(404).header('content-type', 'text/plain').send('not found');
    await bestEffort(req, recordEmailEngagement(engine, 'opened', t));
    return reply.header('content-type', 'image/gif').header('cache-control', 'no-store, private').send(GIF);
  });

  app.get('/t/c/:token', { config, schema: { hide: true, params: tokenParams } }, async (req, reply) => {
    const t = token(req);
    if (!t?.u) return page(reply, 404, langOf(req), `<p>${TEXT.invalid[langOf(req)]}</p>`);
    await bestEffort(req, recordEmailEngagement(engine, 'clicked', t));
    return reply.header('cache-control', 'no-store, private').redirect(t.u, 302);
  });

  await app.register(async (scope) => {
    // Mail clients post the one-click body as a form (RFC 8058); our page's button does too.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    scope.get('/t/u/:token', { config, schema: { hide: true, params: tokenParams } }, async (req, reply) => {
      const lang = langOf(req);
      if (!token(req)) return page(reply, 404, lang, `<p>${TEXT.invalid[lang]}</p>`);
      const action = escape(req.url.split('?')[0]);
      return page(reply, 200, lang, `<h1>${TEXT.title[lang]}</h1><p>${TEXT.ask[lang]}</p><form method="post" action="${action}">`
        + `<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${TEXT.button[lang]}</button></form>`);
    });

    scope.post('/t/u/:token', { config, schema: { hide: true, params: tokenParams } }, async (req, reply) => {
      const lang = langOf(req);
      const t = token(req);
      if (!t) return page(reply, 404, lang, `<p>${TEXT.invalid[lang]}</p>`);
      const outcome = await unsubscribeByLink(engine, t);
      if (outcome === 'unknown') return page(reply, 404, lang, `<p>${TEXT.invalid[lang]}</p>`);
      return page(reply, 200, lang, `<p>${outcome === 'already' ? TEXT.already[lang] : TEXT.done[lang]}</p>`);
    });
  });
}
