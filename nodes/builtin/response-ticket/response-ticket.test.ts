import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { responseTicket } from './manifest';
import ticket from './run';

describe('response.ticket', () => {
  it('opens a ticket with assignee, priority and SLA through the helpdesk channel', async () => {
    const r = await runNode(responseTicket, ticket, { config: { title: 'Complaint from {{event.handle}}', assignee: 'care-team', priority: 'high', slaMinutes: 30 }, event: { text: '坏了' } });
    expect(r.port).toBe('created');
    expect(r.sent[0]).toMatchObject({ channel: 'helpdesk', kind: 'ticket', to: 'care-team', subject: 'Complaint from @lily', text: '坏了', data: { priority: 'high', slaMinutes: 30 } });
  });
});
