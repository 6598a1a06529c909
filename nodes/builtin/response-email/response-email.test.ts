import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { responseEmail } from './manifest';
import email from './run';

describe('response.email', () => {
  it('a message with a variable that has no value and no fallback is not sent: the step names the variables', async () => {
    const mail = await runNode(responseEmail, email, {
      config: { subject: 'Hi {{contact.profile.firstName}}', html: '<p>{{event.text}}</p>' }, contact: { identities: [{ channel: 'email', handle: 'ann@example.com' }] },
    });
    expect(mail.sent).toEqual([]);
    expect(mail.output).toMatchObject({ reason: 'unresolved_variables', unresolved: ['contact.profile.firstName', 'event.text'] });
  });

  it('escapes variables in HTML, keeps the subject on one line and skips contacts without an address', async () => {
    const contact = { identities: [{ channel: 'email', handle: 'ann@example.com' }], profile: { name: '<b>Ann</b>\r\nBcc: x@evil.com' } };
    const r = await runNode(responseEmail, email, { config: { subject: 'Hi {{contact.profile.name}}', html: '<p>Hello {{contact.profile.name}}</p>' }, contact });
    expect(r.port).toBe('sent');
    const m = r.sent[0];
    expect(m).toMatchObject({ channel: 'email', kind: 'email', to: 'ann@example.com' });
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect((m.data as { html: string }).html).toBe('<p>Hello &lt;b&gt;Ann&lt;/b&gt;\r\nBcc: x@evil.com</p>');
    expect(m.text).toContain('Hello <b>Ann</b>');
    const none = await runNode(responseEmail, email, { config: { subject: 's', html: 'h' } });
    expect(none).toMatchObject({ port: 'skipped', output: { reason: 'no_email_address' } });
  });

  it('reports a consent skip on its not-sent port', async () => {
    const r = await runNode(responseEmail, email, {
      config: { subject: 's', html: 'h' }, contact: { profile: { email: 'bo@example.com' } },
      send: () => ({ status: 'skipped', reason: 'no_consent', replayed: false }),
    });
    expect(r.port).toBe('skipped');
  });
});
