/** SLA breaches: open tickets past due become ticket.sla_breached events of their contact, once per ticket. */
import { followUpEvent } from '../store/internal-events';
import { tickets } from '../store/tickets';
import { ingestEvent, type EngineDeps } from './ingest';

/** Emits ticket.sla_breached for open tickets past due (event id = ticket: once per ticket), then marks them. */
export async function checkSlaBreaches(d: EngineDeps, now = new Date(), workspaceId?: string): Promise<string[]> {
  const due = await tickets(d.store).find({ ...(workspaceId ? { workspaceId } : {}), status: 'open', dueAt: { $lte: now }, breachedAt: { $exists: false } }).limit(500).toArray();
  const breached: string[] = [];
  for (const t of due) {
    const contact = t.contactId ? await d.store.contacts.findOne({ _id: t.contactId, workspaceId: t.workspaceId }) : null;
    if (contact) {
      const event = await followUpEvent(d.store, contact, 'ticket.sla_breached', `sla:${t._id}`, {
        ticketId: t._id, title: t.title, assignee: t.assignee, priority: t.priority, slaMinutes: t.slaMinutes, dueAt: t.dueAt.toISOString(),
      }, now);
      if (event) await ingestEvent(d, t.workspaceId, event);
    }
    await tickets(d.store).updateOne({ _id: t._id, breachedAt: { $exists: false } }, { $set: { breachedAt: now } });
    breached.push(t._id);
  }
  return breached;
}
