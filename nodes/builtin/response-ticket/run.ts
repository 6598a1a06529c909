import { NodeError, defineRuntime } from '../../contract';
import { renderTemplate } from '../../message-template';
import { scopeOf } from '../scope';
import { responseTicket } from './manifest';

/** Tickets go through the outbox like messages (exactly once per key) to the helpdesk channel. */
export const HELPDESK_CHANNEL = 'helpdesk';

export default defineRuntime(responseTicket, async (ctx) => {
  const scope = scopeOf(ctx);
  const { assignee, priority = 'normal', slaMinutes } = ctx.config;
  const title = renderTemplate(ctx.config.title, scope).replace(/[\r\n]+/g, ' ');
  const description = renderTemplate(ctx.config.description ?? '{{event.text}}', scope);
  const result = await ctx.services.send({
    channel: HELPDESK_CHANNEL, to: assignee, kind: 'ticket', subject: title, text: description,
    data: {
      priority, slaMinutes, contactId: ctx.contact.id, workspaceId: ctx.journey.workspaceId, journeyId: ctx.journey.journeyId,
      event: { id: ctx.event.id, type: ctx.event.type, channel: ctx.event.channel, handle: ctx.event.handle, threadId: ctx.event.threadId },
    },
  });
  if (result.status !== 'sent') throw new NodeError('ticket_not_created', `ticket was not created: ${result.reason ?? 'unknown'}`);
  return { port: 'created', output: { ticketId: result.providerId, assignee, priority, slaMinutes, replayed: result.replayed } };
});
