import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { responseNotify } from './manifest';
import notify from './run';

describe('response.notify-team', () => {
  it('sends an alert to the team channel', async () => {
    const r = await runNode(responseNotify, notify, { config: { to: '#care', message: 'New complaint: {{event.text}}' }, event: { text: 'broken' } });
    expect(r.sent[0]).toMatchObject({ channel: 'team', kind: 'alert', to: '#care', text: 'New complaint: broken' });
  });
});
