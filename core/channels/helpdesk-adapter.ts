import { HELPDESK_CHANNEL } from '../../nodes/builtin/response-ticket/run';
import type { Store } from '../store/db';
import { createTicketFromMessage } from '../store/tickets';
import { workspaceOfKey, type ChannelAdapter } from './channel-adapter';

/** The built-in helpdesk: tickets created by the ticket node land in the tickets collection (SLA tracked there). */
export function helpdeskAdapter(store: Store): ChannelAdapter {
  return {
    channels: [HELPDESK_CHANNEL],
    async send(message, idempotencyKey) {
      return { providerId: await createTicketFromMessage(store, workspaceOfKey(idempotencyKey), message, idempotencyKey) };
    },
  };
}
