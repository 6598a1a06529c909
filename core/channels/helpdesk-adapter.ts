import { HELPDESK_CHANNEL } from '../../nodes/builtin/response-ticket/run';
import type { Store } from '../store/db';
import { createTicketFromMessage } from '../store/tickets';
import { workspaceOfKey, type ChannelAdapter } from './channel-adapter';

/**
 * The built-in helpdesk: tickets created by the ticket node land in the tickets collection (SLA tracked there).
 * A ticket is one upsert keyed by the send's idempotency key, so it needs no outbox row around it.
 */
export function helpdeskAdapter(store: Store): ChannelAdapter {
  return {
    channels: [HELPDESK_CHANNEL],
    keyedWrite: true,
    async send(message, idempotencyKey) {
      const { id, created } = await createTicketFromMessage(store, workspaceOfKey(idempotencyKey), message, idempotencyKey);
      return { providerId: id, replayed: !created };
    },
  };
}
