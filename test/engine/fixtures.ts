/** Fixture journeys: they double as documentation of the journey document format. */
export function mentionRescue(opts: { webhookUrl?: string; waitSeconds?: number } = {}) {
  return {
    name: 'Negative mention rescue',
    nodes: [
      { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
      {
        id: 'is-complaint', type: 'filter.condition', version: 1,
        config: { conditions: { match: 'any', groups: [{ match: 'any', rules: [{ field: 'event.text', op: 'contains', value: 'broken' }, { field: 'event.text', op: 'contains', value: '坏了' }] }] } },
      },
      { id: 'risk', type: 'scoring.points', version: 1, config: { score: 'risk', points: 10, reason: 'complaint mention' } },
      { id: 'apologize', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Sorry {{contact.profile.name | "there"}}, we are on it.' } },
      ...(opts.webhookUrl ? [{ id: 'ticket', type: 'response.webhook', version: 1, config: { url: opts.webhookUrl, method: 'POST', body: '{"text":"{{event.text}}"}' } }] : []),
      { id: 'thanks', type: 'response.update-contact', version: 1, config: { addTags: ['fan'] } },
    ],
    edges: [
      { from: 'mention', port: 'next', to: 'is-complaint' },
      { from: 'is-complaint', port: 'yes', to: 'risk' },
      { from: 'is-complaint', port: 'no', to: 'thanks' },
      { from: 'risk', port: 'next', to: 'apologize' },
      ...(opts.webhookUrl ? [{ from: 'apologize', port: 'sent', to: 'ticket' }] : []),
    ],
    settings: { reentry: 'always' },
  };
}

export function replyOrTimeout(timeout: { amount: number; unit: string }) {
  return {
    name: 'Wait for a DM reply',
    nodes: [
      { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
      { id: 'ask', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Can you DM us your order number?' } },
      { id: 'wait', type: 'flow.wait-for-event', version: 1, config: { eventTypes: ['social.dm'], timeout } },
      { id: 'got-it', type: 'response.update-contact', version: 1, config: { addTags: ['replied'] } },
      { id: 'nudge', type: 'response.update-contact', version: 1, config: { addTags: ['silent'] } },
    ],
    edges: [
      { from: 'mention', port: 'next', to: 'ask' },
      { from: 'ask', port: 'sent', to: 'wait' },
      { from: 'wait', port: 'received', to: 'got-it' },
      { from: 'wait', port: 'timed_out', to: 'nudge' },
    ],
  };
}

/** A journey whose runs are one stretch (no waits, no flow nodes, every event enters anew): score, then tag. */
export function scoreAndTag() {
  return {
    name: 'Score and tag',
    nodes: [
      { id: 'mention', type: 'trigger.event', version: 1, config: { eventTypes: ['social.mention'] } },
      { id: 'score', type: 'scoring.points', version: 1, config: { score: 'engagement', points: 2, reason: 'mentioned us' } },
      { id: 'tag', type: 'response.update-contact', version: 1, config: { addTags: ['seen'] } },
    ],
    edges: [{ from: 'mention', port: 'next', to: 'score' }, { from: 'score', port: 'next', to: 'tag' }],
    settings: { reentry: 'always' as const },
  };
}
