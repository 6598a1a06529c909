import { defineRuntime, type ContactSnapshot } from '../../contract';
import { escapeHtml, renderMessage } from '../../message-template';
import { scopeOf } from '../scope';
import { responseEmail } from './manifest';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The contact's email address: an email identity first, else profile.email. */
export function emailOf(contact: ContactSnapshot): string | undefined {
  const id = contact.identities.find((i) => i.channel === 'email')?.handle;
  const candidate = id ?? (typeof contact.profile.email === 'string' ? contact.profile.email : undefined);
  return candidate && EMAIL.test(candidate) ? candidate : undefined;
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li|\/h[1-6])\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export default defineRuntime(responseEmail, async (ctx) => {
  const to = emailOf(ctx.contact);
  if (!to) return { port: 'skipped', output: { reason: 'no_email_address' } };
  const scope = scopeOf(ctx);
  // Header injection: a subject is one line whatever the variables contain.
  const subjectOut = renderMessage(ctx.config.subject, scope);
  const subject = subjectOut.text.replace(/[\r\n]+/g, ' ').trim();
  const htmlOut = renderMessage(ctx.config.html, scope, escapeHtml);
  const html = htmlOut.text;
  const textOut = ctx.config.text !== undefined ? renderMessage(ctx.config.text, scope) : { text: htmlToText(html), unresolved: [] };
  const text = textOut.text;
  // A variable without a value and without a fallback would leave a hole in a message to a person: not sent.
  const unresolved = [...new Set([...subjectOut.unresolved, ...htmlOut.unresolved, ...textOut.unresolved])];
  if (unresolved.length) return { port: 'skipped', output: { to, subject, status: 'skipped', reason: 'unresolved_variables', unresolved } };
  const result = await ctx.services.send({
    channel: 'email', to, kind: 'email', subject, text,
    data: { html, campaign: ctx.config.campaign, journeyId: ctx.journey.journeyId, nodeId: ctx.journey.nodeId, contactId: ctx.contact.id },
  });
  return { port: result.status === 'sent' ? 'sent' : 'skipped', output: { to, subject, ...result } };
});
