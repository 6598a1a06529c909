/**
 * Tickets for human agents, created by the ticket node through the helpdesk channel (so exactly once per
 * idempotency key), with a first-response SLA. A watcher ingests ticket.sla_breached once per breached ticket.
 */
import { createHash } from 'node:crypto';
import type { OutboundMessage } from '../../nodes/contract';
import type { Store } from './db';

export interface TicketDoc {
  _id: string;
  workspaceId: string;
  contactId?: string;
  title: string;
  description: string;
  assignee: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  status: 'open' | 'responded' | 'closed';
  slaMinutes: number;
  dueAt: Date;
  createdAt: Date;
  respondedAt?: Date;
  breachedAt?: Date;
  source?: Record<string, unknown>;
  /** Set when the contact was erased: title and description no longer name the person. */
  erased?: true;
}

export const tickets = (s: Store) => s.db.collection<TicketDoc>('tickets');

export function ticketIdFor(idempotencyKey: string): string {
  return `T-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12)}`;
}

/** Creates the ticket of an outbox key once; a retry finds it. */
export async function createTicketFromMessage(s: Store, workspaceId: string, message: OutboundMessage, idempotencyKey: string, now = new Date()): Promise<{ id: string; created: boolean }> {
  const data = (message.data ?? {}) as Record<string, unknown>;
  const slaMinutes = Number(data.slaMinutes ?? 60);
  const doc: TicketDoc = {
    _id: ticketIdFor(idempotencyKey), workspaceId, contactId: data.contactId as string | undefined,
    title: message.subject ?? message.text.slice(0, 80), description: message.text, assignee: message.to,
    priority: (data.priority as TicketDoc['priority']) ?? 'normal', status: 'open', slaMinutes,
    dueAt: new Date(now.getTime() + slaMinutes * 60_000), createdAt: now,
    source: { journeyId: data.journeyId, event: data.event },
  };
  // Keyed by the send's idempotency key: a retried send finds the ticket it created and changes nothing.
  const res = await tickets(s).updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
  return { id: doc._id, created: res.upsertedCount > 0 };
}

export async function respondToTicket(s: Store, workspaceId: string, id: string, status: 'responded' | 'closed', now = new Date()) {
  return tickets(s).findOneAndUpdate(
    { _id: id, workspaceId },
    { $set: { status, ...(status === 'responded' ? { respondedAt: now } : {}) } },
    { returnDocument: 'after' },
  );
}

export function listTickets(s: Store, workspaceId: string, filter: { status?: string; contactId?: string } = {}) {
  return tickets(s).find({ workspaceId, ...(filter.status ? { status: filter.status as TicketDoc['status'] } : {}), ...(filter.contactId ? { contactId: filter.contactId } : {}) })
    .sort({ createdAt: -1 }).limit(500).toArray();
}


export function ticketView(t: TicketDoc) {
  const { _id, workspaceId: _ws, ...rest } = t;
  return {
    id: _id, ...rest, dueAt: t.dueAt.toISOString(), createdAt: t.createdAt.toISOString(),
    respondedAt: t.respondedAt?.toISOString(), breachedAt: t.breachedAt?.toISOString(),
    breached: t.breachedAt !== undefined || (t.status === 'open' && t.dueAt.getTime() < Date.now()),
  };
}
