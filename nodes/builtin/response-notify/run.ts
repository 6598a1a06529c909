import { defineRuntime } from '../../contract';
import { renderTemplate } from '../../message-template';
import { scopeOf } from '../scope';
import { responseNotify } from './manifest';

export default defineRuntime(responseNotify, async (ctx) => {
  const text = renderTemplate(ctx.config.message, scopeOf(ctx));
  const result = await ctx.services.send({
    channel: ctx.config.channel ?? 'team', to: ctx.config.to, kind: 'alert', text,
    data: { contactId: ctx.contact.id, eventId: ctx.event.id, journeyId: ctx.journey.journeyId },
  });
  return { port: 'next', output: { text, ...result } };
});
