import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { responseReply } from './manifest';
import reply from './run';

describe('response.reply', () => {
  it('answers publicly on the thread, or by DM', async () => {
    const r = await runNode(responseReply, reply, { config: { mode: 'reply', message: '抱歉 {{contact.profile.name | "亲"}}' }, event: { threadId: 'post-1' } });
    expect(r.sent[0]).toMatchObject({ channel: 'weibo', to: '@lily', kind: 'reply', inReplyTo: 'post-1', text: '抱歉 亲' });
    const dm = await runNode(responseReply, reply, { config: { mode: 'dm', message: 'hi' } });
    expect(dm.sent[0]).toMatchObject({ kind: 'dm', inReplyTo: undefined });
  });

  it('a message with a variable that has no value and no fallback is not sent: the step names the variable', async () => {
    const r = await runNode(responseReply, reply, { config: { mode: 'reply', message: 'Sorry to hear that {{contact.profile.firstName}}, {{contact.profile.city | "friend"}}' } });
    expect(r.sent).toEqual([]);
    expect(r.port).toBe('skipped');
    expect(r.output).toMatchObject({ reason: 'unresolved_variables', unresolved: ['contact.profile.firstName'] });
  });
});
